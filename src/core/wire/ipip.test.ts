import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Ipv4Header } from '../datapath/packet';
import { fromHex } from './bytes';
import { emitIpip, formatIpip, isIpip, parseIpip } from './ipip';
import { emitIpv4, parseIpv4 } from './ipv4';

function frame(name: string): Uint8Array {
  return fromHex(
    readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
  )!;
}

describe('ipip', () => {
  it('parses the real IPIP packet (tshark: outer id 0xb1f6 proto 4, inner id 0xbc15 ICMP) and re-emits it', () => {
    const bytes = frame('ipip-icmp-echo-request').subarray(14);
    const outer = parseIpip(bytes);
    if (!outer.ok) throw new Error(outer.error.reason);
    expect(outer.header).toEqual({
      kind: 'ipv4',
      src: '10.99.0.1',
      dst: '10.99.0.2',
      ttl: 64,
      protocol: 'ipip',
      id: 0xb1f6,
      df: true,
    });
    expect(isIpip(outer.header)).toBe(true);
    const inner = parseIpv4(outer.rest);
    expect(inner.ok && inner.header).toMatchObject({ protocol: 'icmp', id: 0xbc15 });
    // The inner packet is the captured echo request, unchanged.
    expect(outer.rest).toEqual(frame('icmp-echo-request').subarray(14));
    expect(emitIpip(outer.header, outer.rest)).toEqual(bytes);
  });

  it('rejects outer headers of other protocols and non-IPv4 payloads', () => {
    expect(parseIpip(frame('icmp-echo-request').subarray(14))).toMatchObject({
      ok: false,
      error: { layer: 'ipip' },
    });
    const h: Ipv4Header = {
      kind: 'ipv4',
      src: '1.1.1.1',
      dst: '2.2.2.2',
      ttl: 64,
      protocol: 'ipip',
      id: 1,
      df: false,
    };
    expect(parseIpip(emitIpv4(h, new Uint8Array(20)))).toMatchObject({
      ok: false,
      error: { reason: 'inner packet is not IPv4' },
    });
  });

  it('formats like tcpdump', () => {
    const outer: Ipv4Header = {
      kind: 'ipv4',
      src: '192.168.0.11',
      dst: '192.168.0.12',
      ttl: 64,
      protocol: 'ipip',
      id: 1,
      df: false,
    };
    const inner: Ipv4Header = {
      kind: 'ipv4',
      src: '10.244.1.2',
      dst: '10.244.2.3',
      ttl: 63,
      protocol: 'tcp',
      id: 2,
      df: true,
    };
    expect(formatIpip(outer, inner)).toBe(
      'IP 192.168.0.11 > 192.168.0.12: IP 10.244.1.2 > 10.244.2.3 (ipip-proto-4)',
    );
  });
});
