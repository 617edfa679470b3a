// The module of a match or target and a rule's jump target are remembered on them; a match,
// target or chain changed after a packet was evaluated must be seen by the next packet.
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
