import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Header, Packet } from './packet';
import { vxlanSourcePort } from './tunnels';
import { describeFlow, withHeaders } from './headers';
import { hashString } from '../util/rng';

const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const port = fc.integer({ min: 0, max: 65535 });
const l4 = fc.oneof(
  fc.record({ sport: port, dport: port }).map((p): Header => ({ kind: 'tcp', sport: p.sport, dport: p.dport, flags: 'S', seq: 1, ack: 0, windowSize: 64240 })),
  fc.record({ sport: port, dport: port }).map((p): Header => ({ kind: 'udp', sport: p.sport, dport: p.dport })),
  fc.nat(255).map((t): Header => ({ kind: 'icmp', type: t, code: 0, id: 1, seq: 1 })),
);
/** An Ethernet frame around an IPv4 packet, as a VXLAN device receives it to send. */
const frame = fc.tuple(ip, ip, l4).map(([src, dst, t]): Packet => ({
  headers: [{ kind: 'eth', src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', ethertype: 0x0800 }, { kind: 'ipv4', src, dst, ttl: 64, protocol: t.kind === 'tcp' || t.kind === 'udp' || t.kind === 'icmp' ? t.kind : 'tcp', id: 1, df: true }, t],
  payload: { length: 0, summary: '' },
}));

describe('vxlanSourcePort', () => {
  it('is the FNV-1a hash of `src|dst|protocol|sport|dport` mapped onto 32768–60999', () => {
    fc.assert(
      fc.property(frame, (p) => {
        const i = p.headers[1] as Extract<Header, { kind: 'ipv4' }>;
        const t = p.headers[2]!;
        const ports = t.kind === 'tcp' || t.kind === 'udp' ? `${t.sport}|${t.dport}` : '0|0';
        return vxlanSourcePort(p) === 32768 + (hashString(`${i.src}|${i.dst}|${i.protocol}|${ports}`) % (61000 - 32768));
      }),
      { numRuns: 500 },
    );
  });
});

describe('describeFlow from a header index', () => {
  it('describes the packet from that header on as if the outer headers were cut off', () => {
    const outer: Header[] = [
      { kind: 'ipv4', src: '192.168.1.10', dst: '192.168.1.11', ttl: 64, protocol: 'udp', id: 7, df: false },
      { kind: 'udp', sport: 40000, dport: 8472 },
      { kind: 'vxlan', vni: 1 },
    ];
    fc.assert(
      fc.property(frame, (p) => {
        const encap = withHeaders(p, [...outer, ...p.headers]);
        return describeFlow(encap, 3) === describeFlow(p) && describeFlow(encap, 0) === '192.168.1.10:40000 → 192.168.1.11:8472';
      }),
      { numRuns: 300 },
    );
    expect(describeFlow({ headers: [{ kind: 'ipv4', src: '10.0.0.1', dst: '10.0.0.2', ttl: 64, protocol: 'icmp', id: 1, df: true }, { kind: 'icmp', type: 8, code: 0, id: 1, seq: 1 }], payload: { length: 56, summary: '' } })).toBe('10.0.0.1 → 10.0.0.2');
  });
});
