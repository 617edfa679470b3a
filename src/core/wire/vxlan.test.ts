import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex } from './bytes';
import { parseEthernet } from './ethernet';
import { parseIpv4 } from './ipv4';
import { parseUdp } from './udp';
import { VXLAN_PORTS, emitVxlan, formatVxlan, parseVxlan } from './vxlan';

function frame(name: string): Uint8Array {
  return fromHex(
    readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
  )!;
}

describe('vxlan', () => {
  it('parses the real flannel.1 frame (tshark: udp 41644 → 8472, vni 1) and re-emits the header', () => {
    const bytes = frame('vxlan-icmp-echo-request');
    const ip = parseIpv4(bytes.subarray(14));
    if (!ip.ok) throw new Error(ip.error.reason);
    const udp = parseUdp(ip.rest, { ipv4: ip.header });
    if (!udp.ok) throw new Error(udp.error.reason);
    expect(udp.header).toEqual({ kind: 'udp', sport: 41644, dport: 8472 });
    expect(VXLAN_PORTS).toContain(udp.header.dport);
    const vx = parseVxlan(udp.rest);
    expect(vx.ok && vx.header).toEqual({ kind: 'vxlan', vni: 1 });
    if (!vx.ok) return;
    expect(emitVxlan(vx.header, vx.rest)).toEqual(udp.rest);
    const inner = parseEthernet(vx.rest);
    expect(inner.ok && inner.header).toEqual({
      kind: 'eth',
      src: '02:00:00:00:01:0a',
      dst: '02:00:00:00:01:0b',
      ethertype: 0x0800,
    });
  });

  it('round-trips every 24-bit VNI', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (vni) => {
        const b = emitVxlan({ kind: 'vxlan', vni }, new Uint8Array(0));
        expect(b[0]).toBe(0x08);
        expect(parseVxlan(b)).toMatchObject({ ok: true, header: { vni } });
      }),
    );
  });

  it('rejects headers without the I flag, as Linux does', () => {
    expect(parseVxlan(new Uint8Array(8))).toMatchObject({ ok: false, error: { layer: 'vxlan' } });
    expect(parseVxlan(new Uint8Array(7)).ok).toBe(false);
  });

  it('formats like tcpdump', () => {
    expect(formatVxlan({ kind: 'vxlan', vni: 1 })).toBe('VXLAN, flags [I] (0x08), vni 1');
  });
});
