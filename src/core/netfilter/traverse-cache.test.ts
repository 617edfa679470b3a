// The module of a match or target and a rule's jump target are remembered on them; a match,
// target or chain changed after a packet was evaluated must be seen by the next packet.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng';
import { createConntrack } from './conntrack';
import { runHook } from './evaluate';
import { restore } from './restore';
import { createNetfilter, ensureChain, getChain, getTable } from './state';
import type { HookEnv, NfPacket } from './types';

const env: HookEnv = { isLocal: () => false, primaryAddress: () => undefined, rng: createRng(1, 't'), now: 0 };
const pkt = (sport: number): NfPacket => ({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', sport, dport: 80, tcpFlags: 'S', mark: 0, length: 60 });

describe('remembered match and target modules', () => {
  it('follow a match and a target changed in place', () => {
    const nf = createNetfilter();
    expect(restore(nf, '*filter\n-A FORWARD -m mark --mark 0x1 -j DROP\nCOMMIT\n', { noflush: true })).toEqual({ ok: true });
    const ct = createConntrack();
    const run = (sport: number) => runHook(nf, ct, { hook: 'FORWARD', packet: pkt(sport), inIface: 'a', outIface: 'b' }, env);
    expect(run(1000).verdict).toBe('ACCEPT'); // mark 0 is not 0x1
    const rule = getChain(nf, 'filter', 'FORWARD')!.rules[0]!;
    // The same Match object becomes a comment match (always true): the rule now drops.
    const m = rule.matches[0]!;
    m.module = 'comment';
    m.options = [['--comment', 'x']];
    m.parsed = 'x';
    delete rule.text;
    expect(run(1001).verdict).toBe('DROP');
    // The same Target object becomes ACCEPT: the packet passes again, decided by the rule.
    rule.target!.name = 'ACCEPT';
    delete rule.text;
    const r = run(1002);
    expect(r.verdict).toBe('ACCEPT');
    expect(r.decided?.text).toBe('-A FORWARD -m comment --comment x -j ACCEPT');
  });
});

describe('remembered jump targets', () => {
  const rules = '*filter\n:X - [0:0]\n-A FORWARD -j X\n-A X -j DROP\nCOMMIT\n';

  it('follow a chain deleted and created again, a deleted chain, and a restore', () => {
    const nf = createNetfilter();
    expect(restore(nf, rules, { noflush: true })).toEqual({ ok: true });
    const ct = createConntrack();
    const run = (sport: number) => runHook(nf, ct, { hook: 'FORWARD', packet: pkt(sport), inIface: 'a', outIface: 'b' }, env);
    expect(run(2000).verdict).toBe('DROP');
    // Deleted (as Calico's Felix deletes its chains) and created again, empty: the size is back
    // where it was, the jump must reach the new chain.
    getTable(nf, 'filter').chains.delete('X');
    ensureChain(nf, 'filter', 'X');
    const again = run(2001);
    expect(again.verdict).toBe('ACCEPT');
    expect(again.evaluated.map((e) => e.text)).toEqual(['-A FORWARD -j X']);
    // Deleted for good: the jump names no chain any more (unmodelled, the walk goes on).
    getTable(nf, 'filter').chains.delete('X');
    expect(run(2002)).toMatchObject({ verdict: 'ACCEPT', unmodelled: ['-j X'] });
    // A restore commits new chains (the rule objects may be shared with the old table).
    expect(restore(nf, rules.replace('-A X -j DROP', '-A X -j REJECT'), { noflush: false })).toEqual({ ok: true });
    expect(run(2003).verdict).toBe('REJECT');
  });
});

describe('chain memos (records, rule fields, modules, jumps)', () => {
  // A pool of rules over two user chains; a walk with memos must see what a walk of the same
  // rules without any memo (a structuredClone: symbol-keyed memos are not copied) sees, after
  // any sequence of rules replaced, removed, swapped, appended or edited in place.
  const POOL = [
    '-A FORWARD -s 10.0.0.0/8 -j X',
    '-A FORWARD -d 10.0.0.2/32 -j RETURN',
    '-A FORWARD -i eth0 -j X',
    '-A FORWARD -o eth1 -j DROP',
    '-A FORWARD -m comment --comment c -j Y',
    '-A FORWARD -p udp -j ACCEPT',
    '-A FORWARD -m mark --mark 0x1 -j REJECT',
    '-A X -p tcp -m tcp --dport 80 -j ACCEPT',
    '-A X -m mark --mark 0x1 -j DROP',
    '-A X -j RETURN',
    '-A X -g Y',
    '-A Y -p udp -j ACCEPT',
    '-A Y ! -s 10.0.0.1/32 -j DROP',
  ];
  const parsed = (line: string) => {
    const nf = createNetfilter();
    expect(restore(nf, `*filter\n:X - [0:0]\n:Y - [0:0]\n${line}\nCOMMIT\n`, { noflush: true })).toEqual({ ok: true });
    const chain = line.split(' ')[1]!;
    return getChain(nf, 'filter', chain)!.rules[0]!;
  };
  const edit = fc.record({ kind: fc.constantFrom('replace', 'remove', 'swap', 'push', 'in-place'), chain: fc.constantFrom('FORWARD', 'X', 'Y'), i: fc.nat(), j: fc.nat(), line: fc.constantFrom(...POOL) });
  const probe = fc.record({ sport: fc.constantFrom(1000, 2000), dport: fc.constantFrom(80, 53), protocol: fc.constantFrom('tcp' as const, 'udp' as const), mark: fc.constantFrom(0, 1), src: fc.constantFrom('10.0.0.1', '192.168.0.1'), inIface: fc.constantFrom('eth0', 'cni0') });

  it('walk as a fresh copy of the same rules does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(edit, fc.array(probe, { minLength: 1, maxLength: 3 })), { maxLength: 12 }), (steps) => {
        const nf = createNetfilter();
        expect(restore(nf, `*filter\n:X - [0:0]\n:Y - [0:0]\n${POOL.join('\n')}\nCOMMIT\n`, { noflush: true })).toEqual({ ok: true });
        const ct = createConntrack();
        for (const [e, probes] of steps) {
          const rules = getChain(nf, 'filter', e.chain)!.rules;
          const fresh = parsed(e.line.replace(/^-A \S+/, `-A ${e.chain}`));
          if (e.kind === 'push') rules.push(fresh);
          else if (rules.length && e.kind === 'replace') rules[e.i % rules.length] = fresh;
          else if (rules.length && e.kind === 'remove') rules.splice(e.i % rules.length, 1);
          else if (rules.length && e.kind === 'swap') {
            const a = e.i % rules.length;
            const b = e.j % rules.length;
            [rules[a], rules[b]] = [rules[b]!, rules[a]!];
          } else if (rules.length && e.kind === 'in-place') {
            // Edited in place: the fields of another rule, and the cached text dropped.
            const r = rules[e.i % rules.length]!;
            for (const k of ['src', 'dst', 'inIface', 'outIface', 'protocol', 'goto', 'target', 'text'] as const) delete r[k];
            Object.assign(r, { ...fresh, chain: r.chain, packets: r.packets, bytes: r.bytes });
            delete r.text;
          }
          for (const p of probes) {
            const packet: NfPacket = { src: p.src, dst: '10.0.0.2', protocol: p.protocol, sport: p.sport, dport: p.dport, tcpFlags: 'S', mark: p.mark, length: 60 };
            const input = { hook: 'FORWARD' as const, packet, inIface: p.inIface, outIface: 'eth1' };
            const want = runHook(structuredClone(nf), createConntrack(), input, env);
            const got = runHook(nf, ct, input, env);
            expect(JSON.stringify(got.evaluated)).toBe(JSON.stringify(want.evaluated));
            expect([got.verdict, got.decided, got.policy, got.unmodelled]).toEqual([want.verdict, want.decided, want.policy, want.unmodelled]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
