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

export interface HopDraft {
  ns: Netns | { id: string; node: string };
  device?: string;
  stage: string;
  packet: Packet;
  changed?: string[];
  rule?: RuleRef;
  explain: string;
}

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
  expect?: ExpectedReply;
  /** Netfilter's view of each namespace, built lazily once per walk. */
  envs?: Map<string, HookEnv>;
}

export function hop(ns: HopDraft['ns'], stage: string, packet: Packet, explain: string, extra?: { device?: string; changed?: string[]; rule?: RuleRef }): HopDraft {
  const d: HopDraft = { ns, stage, packet, explain };
  if (extra?.device !== undefined) d.device = extra.device;
  if (extra?.changed) d.changed = extra.changed;
  if (extra?.rule) d.rule = extra.rule;
  return d;
}

export function devHop(ns: Netns, dev: Device, stage: string, packet: Packet, explain: string, extra?: { changed?: string[]; rule?: RuleRef }): HopDraft {
  return hop(ns, stage, packet, explain, { device: dev.name, ...extra });
}

export function recordHop(ctx: WalkContext, d: HopDraft): void {
  const h: Hop = { seq: ctx.hops.length, node: d.ns.node, netns: d.ns.id, stage: d.stage, packet: d.packet, explain: d.explain };
  if (d.device !== undefined) {
    h.device = d.device;
    h.deviceId = `${d.ns.id}#${d.device}`;
  }
  if (d.changed) h.changed = d.changed;
  if (d.rule) h.rule = d.rule;
  ctx.hops.push(h);
}

export interface WalkEnd {
  verdict: 'delivered' | 'dropped';
  reason?: DropReason;
  /** Who received it: "pod:NS/NAME", a node, an external host; and the socket owner. */
  endpoint?: { netns: string; owner: string };
}
