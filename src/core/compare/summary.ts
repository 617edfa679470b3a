/**
 * What a flow costs and what it looks like from the server: the figures `hopscope compare` puts
 * side by side. Every figure is read from the trace alone (hops, packets, rules), so two traces
 * of two variants compare field by field.
 */
import type { Flow, Hop } from '../trace/types';
import type { Packet } from '../datapath/packet';
import { HEADER_BYTES } from '../datapath/packet';

/** One flow in numbers. */
export interface FlowSummary {
  verdict: Flow['verdict'];
  reason?: string;
  /** The pod or node that answered. */
  endpoint?: string;
  /** Hops of the request walk (the reply's are in `replyHops`). */
  hops: number;
  replyHops: number;
  /** Routers that decremented the TTL on the way (what traceroute would list). */
  routedHops: number;
  /** Largest encapsulation overhead on the way, in bytes (VXLAN 50, IPIP 20, none 0). */
  encapBytes: number;
  /** Encapsulations used, outermost first (`vxlan`, `ipip`). */
  encapsulation: string[];
  /** Address rewrites of the request, e.g. `node-1: dst 10.96.0.10:80 → 10.244.1.2:8080`. */
  nat: string[];
  /** Source address (and port) as the server's socket sees it. */
  sourceSeenByServer?: string;
  /** iptables rules evaluated along the request walk. */
  rulesEvaluated: number;
  /** Devices crossed by the request, in order, as canvas ids (`netns#dev`). */
  devices: string[];
}

function innermostIp(p: Packet): number {
  for (let i = p.headers.length - 1; i >= 0; i--) if (p.headers[i]!.kind === 'ipv4') return i;
  return -1;
}

function overhead(p: Packet): { bytes: number; kinds: string[] } {
  const inner = innermostIp(p);
  let bytes = 0;
  const kinds: string[] = [];
  for (let i = 0; i < inner; i++) {
    const h = p.headers[i]!;
    if (i === 0 && h.kind === 'eth') continue; // the link layer is there with or without a tunnel
    bytes += HEADER_BYTES[h.kind];
    if (h.kind === 'vxlan') kinds.push('vxlan');
    if (h.kind === 'ipv4' && p.headers[i + 1]?.kind === 'ipv4') kinds.push('ipip');
  }
  return { bytes, kinds };
}

function endpointOf(p: Packet, field: 'src' | 'dst'): string {
  const i = innermostIp(p);
  const ip = p.headers[i];
  const l4 = p.headers[i + 1];
  if (!ip || ip.kind !== 'ipv4') return '?';
  const port = l4 && (l4.kind === 'tcp' || l4.kind === 'udp') ? `:${field === 'src' ? l4.sport : l4.dport}` : '';
  return `${ip[field]}${port}`;
}

function natLines(hops: Hop[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < hops.length; i++) {
    const c = hops[i]!.changed ?? [];
    for (const field of ['src', 'dst'] as const) {
      if (!c.includes(`ipv4.${field}`)) continue;
      out.push(`${hops[i]!.netns}: ${field} ${endpointOf(hops[i - 1]!.packet, field)} → ${endpointOf(hops[i]!.packet, field)}`);
    }
  }
  return out;
}

/** The summary of one flow. */
export function summarizeFlow(flow: Flow): FlowSummary {
  let encapBytes = 0;
  const encapsulation: string[] = [];
  const devices: string[] = [];
  for (const h of flow.hops) {
    const o = overhead(h.packet);
    encapBytes = Math.max(encapBytes, o.bytes);
    for (const k of o.kinds) if (!encapsulation.includes(k)) encapsulation.push(k);
    if (h.deviceId && devices[devices.length - 1] !== h.deviceId) devices.push(h.deviceId);
  }
  const last = flow.hops[flow.hops.length - 1];
  return {
    verdict: flow.verdict,
    ...(flow.reason ? { reason: flow.reason } : {}),
    ...(flow.endpoint ? { endpoint: flow.endpoint } : {}),
    hops: flow.hops.length,
    replyHops: flow.reply?.hops.length ?? 0,
    routedHops: flow.hops.filter((h) => h.stage === 'forward' && (h.changed ?? []).includes('ipv4.ttl')).length,
    encapBytes,
    encapsulation,
    nat: natLines(flow.hops),
    ...(flow.verdict === 'delivered' && last ? { sourceSeenByServer: endpointOf(last.packet, 'src') } : {}),
    rulesEvaluated: flow.hops.reduce((n, h) => n + (h.rule?.evaluated?.length ?? 0), 0),
    devices,
  };
}
