// A connection with both DNAT and SNAT (NodePort under externalTrafficPolicy Cluster): every hook
// must find the entry, including between the two manips, as the kernel's skb->_nfct does.
import { describe, expect, it } from 'vitest';
import type { NfPacket } from './types';
import { createConntrack, createEntry, lookupConntrack, removeConntrack, setReplyTuple } from './conntrack';

const pkt = (src: string, sport: number, dst: string, dport: number): NfPacket => ({ src, dst, sport, dport, protocol: 'tcp', mark: 0, length: 60 });

describe('conntrack lookup between DNAT and SNAT', () => {
  const ct = createConntrack();
  // client 203.0.113.10:40000 → node 192.168.0.12:30080, DNAT to 10.244.0.3:8080, SNAT to 192.168.0.12:50000
  const e = createEntry(ct, pkt('203.0.113.10', 40000, '192.168.0.12', 30080), 0);
  setReplyTuple(ct, e, { src: '10.244.0.3', sport: 8080, dst: '192.168.0.12', dport: 50000 });

  it('finds the original after DNAT but before SNAT', () => {
    expect(lookupConntrack(ct, pkt('203.0.113.10', 40000, '10.244.0.3', 8080), 0)).toMatchObject({ entry: e, dir: 'original' });
  });

  it('finds the reply after un-SNAT but before un-DNAT', () => {
    expect(lookupConntrack(ct, pkt('10.244.0.3', 8080, '203.0.113.10', 40000), 0)).toMatchObject({ entry: e, dir: 'reply' });
  });

  it('forgets every form when the entry goes', () => {
    removeConntrack(ct, e);
    expect(ct.index.size).toBe(0);
  });
});
