import { describe, expect, it } from 'vitest';
import { cluster } from '../testing/cluster';
import { parsePacket } from '../wire/packet-bytes';
import { flowPcapng, pcapRecords } from './pcap';
import { resolveSource } from '../simulate/refs';
import { lookupWithFlows } from '../simulate/dns-flows';

/** Reads back a pcapng file: interface names/linktypes and each packet's interface, bytes, comment. */
function readPcapng(b: Uint8Array): { ifaces: { name: string; linktype: number }[]; packets: { iface: number; bytes: Uint8Array; comment: string }[] } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ifaces: { name: string; linktype: number }[] = [];
  const packets: { iface: number; bytes: Uint8Array; comment: string }[] = [];
  const text = (o: number, n: number) => new TextDecoder().decode(b.subarray(o, o + n));
  const options = (o: number, end: number): Map<number, string> => {
    const m = new Map<number, string>();
    while (o + 4 <= end) {
      const code = dv.getUint16(o, true);
      const len = dv.getUint16(o + 2, true);
      if (code === 0) break;
      m.set(code, text(o + 4, len));
      o += 4 + ((len + 3) & ~3);
    }
    return m;
  };
  for (let at = 0; at < b.length; ) {
    const type = dv.getUint32(at, true);
    const len = dv.getUint32(at + 4, true);
    if (type === 1) ifaces.push({ linktype: dv.getUint16(at + 8, true), name: options(at + 16, at + len - 4).get(2)! });
    if (type === 6) {
      const cap = dv.getUint32(at + 20, true);
      const data = at + 28;
      packets.push({ iface: dv.getUint32(at + 8, true), bytes: b.slice(data, data + cap), comment: options(data + ((cap + 3) & ~3), at + len - 4).get(1) ?? '' });
    }
    at += len;
  }
  return { ifaces, packets };
}

describe('flowPcapng', () => {
  const c = cluster().nodes(2).cni('flannel', { backend: 'vxlan' }).pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80] }).build();
  const flow = c.trace('pod/a', 'pod/default/b:80');

  it('writes every hop of request and reply, on one interface per device, with the explanation as comment', () => {
    const { ifaces, packets } = readPcapng(flowPcapng(flow));
    expect(packets).toHaveLength(flow.hops.length + flow.reply!.hops.length);
    const names = ifaces.map((i) => i.name);
    expect(names).toContain('node-1/flannel.1');
    expect(names).toContain('underlay-0/node-1>node-2');
    expect(new Set(names).size).toBe(names.length);
    expect(packets[0]!.comment).toBe(`request hop 0 ${flow.hops[0]!.stage}: ${flow.hops[0]!.explain}`);
  });

  it('serialises each snapshot so that it parses back to the same headers', () => {
    const { ifaces, packets } = readPcapng(flowPcapng(flow));
    const hops = [...flow.hops, ...flow.reply!.hops];
    packets.forEach((p, i) => {
      const parsed = parsePacket(p.bytes, ifaces[p.iface]!.linktype === 1 ? 'eth' : 'ipv4');
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.packet.headers).toEqual(hops[i]!.packet.headers);
    });
  });

  it('splits a device seen both as frames and inside the IP stack into an (L3) interface', () => {
    const recs = pcapRecords([flow]);
    const cni0 = recs.filter((r) => r.interfaceName.startsWith('node-1/cni0'));
    expect(new Set(cni0.map((r) => `${r.interfaceName}|${r.linktype}`))).toEqual(new Set(['node-1/cni0|ethernet', 'node-1/cni0 (L3)|raw-ipv4']));
  });

  it('is deterministic', () => {
    expect(flowPcapng([flow, flow], { startMicros: 5 })).toEqual(flowPcapng([flow, flow], { startMicros: 5 }));
  });

  it('writes a DNS payload as its message, so the capture holds the query and the reply Wireshark decodes (not filler bytes)', () => {
    const d = cluster().dns().cni('flannel', { backend: 'vxlan' }).pod('client', { node: 'node-1' }).build();
    const src = resolveSource(d.model, 'pod/default/client');
    if (!src.ok) throw new Error(src.error);
    const answered = lookupWithFlows(d.model, src.value, 'kubernetes', { index: 0 }).exchanges.find((e) => e.reply?.answers.length)!;
    const { ifaces, packets } = readPcapng(flowPcapng(answered.flow));
    // Every packet but the ARP exchanges on the way.
    const messages = packets.filter((p) => !/ arp: /.test(p.comment)).map((p) => {
      const parsed = parsePacket(p.bytes, ifaces[p.iface]!.linktype === 1 ? 'eth' : 'ipv4');
      return parsed.ok ? parsed.dns : undefined;
    });
    expect(messages.length).toBeGreaterThan(4);
    expect(messages.every((m) => m !== undefined)).toBe(true);
    expect(messages[0]).toMatchObject({ qr: false, questions: [{ name: 'kubernetes.default.svc.cluster.local', type: 'A' }] });
    expect(messages[messages.length - 1]).toMatchObject({ qr: true, answers: [{ type: 'A', address: '10.96.0.1' }] });
  });
});
