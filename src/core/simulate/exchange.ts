/**
 * One exchange (DESIGN §4) to an address: the request a client socket sends, walked until
 * delivered or dropped, and — when a socket took it — the reply that socket sends back, walked
 * home through the same conntrack entries (so every NAT is reversed at the right hop). TCP is
 * summarised as its SYN and SYN-ACK, ICMP as echo request and reply, UDP as one datagram each
 * way. Callers that carry an application message (DNS) supply the payloads through
 * `ExchangeHooks`; the server's answer may depend on which netns received the request.
 * Names are not resolved here (simulate/request.ts does that first).
 */
import type { ClusterModel, Netns } from '../model/types';
import type { Flow } from '../trace/types';
import type { Header, Ipv4Header, Packet, Payload } from '../datapath/packet';
import type { WalkContext } from '../datapath/context';
import type { Source, Target } from './refs';
import { walk } from '../datapath/walker';
import { step } from '../datapath/step';
import { outerIp, l4Of } from '../datapath/headers';
import { createRng } from '../util/rng';
import { buildExternalHost } from '../compile/underlay';
import { findLocalAddress } from '../model/netns';
import { ipv4ToInt } from '../util/ip';

/** Application payloads of an exchange (default: summaries of a bare SYN, datagram or ping). */
export interface ExchangeHooks {
  request?: Payload;
  /** The reply's payload, given what arrived and where; `null` means the server stays silent. */
  reply?: (received: Packet, server: Netns) => Payload | null;
}

export interface FlowOptions {
  /** Overrides the cluster's seed. */
  seed?: number;
  /** Which flow of a run this is: each gets its own random stream and source port. */
  index?: number;
  /** Simulated time in seconds. */
  now?: number;
  /** Payloads of the exchange (DNS messages). */
  payload?: ExchangeHooks;
  /** A sub-stream of flow `index` (e.g. `dns:2`), so helper exchanges never shift its numbers. */
  stream?: string;
  /** The request's initial TTL (the socket's IP_TTL, `ping -t`); 64 (ip_default_ttl) otherwise. */
  ttl?: number;
}

export type FlowResult = { ok: true; flow: Flow } | { ok: false; error: string };

const EPHEMERAL = [32768, 60999] as const;

function requestPacket(src: Source, t: Target, ip: string, ctx: WalkContext, mss: number, ttl = 64): Packet {
  const ipH: Ipv4Header = { kind: 'ipv4', src: '', dst: ip, ttl, protocol: t.protocol, id: ctx.rng.int(1, 65535), df: true };
  // A container talking to 127.0.0.1 is bound to loopback; otherwise routing picks the source.
  if (ip.startsWith('127.')) ipH.src = '127.0.0.1';
  let l4: Header;
  let summary: string;
  if (t.protocol === 'tcp') {
    l4 = { kind: 'tcp', sport: ctx.rng.int(EPHEMERAL[0], EPHEMERAL[1]), dport: t.port!, flags: 'S', seq: ctx.rng.u32(), ack: 0, windowSize: 64240, mss };
    summary = `TCP SYN: ${t.scheme ? `${t.scheme.toUpperCase()} ` : ''}connection to ${t.host}:${t.port}${t.path && t.path !== '/' ? t.path : ''}`;
  } else if (t.protocol === 'udp') {
    l4 = { kind: 'udp', sport: ctx.rng.int(EPHEMERAL[0], EPHEMERAL[1]), dport: t.port! };
    summary = `UDP datagram to ${t.host}:${t.port}`;
  } else if (t.protocol === 'sctp') {
    l4 = { kind: 'sctp', sport: ctx.rng.int(EPHEMERAL[0], EPHEMERAL[1]), dport: t.port!, vtag: 0, chunk: 'INIT' };
    summary = `SCTP INIT: association to ${t.host}:${t.port}`;
  } else {
    l4 = { kind: 'icmp', type: 8, code: 0, id: ctx.rng.int(1, 65535), seq: 1 };
    summary = `ICMP echo request (ping ${t.host})`;
  }
  return { headers: [ipH, l4], payload: { length: t.protocol === 'tcp' || t.protocol === 'sctp' ? 0 : 56, summary } };
}

function replyPacket(received: Packet, ctx: WalkContext, payload?: Payload): Packet {
  const ip = outerIp(received);
  const l4 = l4Of(received)!;
  const ipH: Ipv4Header = { kind: 'ipv4', src: ip.dst, dst: ip.src, ttl: 64, protocol: ip.protocol, id: ctx.rng.int(1, 65535), df: true };
  let h: Header;
  let summary: string;
  if (l4.kind === 'tcp') {
    h = { kind: 'tcp', sport: l4.dport, dport: l4.sport, flags: 'S.', seq: ctx.rng.u32(), ack: (l4.seq + 1) >>> 0, windowSize: 65160, ...(l4.mss ? { mss: l4.mss } : {}) };
    summary = 'TCP SYN-ACK: the server accepts the connection';
  } else if (l4.kind === 'udp') {
    h = { kind: 'udp', sport: l4.dport, dport: l4.sport };
    summary = 'UDP reply';
  } else if (l4.kind === 'sctp') {
    h = { kind: 'sctp', sport: l4.dport, dport: l4.sport, vtag: (l4.sport * 65536 + l4.dport) >>> 0 || 1, chunk: 'INIT_ACK' };
    summary = 'SCTP INIT ACK: the server accepts the association';
  } else {
    h = { kind: 'icmp', type: 0, code: 0, id: l4.kind === 'icmp' ? l4.id : 0, seq: l4.kind === 'icmp' ? l4.seq : 0 };
    summary = 'ICMP echo reply';
  }
  return { headers: [ipH, h], payload: payload ?? { length: received.payload.length, summary } };
}

function endpointName(model: ClusterModel, netns: string): string {
  const ns = model.netns.get(netns);
  if (!ns) return netns;
  if (ns.pod) return ns.pod;
  return ns.kind === 'host' ? `external/${ns.name}` : ns.node === 'underlay' ? ns.name : ns.node;
}

/** Makes sure an address outside the cluster exists as an external host, so it can answer. */
export function ensureExternal(model: ClusterModel, ip: string): void {
  for (const ns of model.netns.values()) if (findLocalAddress(ns, ipv4ToInt(ip))) return;
  const inside = (cidr: string) => {
    const [a, p] = cidr.split('/');
    const m = Number(p) === 0 ? 0 : (0xffffffff << (32 - Number(p))) >>> 0;
    return ((ipv4ToInt(ip) & m) >>> 0) === ((ipv4ToInt(a!) & m) >>> 0);
  };
  if (inside(model.podCIDR) || inside(model.serviceCIDR) || ip.startsWith('127.')) return;
  for (const seg of model.segments.values()) if (inside(seg.cidr) && seg.id !== 'internet') return;
  buildExternalHost(model, model.seed, ip, ip);
}

function podMtu(ns: Netns): number {
  const eth0 = ns.devices.find((d) => d.name === 'eth0');
  return eth0?.mtu ?? 1500;
}

/**
 * The kernel's answer to a SYN nobody listens for: a RST walked back to the client, through the
 * same conntrack entries (which the RST then kills, as the connection never became ASSURED).
 */
function refusal(model: ClusterModel, ctx: WalkContext, client: Netns, t: Target, hops: Flow['hops']): Flow['reply'] {
  const last = hops[hops.length - 1]!;
  const server = model.netns.get(last.netns);
  const syn = l4Of(last.packet);
  if (!server || syn?.kind !== 'tcp') return undefined;
  const sent = hops[0]!.packet;
  const ip = outerIp(last.packet);
  const rst: Packet = {
    headers: [
      { kind: 'ipv4', src: ip.dst, dst: ip.src, ttl: 64, protocol: 'tcp', id: 0, df: true },
      { kind: 'tcp', sport: syn.dport, dport: syn.sport, flags: 'R.', seq: 0, ack: (syn.seq + 1) >>> 0, windowSize: 0 },
    ],
    payload: { length: 0, summary: 'TCP RST: connection refused' },
  };
  const rctx: WalkContext = { model, rng: ctx.rng, now: ctx.now, hops: [], expect: { netns: client.id, ip: outerIp(sent).src, protocol: t.protocol, port: (l4Of(sent) as { sport: number }).sport }, envs: ctx.envs, lastEnv: undefined };
  const rend = walk(rctx, step('output', server, rst));
  return { verdict: rend.verdict, hops: rctx.hops, ...(rend.reason ? { reason: rend.reason } : {}) };
}

/**
 * Walks one exchange from `src` to `t` (whose `ip` must be set) and back. `label` is what the
 * flow's `to` says (the text the user gave).
 */
export function traceExchange(model: ClusterModel, src: Source, t: Target & { ip: string }, label: string, opts: FlowOptions = {}): Flow {
  if (t.host === t.ip) ensureExternal(model, t.ip); // a pod/ or node/ reference is inside the cluster
  const seed = opts.seed ?? model.seed;
  // Every context with the same fields in the same order (one object shape for the walk's reads).
  const ctx: WalkContext = { model, rng: opts.stream ? createRng(seed, 'flow', opts.index ?? 0, opts.stream) : createRng(seed, 'flow', opts.index ?? 0), now: opts.now ?? opts.index ?? 0, hops: [], expect: undefined, envs: undefined, lastEnv: undefined };
  const ns = src.netns;
  const request = requestPacket(src, t, t.ip, ctx, podMtu(ns) - 40, opts.ttl);
  if (opts.payload?.request) request.payload = opts.payload.request;
  const end = walk(ctx, step('output', ns, request));
  const flow: Flow = { verdict: end.verdict, from: src.label, to: label, hops: ctx.hops };
  if (end.verdict === 'dropped') {
    flow.reason = end.reason ?? 'unreachable';
    if (end.reason === 'connection-refused') flow.reply = refusal(model, ctx, ns, t, ctx.hops);
    return flow;
  }
  flow.endpoint = endpointName(model, end.endpoint!.netns);
  const sent = ctx.hops[0]!.packet;
  const received = ctx.hops[ctx.hops.length - 1]!.packet;
  const serverNs = model.netns.get(end.endpoint!.netns)!;
  const answer = opts.payload?.reply ? opts.payload.reply(received, serverNs) : undefined;
  if (answer === null) return flow;
  const rctx: WalkContext = { model, rng: ctx.rng, now: ctx.now, hops: [], expect: { netns: ns.id, ip: outerIp(sent).src, protocol: t.protocol, ...(t.protocol !== 'icmp' ? { port: (l4Of(sent) as { sport: number }).sport } : {}) }, envs: ctx.envs, lastEnv: undefined };
  const rend = walk(rctx, step('output', serverNs, replyPacket(received, rctx, answer)));
  flow.reply = { verdict: rend.verdict, hops: rctx.hops, ...(rend.reason ? { reason: rend.reason } : {}) };
  if (rend.verdict === 'dropped') {
    flow.verdict = 'dropped';
    flow.reason = `reply: ${rend.reason ?? 'unreachable'}`;
  }
  return flow;
}
