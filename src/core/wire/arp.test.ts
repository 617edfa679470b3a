import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ArpHeader } from '../datapath/packet';
import { fromHex } from './bytes';
import { emitArp, formatArp, parseArp } from './arp';

function frame(name: string): Uint8Array {
  return fromHex(
    readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
  )!;
}

describe('arp', () => {
  // tshark: "Who has 10.99.0.2? Tell 10.99.0.1" and "10.99.0.2 is at 02:00:00:00:00:0b"
  const request: ArpHeader = {
    kind: 'arp',
    op: 'request',
    senderMac: '02:00:00:00:00:0a',
    senderIp: '10.99.0.1',
    targetMac: '00:00:00:00:00:00',
    targetIp: '10.99.0.2',
  };
  const reply: ArpHeader = {
    kind: 'arp',
    op: 'reply',
    senderMac: '02:00:00:00:00:0b',
    senderIp: '10.99.0.2',
    targetMac: '02:00:00:00:00:0a',
    targetIp: '10.99.0.1',
  };

  it.each([
    ['arp-request', request],
    ['arp-reply', reply],
  ])('parses and re-emits the real %s byte for byte', (name, expected) => {
    const bytes = frame(name).subarray(14);
    const r = parseArp(bytes);
    expect(r.ok && r.header).toEqual(expected);
    expect(emitArp(expected)).toEqual(bytes);
  });

  it('rejects other hardware types and opcodes', () => {
    const b = emitArp(request);
    b[1] = 6;
    expect(parseArp(b)).toMatchObject({ ok: false, error: { layer: 'arp' } });
    const c = emitArp(request);
    c[7] = 3;
    expect(parseArp(c)).toMatchObject({ ok: false, error: { offset: 6 } });
    expect(parseArp(new Uint8Array(27)).ok).toBe(false);
  });

  it('formats like tcpdump', () => {
    expect(formatArp(request)).toBe('ARP, Request who-has 10.99.0.2 tell 10.99.0.1, length 28');
    expect(formatArp(reply)).toBe('ARP, Reply 10.99.0.2 is-at 02:00:00:00:00:0b, length 28');
  });
});
