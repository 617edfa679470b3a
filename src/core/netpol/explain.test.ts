import { describe, expect, it } from 'vitest';
import type { RuleRef } from '../trace/types';
import { explainPolicyDrop, policyAllowsIn, ruleComments } from './explain';

const ev = (chain: string, index: number, text: string) => ({
  table: 'filter',
  chain,
  index,
  text,
});
const allow =
  '-A cali-pi-x/web -m comment --comment "cali:AAAAAAAAAAAAAAAA" -m comment --comment "allow: x/web spec.ingress[1]" -m set --match-set cali40s:S src -j MARK --set-xmark 0x10000/0x10000';
const ret =
  '-A cali-pi-x/web -m comment --comment "cali:BBBBBBBBBBBBBBBB" -m mark --mark 0x10000/0x10000 -j RETURN';
const end =
  '-A cali-pi-x/web -m comment --comment "cali:CCCCCCCCCCCCCCCC" -m comment --comment "x/web: no ingress rule matched"';
const drop =
  '-A cali-tw-cali0123456789a -m comment --comment "cali:DDDDDDDDDDDDDDDD" -m comment --comment "Drop if no policies passed packet" -m comment --comment "default deny: no policy allows it; ingress to x/a is isolated by x/web x/deny" -j DROP';

describe('policy explanations from rule comments', () => {
  it('reads quoted and bare comments', () => {
    expect(
      ruleComments('-A C -m comment --comment "a \\"b\\" c" -m comment --comment bare -j ACCEPT'),
    ).toEqual(['a "b" c', 'bare']);
  });

  it('explains a default-deny drop: the pod, the direction, the policies, the rule', () => {
    const rule: RuleRef = {
      kind: 'iptables',
      text: drop,
      table: 'filter',
      chain: 'cali-tw-cali0123456789a',
      index: 7,
      evaluated: [
        ev('cali-pi-x/web', 0, allow),
        ev('cali-pi-x/web', 1, ret),
        ev('cali-pi-x/web', 2, end),
      ],
    };
    expect(explainPolicyDrop(rule)).toBe(
      'default deny: no policy allows it; ingress to x/a is isolated by x/web, x/deny; the one allow rule evaluated did not match (dropped by cali-tw-cali0123456789a rule 8).',
    );
    expect(policyAllowsIn(rule)).toEqual([]);
  });

  it('names the allow rule whose RETURN left the policy chain', () => {
    const rule: RuleRef = {
      kind: 'iptables',
      text: '-A FORWARD -m comment --comment "cali:S93hcgKJrXEqnTfs" -m mark --mark 0x10000/0x10000 -j ACCEPT',
      evaluated: [
        ev('cali-pi-x/web', 0, allow),
        ev('cali-pi-x/web', 1, ret),
        ev(
          'cali-tw-cali0123456789a',
          5,
          '-A cali-tw-cali0123456789a -m mark --mark 0x10000/0x10000 -j RETURN',
        ),
      ],
    };
    expect(policyAllowsIn(rule)).toEqual(['x/web spec.ingress[1]']);
    expect(explainPolicyDrop(rule)).toBeUndefined();
  });

  it("knows Felix's other drops and ignores everything else", () => {
    expect(
      explainPolicyDrop({
        kind: 'iptables',
        text: '-A cali-from-wl-dispatch -m comment --comment "cali:X" -m comment --comment "Unknown interface" -j DROP',
        chain: 'cali-from-wl-dispatch',
      }),
    ).toMatch(/interface it does not manage/);
    expect(
      explainPolicyDrop({
        kind: 'iptables',
        text: '-A cali-fw-caliX -m comment --comment "cali:X" -m conntrack --ctstate INVALID -j DROP',
        chain: 'cali-fw-caliX',
      }),
    ).toMatch(/INVALID/);
    expect(
      explainPolicyDrop({
        kind: 'iptables',
        text: '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
      }),
    ).toBeUndefined();
    expect(explainPolicyDrop({ kind: 'route', text: 'blackhole 10.244.0.0/26' })).toBeUndefined();
    expect(explainPolicyDrop(undefined)).toBeUndefined();
  });
});
