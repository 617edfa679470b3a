import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IpProtocol, Ipv4Header } from '../datapath/packet';
import { bytesToIpv4, fromHex } from './bytes';
import { TOS_INTERNETCONTROL, emitIpv4, formatIpv4, parseIpv4 } from './ipv4';

function frame(name: string): Uint8Array {
  return fromHex(
    readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
  )!;
}

/** Independent header checksum: sum the ten words except the checksum, fold, complement. */
function headerChecksum(h: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) if (i !== 10) sum += (h[i]! << 8) + h[i + 1]!;
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

const ipv4Header = fc.record({
  kind: fc.constant('ipv4' as const),
  src: fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => bytesToIpv4(b)),
  dst: fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => bytesToIpv4(b)),
  ttl: fc.integer({ min: 0, max: 255 }),
  protocol: fc.constantFrom<IpProtocol>('tcp', 'udp', 'icmp', 'ipip'),
  id: fc.integer({ min: 0, max: 0xffff }),
  df: fc.boolean(),
});

describe('ipv4', () => {
  it('parses a real echo request (tshark: id 0xbc15, ttl 64, DF) and re-emits it byte for byte', () => {
    const bytes = frame('icmp-echo-request').subarray(14);
    const r = parseIpv4(bytes);
    expect(r.ok && r.header).toEqual({
      kind: 'ipv4',
      src: '10.99.0.1',
      dst: '10.99.0.2',
      ttl: 64,
      protocol: 'icmp',
      id: 0xbc15,
      df: true,
    });
    if (!r.ok) return;
    expect(r.rest.length).toBe(64);
    expect(emitIpv4(r.header, r.rest)).toEqual(bytes);
  });

  it('re-emits a real ICMP error with the TOS Linux gives it (0xc0, which the model does not hold)', () => {
    const bytes = frame('icmp-port-unreachable').subarray(14);
    const r = parseIpv4(bytes);
    if (!r.ok) throw new Error(r.error.reason);
    expect(emitIpv4(r.header, r.rest, { tos: TOS_INTERNETCONTROL })).toEqual(bytes);
    expect(emitIpv4(r.header, r.rest)[1]).toBe(0);
  });

  it('parses a real echo reply without DF (Linux clears it on ICMP replies)', () => {
    const r = parseIpv4(frame('icmp-echo-reply').subarray(14));
    expect(r.ok && r.header).toMatchObject({ id: 0x4b6a, df: false, src: '10.99.0.2' });
  });

  it('writes a header checksum an independent computation agrees with', () => {
    fc.assert(
      fc.property(ipv4Header, fc.uint8Array({ maxLength: 40 }), (h: Ipv4Header, payload) => {
        const b = emitIpv4(h, payload);
        expect((b[10]! << 8) | b[11]!).toBe(headerChecksum(b));
        const r = parseIpv4(b);
        expect(r.ok && r.header).toEqual(h);
        expect(r.ok && [...r.rest]).toEqual([...payload]);
      }),
    );
  });

  it('trims Ethernet padding using the total length', () => {
    const b = emitIpv4(
      { kind: 'ipv4', src: '1.1.1.1', dst: '2.2.2.2', ttl: 1, protocol: 'udp', id: 0, df: false },
      new Uint8Array(8),
    );
    const padded = new Uint8Array(46);
    padded.set(b);
    const r = parseIpv4(padded);
    expect(r.ok && r.rest.length).toBe(8);
  });

  it('returns errors for bad checksums, fragments, other versions, unknown protocols and bad lengths', () => {
    const good = frame('icmp-echo-request').subarray(14);
    const mutate = (at: number, v: number): Uint8Array => {
      const b = good.slice();
      b[at] = v;
      return b;
    };
    expect(parseIpv4(mutate(8, 63))).toMatchObject({
      ok: false,
      error: { reason: 'bad header checksum' },
    });
    const frag = emitIpv4(
      { kind: 'ipv4', src: '1.1.1.1', dst: '2.2.2.2', ttl: 1, protocol: 'udp', id: 0, df: false },
      new Uint8Array(8),
    );
    frag[6] = 0x20; // MF
    frag[10] = 0;
    frag[11] = 0;
    const sum = headerChecksum(frag);
    frag[10] = sum >> 8;
    frag[11] = sum & 0xff;
    expect(parseIpv4(frag)).toMatchObject({ ok: false, error: { offset: 6 } });
    expect(parseIpv4(mutate(0, 0x65))).toMatchObject({ ok: false, error: { offset: 0 } });
    expect(parseIpv4(good.subarray(0, 50))).toMatchObject({ ok: false, error: { offset: 2 } });
    expect(parseIpv4(new Uint8Array(3))).toMatchObject({ ok: false, error: { layer: 'ipv4' } });
  });

  it('formats like tcpdump -v', () => {
    const h: Ipv4Header = {
      kind: 'ipv4',
      src: '10.99.0.1',
      dst: '10.99.0.2',
      ttl: 64,
      protocol: 'icmp',
      id: 48149,
      df: true,
    };
    expect(formatIpv4(h, 84)).toBe(
      'IP (tos 0x0, ttl 64, id 48149, offset 0, flags [DF], proto ICMP (1), length 84) 10.99.0.1 > 10.99.0.2',
    );
  });
});
