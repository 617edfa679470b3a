import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TcpHeader } from '../datapath/packet';
import { fromHex } from './bytes';
import { emitTcp, formatTcp, parseTcp, tcpBitsToFlags, tcpFlagsToBits } from './tcp';

function frame(name: string): Uint8Array {
  return fromHex(
    readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
  )!;
}

const a = '10.99.0.1';
const b = '10.99.0.2';

/** Independent TCP checksum over pseudo-header and segment, checksum field skipped. */
function tcpChecksum(src: string, dst: string, seg: Uint8Array): number {
  const ip = (s: string): number[] => s.split('.').map(Number);
  const [s, d] = [ip(src), ip(dst)];
  let sum =
    ((s[0]! << 8) | s[1]!) +
    ((s[2]! << 8) | s[3]!) +
    ((d[0]! << 8) | d[1]!) +
    ((d[2]! << 8) | d[3]!) +
    6 +
    seg.length;
  for (let i = 0; i < seg.length; i += 2) if (i !== 16) sum += (seg[i]! << 8) | (seg[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

// Values as tshark reports them for the captured handshake (see fixtures/frames/ORIGIN.md).
const cases: [string, string, string, Omit<TcpHeader, 'kind'>, number][] = [
  [
    'tcp-syn',
    a,
    b,
    { sport: 51812, dport: 8080, flags: 'S', seq: 2809454892, ack: 0, windowSize: 64240, mss: 1460 },
    0,
  ],
  [
    'tcp-syn-ack',
    b,
    a,
    {
      sport: 8080,
      dport: 51812,
      flags: 'S.',
      seq: 3192072103,
      ack: 2809454893,
      windowSize: 64240,
      mss: 1460,
    },
    0,
  ],
  [
    'tcp-ack',
    a,
    b,
    { sport: 51812, dport: 8080, flags: '.', seq: 2809454893, ack: 3192072104, windowSize: 64240 },
    0,
  ],
  [
    'tcp-data',
    a,
    b,
    { sport: 51812, dport: 8080, flags: 'P.', seq: 2809454893, ack: 3192072104, windowSize: 64240 },
    18,
  ],
  [
    'tcp-fin-ack',
    a,
    b,
    { sport: 51812, dport: 8080, flags: 'F.', seq: 2809454911, ack: 3192072127, windowSize: 64217 },
    0,
  ],
];

describe('tcp', () => {
  it.each(cases)(
    'parses the real %s and re-emits it byte for byte',
    (name, src, dst, fields, payloadLength) => {
      const bytes = frame(name).subarray(34);
      const r = parseTcp(bytes, { ipv4: { src, dst } });
      expect(r.ok && r.header).toEqual({ kind: 'tcp', ...fields });
      if (!r.ok) return;
      expect(r.rest.length).toBe(payloadLength);
      expect(emitTcp(r.header, r.rest, { ipv4: { src, dst } })).toEqual(bytes);
    },
  );

  it('carries the HTTP request of the real data segment', () => {
    const r = parseTcp(frame('tcp-data').subarray(34));
    expect(r.ok && new TextDecoder().decode(r.rest)).toBe('GET / HTTP/1.0\r\n\r\n');
  });

  const header = fc
    .record({
      kind: fc.constant('tcp' as const),
      sport: fc.integer({ min: 0, max: 65535 }),
      dport: fc.integer({ min: 0, max: 65535 }),
      flags: fc.integer({ min: 0, max: 255 }).map(tcpBitsToFlags),
      seq: fc.nat({ max: 0xffffffff }),
      ack: fc.nat({ max: 0xffffffff }),
      windowSize: fc.integer({ min: 0, max: 65535 }),
      mss: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
    })
    .map((h) => {
      if (h.mss === undefined) delete h.mss;
      return h as TcpHeader;
    });

  it('round-trips any header with a checksum an independent computation agrees with', () => {
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 64 }), (h, payload) => {
        const seg = emitTcp(h, payload, { ipv4: { src: a, dst: b } });
        expect((seg[16]! << 8) | seg[17]!).toBe(tcpChecksum(a, b, seg));
        const r = parseTcp(seg, { ipv4: { src: a, dst: b } });
        expect(r.ok && r.header).toEqual(h);
      }),
    );
  });

  it('converts flag strings in tcpdump order', () => {
    expect(tcpBitsToFlags(0x02)).toBe('S');
    expect(tcpBitsToFlags(0x12)).toBe('S.');
    expect(tcpBitsToFlags(0x19)).toBe('FP.');
    expect(tcpBitsToFlags(0x14)).toBe('R.');
    expect(tcpBitsToFlags(0)).toBe('none');
    expect(tcpBitsToFlags(0xc2)).toBe('SEW');
    for (let bits = 0; bits < 256; bits++) expect(tcpFlagsToBits(tcpBitsToFlags(bits))).toBe(bits);
  });

  it('skips options the model does not hold and rejects malformed ones', () => {
    const seg = emitTcp(
      { kind: 'tcp', sport: 1, dport: 2, flags: 'S', seq: 0, ack: 0, windowSize: 0, mss: 1400 },
      new Uint8Array(0),
    );
    // Rewrite as data offset 7 with NOP, NOP, SACK-permitted (4, 2) after MSS.
    const withSack = new Uint8Array(28);
    withSack.set(seg);
    withSack[12] = 7 << 4;
    withSack.set([1, 1, 4, 2], 24);
    expect(parseTcp(withSack)).toMatchObject({ ok: true, header: { mss: 1400 } });
    withSack[27] = 9;
    expect(parseTcp(withSack)).toMatchObject({ ok: false, error: { layer: 'tcp' } });
    expect(
      parseTcp(frame('tcp-syn').subarray(34), { ipv4: { src: '10.99.0.3', dst: b } }),
    ).toMatchObject({ ok: false, error: { reason: 'bad checksum' } });
    const badOffset = seg.slice();
    badOffset[12] = 0x40;
    expect(parseTcp(badOffset).ok).toBe(false);
  });

  it('formats like tcpdump (absolute sequence numbers)', () => {
    const [, , , syn] = cases[0]!;
    expect(formatTcp({ kind: 'tcp', ...syn })).toBe(
      '51812 > 8080: Flags [S], seq 2809454892, win 64240, options [mss 1460], length 0',
    );
    const [, , , data] = cases[3]!;
    expect(formatTcp({ kind: 'tcp', ...data }, 18)).toBe(
      '51812 > 8080: Flags [P.], seq 2809454893:2809454911, ack 3192072104, win 64240, length 18',
    );
  });
});
