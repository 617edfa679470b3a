// An expired conntrack entry holds no tuple: NAT's check frees it on the spot and takes the
// tuple (nf_conntrack_tuple_taken), as recent kernels do.
import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng';
import type { ConntrackTable } from './conntrack';
import { createConntrack, lookupConntrack } from './conntrack';
import { runHook } from './evaluate';
import { restore } from './restore';
import { createNetfilter } from './state';
import type { HookEnv, NfPacket } from './types';

const udp = (src: string, sport: number, dst: string, dport: number): NfPacket => ({ src, dst, sport, dport, protocol: 'udp', mark: 0, length: 40 });

describe('NAT and expired connections (nf_conntrack_tuple_taken)', () => {
  const env = (now: number): HookEnv => ({ isLocal: () => false, primaryAddress: () => undefined, rng: createRng(7), now });

  /**
   * A forwarded UDP packet through PREROUTING and POSTROUTING (SNAT); the source port it leaves
   * with. `between` runs after PREROUTING, where the packet's entry is created.
   */
  function forward(nf: ReturnType<typeof createNetfilter>, ct: ConntrackTable, p: NfPacket, now: number, between?: () => void): number | undefined {
    const pre = runHook(nf, ct, { hook: 'PREROUTING', packet: p, inIface: 'eth1' }, env(now));
    between?.();
    const post = runHook(nf, ct, { hook: 'POSTROUTING', packet: pre.packet, outIface: 'eth0' }, env(now));
    return post.packet.sport;
  }

  function setup() {
    const nf = createNetfilter();
    restore(nf, '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 10.0.0.0/24 -o eth0 -j SNAT --to-source 192.168.0.1\nCOMMIT\n');
    const ct = createConntrack();
    // The occupant: 10.0.0.1:40000 → 8.8.8.8:53, SNATed keeping its port (reply 8.8.8.8:53 →
    // 192.168.0.1:40000). Unreplied UDP lives 30 s: expires = 30.
    expect(forward(nf, ct, udp('10.0.0.1', 40000, '8.8.8.8', 53), 0)).toBe(40000);
    const occupant = [...ct.entries.values()].find((e) => e.orig.src === '10.0.0.1')!;
    expect(occupant.expires).toBe(30);
    return { nf, ct, occupant };
  }

  it('a live occupant keeps its tuple: another client with the same port is given another', () => {
    const { nf, ct } = setup();
    // At 30 the occupant expires but still counts (it could still serve its own packet's hooks).
    expect(forward(nf, ct, udp('10.0.0.2', 40000, '8.8.8.8', 53), 30)).not.toBe(40000);
  });

  it('an expired occupant holds nothing: the next connection keeps the port, and the occupant is freed', () => {
    const { nf, ct, occupant } = setup();
    // Kept alive until the new packet has passed PREROUTING (whose new entry makes a sweep that
    // would free it), then expired (as at 30 s): the tuple check is what meets it, with nothing
    // having looked it up since.
    occupant.expires = 1e6;
    expect(forward(nf, ct, udp('10.0.0.2', 40000, '8.8.8.8', 53), 31, () => (occupant.expires = 30))).toBe(40000);
    expect(ct.entries.has(occupant.id)).toBe(false);
    // The reply reaches the new connection, not the old one.
    const back = lookupConntrack(ct, udp('8.8.8.8', 53, '192.168.0.1', 40000), 31);
    expect(back?.dir).toBe('reply');
    expect(back?.entry.orig.src).toBe('10.0.0.2');
  });
});
