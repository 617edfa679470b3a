import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { EthernetHeader } from '../datapath/packet';
import { bytesToMac, fromHex } from './bytes';
import { emitEthernet, formatEthernet, parseEthernet } from './ethernet';

function frame(name: string): Uint8Array {
  return fromHex(
    readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
  )!;
}

const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => bytesToMac(b));

describe('ethernet', () => {
  it('parses a real frame (ARP request from a Linux veth)', () => {
    const r = parseEthernet(frame('arp-request'));
    expect(r.ok && r.header).toEqual({
      kind: 'eth',
      dst: 'ff:ff:ff:ff:ff:ff',
      src: '02:00:00:00:00:0a',
      ethertype: 0x0806,
    });
    expect(r.ok && r.rest.length).toBe(28);
  });

  it('emits what it parses, byte for byte', () => {
    const bytes = frame('icmp-echo-request');
    const r = parseEthernet(bytes);
    if (!r.ok) throw new Error(r.error.reason);
    expect(emitEthernet(r.header, r.rest)).toEqual(bytes);
  });

  it('round-trips any header', () => {
    fc.assert(
      fc.property(
        mac,
        mac,
        fc.integer({ min: 0x600, max: 0xffff }),
        fc.uint8Array({ maxLength: 64 }),
        (src, dst, ethertype, payload) => {
          const h: EthernetHeader = { kind: 'eth', src, dst, ethertype };
          const r = parseEthernet(emitEthernet(h, payload));
          expect(r.ok && r.header).toEqual(h);
          expect(r.ok && [...r.rest]).toEqual([...payload]);
        },
      ),
    );
  });

  it('returns errors for short frames and 802.3 length fields', () => {
    expect(parseEthernet(new Uint8Array(13))).toMatchObject({ ok: false, error: { layer: 'eth' } });
    expect(parseEthernet(new Uint8Array(14))).toMatchObject({ ok: false, error: { offset: 12 } });
  });

  it('formats like tcpdump -e', () => {
    const h: EthernetHeader = {
      kind: 'eth',
      src: '02:00:00:00:00:0a',
      dst: '02:00:00:00:00:0b',
      ethertype: 0x0800,
    };
    expect(formatEthernet(h, 98)).toBe(
      '02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype IPv4 (0x0800), length 98',
    );
  });
});
