import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Header, IpProtocol, Ipv4Header, Packet } from '../datapath/packet';
import { bytesToIpv4, bytesToMac, fromHex } from './bytes';
import { dnsQuery } from './dns';
import { emitPacket, fillerPayload, parsePacket } from './packet-bytes';
import { tcpBitsToFlags } from './tcp';

const dir = new URL('../../../fixtures/frames/', import.meta.url);
function frame(name: string): Uint8Array {
  return fromHex(readFileSync(new URL(`${name}.hex`, dir), 'utf8'))!;
}
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.hex'))
  .map((f) => f.slice(0, -4));

function kinds(p: Packet): string[] {
  return p.headers.map((h) => (h.kind === 'ipv4' ? `ipv4/${h.protocol}` : h.kind));
}

describe('parsePacket on real frames', () => {
  it('has a fixture for every protocol', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures)('parses %s and emits it again byte for byte', (name) => {
    const bytes = frame(name);
    const r = parsePacket(bytes, 'eth');
    if (!r.ok) throw new Error(`${r.error.layer} at ${r.error.offset}: ${r.error.reason}`);
    expect(emitPacket(r.packet, { payload: r.payload })).toEqual(bytes);
  });

  it('decodes stacks by EtherType, protocol and port', () => {
    const parse = (name: string, first: 'eth' | 'ipv4' = 'eth', skip = 0): string[] => {
      const r = parsePacket(frame(name).subarray(skip), first);
      return r.ok ? kinds(r.packet) : [r.error.reason];
    };
    expect(parse('arp-request')).toEqual(['eth', 'arp']);
    expect(parse('tcp-syn')).toEqual(['eth', 'ipv4/tcp', 'tcp']);
    expect(parse('vxlan-icmp-echo-request')).toEqual([
      'eth',
      'ipv4/udp',
      'udp',
      'vxlan',
      'eth',
      'ipv4/icmp',
      'icmp',
    ]);
    expect(parse('vxlan-arp-request')).toEqual(['eth', 'ipv4/udp', 'udp', 'vxlan', 'eth', 'arp']);
    expect(parse('ipip-icmp-echo-request')).toEqual(['eth', 'ipv4/ipip', 'ipv4/icmp', 'icmp']);
    expect(parse('ipip-icmp-echo-request', 'ipv4', 14)).toEqual(['ipv4/ipip', 'ipv4/icmp', 'icmp']);
  });

  it('decodes UDP port 53 as DNS and sums it up', () => {
    const r = parsePacket(frame('dns-response-a'), 'eth');
    expect(r.ok && r.dns?.answers[0]).toMatchObject({ type: 'A', address: '10.96.0.10' });
    expect(r.ok && r.packet.payload).toEqual({
      length: 74,
      summary: 'DNS 36748* 1/0/1 A 10.96.0.10',
    });
  });

  it('drops ARP padding: a 60-byte ARP frame has no payload', () => {
    const padded = new Uint8Array(60);
    padded.set(frame('arp-request'));
    const r = parsePacket(padded, 'eth');
    expect(r.ok && r.packet.payload.length).toBe(0);
  });

  it('returns errors, never throws, for truncated frames and what the model cannot hold', () => {
    for (const name of fixtures) {
      const bytes = frame(name);
      for (let n = 0; n < bytes.length; n += 3) {
        const r = parsePacket(bytes.subarray(0, n), 'eth');
        expect(r.ok, `${name} cut at ${n}`).toBe(false);
      }
    }
    const v6 = frame('udp').slice();
    v6[12] = 0x86;
    v6[13] = 0xdd;
    expect(parsePacket(v6, 'eth')).toMatchObject({
      ok: false,
      error: { layer: 'eth', reason: 'unsupported ethertype 0x86dd' },
    });
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom('eth' as const, 'ipv4' as const),
        (b, first) => {
          expect(() => parsePacket(b, first)).not.toThrow();
        },
      ),
    );
  });
});

const u16 = fc.integer({ min: 0, max: 0xffff });
const ip = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => bytesToIpv4(b));
const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => bytesToMac(b));
/** Ports that do not switch decoding to DNS or VXLAN. */
const port = u16.filter((p) => p !== 53 && p !== 4789 && p !== 8472);

const ipv4 = (protocol: IpProtocol): fc.Arbitrary<Ipv4Header> =>
  fc.record({
    kind: fc.constant('ipv4' as const),
    src: ip,
    dst: ip,
    ttl: fc.integer({ min: 1, max: 255 }),
    protocol: fc.constant(protocol),
    id: u16,
    df: fc.boolean(),
  });
const eth = (ethertype: number): fc.Arbitrary<Header> =>
  fc.record({
    kind: fc.constant('eth' as const),
    src: mac,
    dst: mac,
    ethertype: fc.constant(ethertype),
  });

const l4: fc.Arbitrary<Header[]> = fc.oneof(
  fc
    .record({
      sport: port,
      dport: port,
      flags: fc.integer({ min: 0, max: 255 }).map(tcpBitsToFlags),
      seq: fc.nat({ max: 0xffffffff }),
      ack: fc.nat({ max: 0xffffffff }),
      windowSize: u16,
      mss: fc.option(u16, { nil: undefined }),
    })
    .chain((t) =>
      ipv4('tcp').map((h): Header[] => [
        h,
        t.mss === undefined ? { kind: 'tcp', ...t, mss: undefined } : { kind: 'tcp', ...t },
      ]),
    )
    .map(
      (hs) =>
        hs.map((h) =>
          h.kind === 'tcp' && h.mss === undefined ? (({ mss: _m, ...rest }) => rest)(h) : h,
        ) as Header[],
    ),
  fc
    .tuple(ipv4('udp'), port, port)
    .map(([h, sport, dport]): Header[] => [h, { kind: 'udp', sport, dport }]),
  fc
    .tuple(ipv4('icmp'), fc.constantFrom(0, 3, 8, 11), fc.integer({ min: 0, max: 15 }), u16, u16)
    .map(([h, type, code, id, seq]): Header[] => [h, { kind: 'icmp', type, code, id, seq }]),
);
const l3: fc.Arbitrary<Header[]> = fc.oneof(
  l4,
  fc.tuple(ipv4('ipip'), l4).map(([outer, inner]) => [outer, ...inner]),
);
const l2: fc.Arbitrary<Header[]> = fc.oneof(
  fc.tuple(eth(0x0800), l3).map(([e, rest]) => [e, ...rest]),
  fc
    .tuple(
      eth(0x0806),
      fc.record({
        kind: fc.constant('arp' as const),
        op: fc.constantFrom('request' as const, 'reply' as const),
        senderMac: mac,
        senderIp: ip,
        targetMac: mac,
        targetIp: ip,
      }),
    )
    .map((hs): Header[] => hs),
);
const vxlan: fc.Arbitrary<Header[]> = fc
  .tuple(
    eth(0x0800),
    ipv4('udp'),
    port,
    fc.constantFrom(4789, 8472),
    fc.integer({ min: 0, max: 0xffffff }),
    l2,
  )
  .map(([e, h, sport, dport, vni, inner]) => [
    e,
    h,
    { kind: 'udp', sport, dport },
    { kind: 'vxlan', vni },
    ...inner,
  ]);
const packet: fc.Arbitrary<Packet> = fc
  .tuple(fc.oneof(l3, l2, vxlan), fc.nat(120))
  .map(([headers, n]) => ({
    headers,
    payload: { length: headers[headers.length - 1]!.kind === 'arp' ? 0 : n, summary: '' },
  }));

describe('emitPacket', () => {
  it('round-trips any packet the model can hold', () => {
    fc.assert(
      fc.property(packet, (p) => {
        const first = p.headers[0]!.kind === 'eth' ? 'eth' : 'ipv4';
        const r = parsePacket(emitPacket(p), first);
        if (!r.ok) throw new Error(`${r.error.layer}: ${r.error.reason}`);
        expect(r.packet).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it('fills payloads with deterministic bytes', () => {
    expect([...fillerPayload(3)]).toEqual([0, 1, 2]);
    expect(fillerPayload(300)[257]).toBe(1);
    expect(fillerPayload(-1).length).toBe(0);
  });

  it('carries a DNS message when given one', () => {
    const p: Packet = {
      headers: [
        {
          kind: 'ipv4',
          src: '10.244.1.5',
          dst: '10.96.0.10',
          ttl: 64,
          protocol: 'udp',
          id: 1,
          df: false,
        },
        { kind: 'udp', sport: 40000, dport: 53 },
      ],
      payload: { length: 0, summary: 'DNS A? kubernetes.default' },
    };
    const m = dnsQuery(0x1234, 'kubernetes.default.svc.cluster.local');
    const r = parsePacket(emitPacket(p, { dns: m }), 'ipv4');
    expect(r.ok && r.dns).toEqual(m);
    expect(r.ok && r.packet.payload).toEqual({
      length: 54,
      summary: 'DNS 4660+ A? kubernetes.default.svc.cluster.local.',
    });
  });

  it('writes outer VXLAN UDP checksum 0 only when asked (Linux noudpcsum)', () => {
    const r = parsePacket(frame('vxlan-icmp-echo-request'), 'eth');
    if (!r.ok) throw new Error(r.error.reason);
    const on = emitPacket(r.packet, { payload: r.payload });
    const off = emitPacket(r.packet, { payload: r.payload, vxlanUdpChecksum: false });
    expect((on[40]! << 8) | on[41]!).toBe(0x0f68); // tshark: udp.checksum 0x0f68
    expect((off[40]! << 8) | off[41]!).toBe(0);
    expect(parsePacket(off, 'eth').ok).toBe(true);
  });
});
