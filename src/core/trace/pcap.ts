/**
 * A trace as a capture file (DESIGN §4, §6): every hop's packet snapshot serialised by
 * `core/wire` and written as pcapng, one interface per device the packets crossed
 * (`node-1/flannel.1`, `pod:default/a/eth0`, `underlay-0/node-1>node-2` for the wire), with
 * the hop's explanation as the packet comment, so Wireshark shows the journey hop by hop.
 *
 * Link types: a hop whose packet starts with an Ethernet header is an Ethernet frame; one
 * that starts with IPv4 (inside an IP stack: route, netfilter, forward, deliver) is written on
 * a LINKTYPE_IPV4 interface. When a device has both, the IPv4 one is named `… (L3)`.
 * Timestamps come from the options (no clock is read): request hops first, then the reply's.
 */
import type { Flow, Hop } from './types';
import type { PcapngInterface, PcapngPacket } from '../wire/pcapng';
import type { DnsMessage } from '../wire/dns';
import { writePcapng } from '../wire/pcapng';
import { emitPacket } from '../wire/packet-bytes';

/** Options of `flowPcapng`. */
export interface FlowPcapOptions {
  /** Timestamp of the first packet, µs since the Unix epoch (default 0). */
  startMicros?: number;
  /** Time between consecutive hops, µs (default 1000). */
  stepMicros?: number;
}

/** One packet of the capture, before serialisation: which hop, on which interface. */
export interface PcapRecord {
  flow: number;
  direction: 'request' | 'reply';
  hop: Hop;
  interfaceName: string;
  linktype: PcapngInterface['linktype'];
}

function linktypeOf(h: Hop): PcapngInterface['linktype'] | undefined {
  const first = h.packet.headers[0]?.kind;
  if (first === 'eth') return 'ethernet';
  if (first === 'ipv4') return 'raw-ipv4';
  return undefined;
}

/** The hops that become packets, in capture order, with their interfaces. */
export function pcapRecords(flows: readonly Flow[]): PcapRecord[] {
  const out: PcapRecord[] = [];
  const kinds = new Map<string, Set<PcapngInterface['linktype']>>();
  flows.forEach((f, i) => {
    const walks: [PcapRecord['direction'], Hop[]][] = [['request', f.hops], ['reply', f.reply?.hops ?? []]];
    for (const [direction, hops] of walks) {
      for (const hop of hops) {
        const linktype = linktypeOf(hop);
        if (!linktype) continue;
        const base = `${hop.netns}/${hop.device ?? '-'}`;
        if (!kinds.has(base)) kinds.set(base, new Set());
        kinds.get(base)!.add(linktype);
        out.push({ flow: i, direction, hop, interfaceName: base, linktype });
      }
    }
  });
  for (const r of out) if (r.linktype === 'raw-ipv4' && kinds.get(r.interfaceName)!.size > 1) r.interfaceName += ' (L3)';
  return out;
}

/** A DNS payload is written as its message (else the capture holds filler bytes Wireshark calls malformed). */
function dnsOf(h: Hop): { dns?: DnsMessage } {
  const dns = h.packet.payload.dns;
  return dns ? { dns } : {};
}

function comment(r: PcapRecord, flows: number): string {
  const where = flows > 1 ? `flow ${r.flow} ` : '';
  return `${where}${r.direction} hop ${r.hop.seq} ${r.hop.stage}: ${r.hop.explain}`;
}

/**
 * The pcapng bytes of one or more flows. Never throws; a hop without an IPv4 or Ethernet
 * header on top (none the walker makes) is left out.
 */
export function flowPcapng(flows: Flow | readonly Flow[], opts: FlowPcapOptions = {}): Uint8Array {
  const list: readonly Flow[] = Array.isArray(flows) ? flows : [flows as Flow];
  const records = pcapRecords(list);
  const interfaces: PcapngInterface[] = [];
  const index = new Map<string, number>();
  const packets: PcapngPacket[] = [];
  const start = opts.startMicros ?? 0;
  const step = opts.stepMicros ?? 1000;
  records.forEach((r, i) => {
    let at = index.get(r.interfaceName);
    if (at === undefined) {
      at = interfaces.length;
      index.set(r.interfaceName, at);
      interfaces.push({ name: r.interfaceName, description: `${r.hop.node} ${r.hop.netns} ${r.hop.device ?? ''}`.trim(), linktype: r.linktype });
    }
    packets.push({ interfaceIndex: at, timestampMicros: start + i * step, bytes: emitPacket(r.hop.packet, dnsOf(r.hop)), comment: comment(r, list.length) });
  });
  return writePcapng(interfaces, packets);
}
