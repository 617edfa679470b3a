// The module of a match or target is remembered on it; a match or target changed in place after
// a packet was evaluated must be evaluated by its new module.
import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng';
import { createConntrack } from './conntrack';
import { runHook } from './evaluate';
import { restore } from './restore';
import { createNetfilter, getChain } from './state';
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
