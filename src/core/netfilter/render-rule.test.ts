import { describe, expect, it } from 'vitest';
import { renderRule, renderRuleInto } from './render-rule';
import type { Rule } from './types';

function handBuilt(): Rule {
  return {
    chain: 'X',
    src: { cidr: '10.0.0.0/8', negate: false },
    protocol: { name: 'tcp', negate: false },
    matches: [{ module: 'tcp', options: [['--dport', '80']] }],
    target: { name: 'DNAT', options: [['--to-destination', '10.1.1.1:8080']] },
    packets: 0,
    bytes: 0,
  };
}

describe('renderRule', () => {
  it('compiles a hand-built rule before rendering it (the evaluator relies on that)', () => {
    const r = handBuilt();
    expect(renderRule(r)).toBe('-A X -s 10.0.0.0/8 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.1.1:8080');
    expect(r.src!.network).toBe(0x0a000000);
    expect(r.matches[0]!.parsed).toBeDefined();
    expect(r.target!.parsed).toBeDefined();
  });

  it('compiles an address that has a mask but no network yet', () => {
    const r = handBuilt();
    r.src = { cidr: '10.0.0.0/8', negate: false, mask: 0xff000000 };
    renderRule(r);
    expect(r.src.network).toBe(0x0a000000);
  });

  it('renders into pieces without caching, and uses a cached text when there is one', () => {
    const r = handBuilt();
    const pieces: string[] = [];
    renderRuleInto(r, pieces);
    expect(pieces.join('')).toBe('-A X -s 10.0.0.0/8 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.1.1:8080');
    expect(r.text).toBeUndefined();
    expect(r.src!.network).toBe(0x0a000000);
    r.text = '-A X -j ACCEPT';
    const again: string[] = [];
    renderRuleInto(r, again);
    expect(again).toEqual(['-A X -j ACCEPT']);
  });

  it('starts each rule with its own chain, whichever chain the rule before was in', () => {
    const texts = ['A', 'KUBE-SVC-AAAAAAAAAAAAAAAA', 'A', 'B', 'B', 'KUBE-SVC-AAAAAAAAAAAAAAAA'].map((chain) => {
      const pieces: string[] = [];
      renderRuleInto({ chain, matches: [], packets: 0, bytes: 0 }, pieces);
      return pieces.join('');
    });
    expect(texts).toEqual(['-A A', '-A KUBE-SVC-AAAAAAAAAAAAAAAA', '-A A', '-A B', '-A B', '-A KUBE-SVC-AAAAAAAAAAAAAAAA']);
  });
});
