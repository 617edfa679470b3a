// The restore memo (restore-memo.ts) against restore without it: the same text restored into
// many netns, each with its own chains beforehand, leaves every netns exactly as parsing each
// time does (JSON, property order included), with no rule, match, target or parsed value shared
// between two netns; a line whose jump answer differs on a netns is parsed afresh; the memo ends
// with its scope.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { renderIptablesSave } from '../render/iptables-save';
import { restore } from './restore';
import { rememberedLines, withRestoreMemo } from './restore-memo';
import { createNetfilter } from './state';
import { ruleBodyArbitrary } from '../testing/iptables-rule-arbitrary';
import type { NetfilterState, Rule } from './types';

/** `TRACE` is a target iptables knows (unmodelled) and, where a netns has the chain, a jump. */
const CHAINS = ['KUBE-SVC-AAAAAAAAAAAAAAAA', 'KUBE-SEP-BBBBBBBBBBBBBBBB', 'X'];
const ruleBody = ruleBodyArbitrary({
  ifaces: ['-i eth0', '-o cni0'],
  protos: ['tcp', 'udp', 'all'],
  comment: fc.constantFrom('a b', 'kube-system/kube-dns:dns', ''),
  extras: ['-m statistic --mode nth --every 3 --packet 0', '-m statistic --mode random --probability 0.25', '-m mark ! --mark 0x4000/0x4000', '-m multiport --dports 80,443', '-m foo --bar baz', '-m nope'],
  targets: ['-j ACCEPT', '-j KUBE-MARK-MASQ', '-j X', '-g X', '-j TRACE', '-j DNAT --to-destination 10.1.2.3:8080', '-j MARK --or-mark 0x4000', '-j MASQUERADE --to-ports 9-8', ''],
});
const command = fc.constantFrom('-A', '-A', '-A', '-I', '-D');
const text = fc.array(fc.tuple(command, fc.constantFrom(...CHAINS, 'POSTROUTING', 'TRACE'), ruleBody), { maxLength: 20 }).map((rules) => {
  const lines = ['*nat', ':KUBE-MARK-MASQ - [0:0]', ...CHAINS.map((c) => `:${c} - [0:0]`)];
  for (const [cmd, c, body] of rules) lines.push(cmd === '-I' ? `-I ${c} 1 ${body}` : `${cmd} ${c} ${body}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
});
/** What a netns holds before: nothing, or a `TRACE` chain (so `-j TRACE` is a jump there), with rules. */
const before = fc.array(fc.tuple(fc.boolean(), fc.array(ruleBody.filter((b) => !b.includes('-j X') && !b.includes('-g X') && !b.includes('KUBE-MARK-MASQ')), { maxLength: 2 })), { minLength: 1, maxLength: 5 });

function prepared(withTrace: boolean, rules: string[]): NetfilterState {
  const nf = createNetfilter();
  const chain = withTrace ? 'TRACE' : 'POSTROUTING';
  restore(nf, ['*nat', ...(withTrace ? [':TRACE - [0:0]'] : []), ...rules.map((r) => `-A ${chain} ${r}`), 'COMMIT', ''].join('\n'));
  return nf;
}

/** The netns's tables as JSON (property order included). */
function dump(nf: NetfilterState): string {
  return JSON.stringify([...nf.tables].map(([name, t]) => [name, [...t.chains.values()]]));
}

/** Every object reachable from a netns's rules (options tuples excepted: shared by design). */
function ruleObjects(nf: NetfilterState): Set<object> {
  const out = new Set<object>();
  const add = (v: unknown, key = ''): void => {
    if (v === null || typeof v !== 'object' || key === 'options') return;
    out.add(v);
    for (const [k, x] of Object.entries(v)) add(x, k);
  };
  for (const t of nf.tables.values()) for (const c of t.chains.values()) for (const r of c.rules) add(r);
  return out;
}

// V8's own answer to "do these objects share a hidden class?" (a natives call, allowed from here on).
setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

describe('restore memo', () => {
  it('leaves every netns as restoring without the memo does, sharing no rule object between them', () => {
    fc.assert(
      fc.property(text, before, (t, pre) => {
        const plain = pre.map(([trace, rules]) => prepared(trace, rules));
        const memo = pre.map(([trace, rules]) => prepared(trace, rules));
        const want = plain.map((nf) => restore(nf, t, { noflush: true }));
        const got = withRestoreMemo(() => memo.map((nf) => restore(nf, t, { noflush: true })));
        expect(got).toEqual(want);
        for (let i = 0; i < plain.length; i++) {
          expect(dump(memo[i]!)).toBe(dump(plain[i]!));
          expect(renderIptablesSave(memo[i]!, { counters: true })).toBe(renderIptablesSave(plain[i]!, { counters: true }));
        }
        const seen = new Set<object>();
        for (const nf of memo)
          for (const o of ruleObjects(nf)) {
            expect(seen.has(o)).toBe(false);
            seen.add(o);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves every netns as without the memo when each restores its own text sharing most lines with the others', () => {
    fc.assert(
      fc.property(text, before, fc.nat(30), (t, pre, at) => {
        const lines = t.split('\n');
        const own = (i: number) => [...lines.slice(0, Math.min(lines.length - 2, 6 + at)), `-A X -d 10.9.${i}.0/24 -m comment --comment "node ${i}" -j KUBE-MARK-MASQ`, ...lines.slice(Math.min(lines.length - 2, 6 + at))].join('\n');
        const plain = pre.map(([trace, rules]) => prepared(trace, rules));
        const memo = pre.map(([trace, rules]) => prepared(trace, rules));
        const want = plain.map((nf, i) => restore(nf, own(i), { noflush: true }));
        const got = withRestoreMemo(() => memo.map((nf, i) => restore(nf, own(i), { noflush: true })));
        expect(got).toEqual(want);
        for (let i = 0; i < plain.length; i++) expect(dump(memo[i]!)).toBe(dump(plain[i]!));
      }),
      { numRuns: 200 },
    );
  });

  it('copies remembered rules with fresh counters and state: an nth counter stepped on one netns is not stepped on another', () => {
    const t = '*filter\n:C - [0:0]\n-A C -m statistic --mode nth --every 2 --packet 0 -j ACCEPT\nCOMMIT\n';
    const nfs = [createNetfilter(), createNetfilter(), createNetfilter()];
    withRestoreMemo(() => nfs.forEach((nf) => expect(restore(nf, t)).toEqual({ ok: true })));
    const rules = nfs.map((nf) => nf.tables.get('filter')!.chains.get('C')!.rules[0]!);
    const stat = (r: Rule) => r.matches[0]!.parsed as { count: number };
    stat(rules[2]!).count = 1;
    rules[2]!.packets = 7;
    expect(rules.map((r) => stat(r).count)).toEqual([0, 0, 1]);
    expect(rules.map((r) => r.packets)).toEqual([0, 0, 7]);
    expect(new Set(rules.map((r) => r.matches[0])).size).toBe(3);
    expect(rules[1]!.matches[0]!.options).toBe(rules[2]!.matches[0]!.options);
  });

  it("gives every copy's lists the hidden class of the remembered rule's (whoever ran the copying code)", () => {
    // Array.prototype.map made holey arrays as the builtin and packed ones once optimised code
    // inlined it: copies made while the memo warmed up differed from later ones. Rules with and
    // without matches, a parsed value holding lists (multiport's ports) and one holding none,
    // restored into enough netns for the copying code to be optimised on the way.
    const t = '*filter\n:C - [0:0]\n-A C -p tcp -m multiport --dports 80,443 -m comment --comment x -j ACCEPT\n-A C -j DROP\n-A C -m mark --mark 0x1 -j RETURN\nCOMMIT\n';
    const nfs = Array.from({ length: 3000 }, () => createNetfilter());
    withRestoreMemo(() => nfs.forEach((nf) => expect(restore(nf, t)).toEqual({ ok: true })));
    const rulesOf = (nf: NetfilterState) => nf.tables.get('filter')!.chains.get('C')!.rules;
    const lists = (rules: Rule[]) => rules.flatMap((r) => [r.matches, ...r.matches.flatMap((m) => Object.values((m.parsed ?? {}) as object).filter((v): v is unknown[] => Array.isArray(v)))]);
    // The first two restores parse (a text is remembered from its second); the third on are copies.
    const want = lists(rulesOf(nfs[2]!));
    expect(want.length).toBeGreaterThan(3);
    let differing = 0;
    for (const nf of nfs.slice(3)) {
      const got = lists(rulesOf(nf));
      expect(got.length).toBe(want.length);
      got.forEach((l, i) => (differing += sameMap(l, want[i]!) ? 0 : 1));
    }
    expect(differing).toBe(0);
  });

  it('parses a line afresh where its jump target is a chain on one netns and a target on another', () => {
    const t = '*nat\n-A POSTROUTING -j TRACE\nCOMMIT\n';
    const nfs = [createNetfilter(), createNetfilter(), prepared(true, []), createNetfilter()];
    withRestoreMemo(() => nfs.forEach((nf) => restore(nf, t, { noflush: true })));
    const targets = nfs.map((nf) => nf.tables.get('nat')!.chains.get('POSTROUTING')!.rules[0]!.target);
    expect(targets.map((x) => x?.unmodelled === true)).toEqual([true, true, false, true]);
  });

  it('remembers a text from its second restore, and nothing past its scope', () => {
    const t = '*filter\n:C - [0:0]\n-A C -j ACCEPT\nCOMMIT\n';
    expect(rememberedLines(t)).toBeUndefined();
    withRestoreMemo(() => {
      restore(createNetfilter(), t);
      restore(createNetfilter(), t);
      expect(rememberedLines(t)?.rules.filter(Boolean)).toHaveLength(1);
      expect(rememberedLines(t)?.words.filter(Boolean)).toHaveLength(2);
    });
    expect(rememberedLines(t)).toBeUndefined();
  });
});
