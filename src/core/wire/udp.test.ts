import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { UdpHeader } from '../datapath/packet';
import { fromHex } from './bytes';
import { emitUdp, formatUdp, parseUdp } from './udp';

function frame(name: string): Uint8Array {
  return fromHex(
    readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
  )!;
}

const addrs = { src: '10.99.0.1', dst: '10.99.0.2' };

/** Independent UDP checksum: pseudo-header words + datagram words, checksum field skipped. */
function udpChecksum(src: number[], dst: number[], d: Uint8Array): number {
  const words = [
    (src[0]! << 8) | src[1]!,
    (src[2]! << 8) | src[3]!,
    (dst[0]! << 8) | dst[1]!,
    (dst[2]! << 8) | dst[3]!,
    17,
    d.length,
  ];
  for (let i = 0; i < d.length; i += 2) if (i !== 6) words.push((d[i]! << 8) | (d[i + 1] ?? 0));
  let sum = words.reduce((a, b) => a + b, 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  const c = ~sum & 0xffff;
  return c === 0 ? 0xffff : c;
}

describe('udp', () => {
  it('parses the real datagram (tshark: 40204 → 5000, checksum 0x49bb) and re-emits it byte for byte', () => {
    const bytes = frame('udp').subarray(34);
    const r = parseUdp(bytes, { ipv4: addrs });
    expect(r.ok && r.header).toEqual({ kind: 'udp', sport: 40204, dport: 5000 });
    if (!r.ok) return;
    expect(new TextDecoder().decode(r.rest)).toBe('hello hopscope');
    const again = emitUdp(r.header, r.rest, { ipv4: addrs });
    expect(again).toEqual(bytes);
    expect((again[6]! << 8) | again[7]!).toBe(0x49bb);
  });

  it('computes the checksum an independent implementation agrees with', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.uint8Array({ maxLength: 99 }),
        (sport, dport, payload) => {
          const b = emitUdp({ kind: 'udp', sport, dport }, payload, { ipv4: addrs });
          expect((b[6]! << 8) | b[7]!).toBe(udpChecksum([10, 99, 0, 1], [10, 99, 0, 2], b));
          const r = parseUdp(b, { ipv4: addrs });
          expect(r.ok && r.header).toEqual({ kind: 'udp', sport, dport });
        },
      ),
    );
  });

  it('sends a computed zero as 0xffff, and 0 only when told (noudpcsum)', () => {
    // Pick the payload that makes the one's-complement sum 0xffff, so the checksum computes to 0.
    const h: UdpHeader = { kind: 'udp', sport: 0, dport: 0 };
    const zeroSum = emitUdp(h, Uint8Array.of(0, 0), { checksum: false });
    const partial = udpChecksum([0, 0, 0, 0], [0, 0, 0, 0], zeroSum);
    const b = emitUdp(h, Uint8Array.of(partial >> 8, partial & 0xff));
    expect((b[6]! << 8) | b[7]!).toBe(0xffff);
    expect(parseUdp(b, { ipv4: { src: '0.0.0.0', dst: '0.0.0.0' } }).ok).toBe(true);
    const off = emitUdp(h, new Uint8Array(4), { ipv4: addrs, checksum: false });
    expect((off[6]! << 8) | off[7]!).toBe(0);
    expect(parseUdp(off, { ipv4: addrs }).ok).toBe(true);
  });

  it('returns errors for bad checksums and lengths', () => {
    const bytes = frame('udp').subarray(34).slice();
    expect(parseUdp(bytes, { ipv4: { src: '10.99.0.9', dst: '10.99.0.2' } })).toMatchObject({
      ok: false,
      error: { reason: 'bad checksum' },
    });
    expect(parseUdp(bytes.subarray(0, 10))).toMatchObject({ ok: false, error: { offset: 4 } });
    expect(parseUdp(new Uint8Array(7)).ok).toBe(false);
  });

  it('formats like tcpdump', () => {
    expect(formatUdp({ kind: 'udp', sport: 40204, dport: 5000 }, 14)).toBe(
      '40204 > 5000: UDP, length 14',
    );
  });
});
