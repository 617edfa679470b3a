/**
 * The state of one walk and the recorder of its hops (STYLE §9: traces are recorded by a
 * wrapper, not by logging in every function). Stages return hop drafts; only the walker
 * numbers and stores them.
 */
import type { ClusterModel, Device, Netns } from '../model/types';
import type { DropReason, Hop, RuleRef } from '../trace/types';
import type { Packet } from './packet';
import type { Rng } from '../util/rng';
import type { HookEnv } from '../netfilter/types';

/**
 * A hop as a stage drafts it: already the `Hop` the trace will hold (same fields, same key order),
 * with `seq` filled in by the walker when it records the hop. Drafting the final object saves a
 * second object and a copy per hop.
 */
export type HopDraft = Hop;

/** The socket that will accept the reply: the client's ephemeral port. */
export interface ExpectedReply {
  netns: string;
  ip: string;
  port?: number;
  protocol: 'tcp' | 'udp' | 'icmp' | 'sctp';
}

export interface WalkContext {
  model: ClusterModel;
  rng: Rng;
  /** Simulated time in seconds. */
  now: number;
  hops: Hop[];
  /** For reply walks: where the reply must land to count as delivered. */
  expect?: ExpectedReply | undefined;
  /** Netfilter's view of each namespace, built lazily once per walk (by the namespace object: no key string compared per hook). */
  envs?: Map<Netns, HookEnv> | undefined;
  /** The last of `envs` used: a packet crosses several hooks of one namespace in a row, and this saves the map lookup for each. */
  lastEnv?: HookEnv | undefined;
}

/**
 * Drafts a hop in `ns` (a namespace, or the underlay segment as `{ id, node }`). The optional
 * parts are positional rather than an options object: one object fewer per hop, and every
 * stage drafts several hops per packet.
 */
export function hop(ns: { id: string; node: string }, stage: string, packet: Packet, explain: string, device?: string, changed?: string[], rule?: RuleRef): HopDraft {
  // Key order as the trace has always printed it: seq, node, netns, stage, packet, explain,
  // then device, deviceId, changed, rule when present.
  const h: Hop = { seq: 0, node: ns.node, netns: ns.id, stage, packet, explain };
  if (device !== undefined) {
    h.device = device;
    h.deviceId = `${ns.id}#${device}`;
  }
  if (changed) h.changed = changed;
  if (rule) h.rule = rule;
  return h;
}

/** A hop at device `dev` of `ns` (the device and its canvas id always present). */
export function devHop(ns: Netns, dev: Device, stage: string, packet: Packet, explain: string, changed?: string[], rule?: RuleRef): HopDraft {
  const h: Hop = { seq: 0, node: ns.node, netns: ns.id, stage, packet, explain, device: dev.name, deviceId: `${ns.id}#${dev.name}` };
  if (changed) h.changed = changed;
  if (rule) h.rule = rule;
  return h;
}

/** Numbers a drafted hop and stores it (each draft is recorded once). */
export function recordHop(ctx: WalkContext, d: HopDraft): void {
  d.seq = ctx.hops.length;
  ctx.hops.push(d);
}

export interface WalkEnd {
  verdict: 'delivered' | 'dropped';
  reason?: DropReason;
  /** Who received it: "pod:NS/NAME", a node, an external host; and the socket owner. */
  endpoint?: { netns: string; owner: string };
}
