import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IcmpHeader } from '../datapath/packet';
import { fromHex } from './bytes';
import { emitIcmp, formatIcmp, parseIcmp } from './icmp';
import { parseIpv4 } from './ipv4';

function frame(name: string): Uint8Array {
  return fromHex(
    readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
  )!;
}

/** The ICMP message of a captured Ethernet frame (IPv4 without options). */
function icmpOf(name: string, outerIpHeaders = 1): Uint8Array {
  return frame(name).subarray(14 + 20 * outerIpHeaders);
}

describe('icmp', () => {
  it.each([
    ['icmp-echo-request', { type: 8, code: 0, id: 8138, seq: 1 }, 64],
    ['icmp-echo-reply', { type: 0, code: 0, id: 8138, seq: 1 }, 64],
    ['icmp-port-unreachable', { type: 3, code: 3, id: 0, seq: 0 }, 50],
    ['icmp-time-exceeded', { type: 11, code: 0, id: 0, seq: 0 }, 92],
    ['icmp-protocol-unreachable', { type: 3, code: 2, id: 0, seq: 0 }, 112],
  ])('parses the real %s and re-emits it byte for byte', (name, fields, messageLength) => {
    const bytes = icmpOf(name);
    expect(bytes.length).toBe(messageLength);
    const r = parseIcmp(bytes);
    expect(r.ok && r.header).toEqual({ kind: 'icmp', ...fields });
    if (!r.ok) return;
    expect(emitIcmp(r.header, r.rest)).toEqual(bytes);
  });

  it('quotes the offending datagram in errors (Linux quotes as much as fits in 576 bytes)', () => {
    const r = parseIcmp(icmpOf('icmp-port-unreachable'));
    if (!r.ok) throw new Error(r.error.reason);
    const quoted = parseIpv4(r.rest);
    expect(quoted.ok && quoted.header).toMatchObject({
      src: '10.99.0.1',
      dst: '10.99.0.2',
      protocol: 'udp',
    });
  });

  it('round-trips any header and catches corrupted messages', () => {
    const header = fc.record({
      kind: fc.constant('icmp' as const),
      type: fc.integer({ min: 0, max: 255 }),
      code: fc.integer({ min: 0, max: 255 }),
      id: fc.integer({ min: 0, max: 65535 }),
      seq: fc.integer({ min: 0, max: 65535 }),
    });
    fc.assert(
      fc.property(
        header,
        fc.uint8Array({ maxLength: 50 }),
        fc.nat(),
        (h: IcmpHeader, payload, flip) => {
          const b = emitIcmp(h, payload);
          expect(parseIcmp(b)).toMatchObject({ ok: true, header: h });
          const at = flip % b.length;
          b[at] = b[at]! ^ 0x01;
          expect(parseIcmp(b).ok).toBe(false);
        },
      ),
    );
  });

  it('formats like tcpdump', () => {
    expect(formatIcmp({ kind: 'icmp', type: 8, code: 0, id: 8138, seq: 1 }, 64)).toBe(
      'ICMP echo request, id 8138, seq 1, length 64',
    );
    expect(formatIcmp({ kind: 'icmp', type: 3, code: 3, id: 0, seq: 0 })).toBe(
      'ICMP port unreachable',
    );
    expect(formatIcmp({ kind: 'icmp', type: 3, code: 4, id: 0, seq: 1450 })).toBe(
      'ICMP unreachable - need to frag (mtu 1450)',
    );
    expect(formatIcmp({ kind: 'icmp', type: 11, code: 0, id: 0, seq: 0 })).toBe(
      'ICMP time exceeded in-transit',
    );
  });
});
