/**
 * The steps a packet takes through the model, and what each stage returns (STYLE §4: stages
 * return decisions, the walker applies them). A step says where the packet is and in what
 * form: an L3 packet a socket or tunnel just produced (`output`), an L3 packet about to leave
 * by a device (`neigh`), a frame being transmitted (`xmit`) or received (`rx`), an L3 packet
 * entering an IP stack (`ip-rcv`).
 */
import type { Device, Netns } from '../model/types';
import type { Packet } from './packet';
import type { HopDraft, WalkEnd } from './context';

export type Step =
  | { kind: 'output'; ns: Netns; pkt: Packet; tunnel?: boolean }
  | { kind: 'neigh'; ns: Netns; dev: Device; nexthop: string; pkt: Packet }
  | { kind: 'xmit'; ns: Netns; dev: Device; pkt: Packet }
  | { kind: 'rx'; ns: Netns; dev: Device; pkt: Packet }
  | { kind: 'ip-rcv'; ns: Netns; dev: Device; pkt: Packet; preroutingDone?: boolean; noConntrack?: boolean };

/**
 * A step, built with every field of every kind present (undefined where the kind has none): one
 * object shape for all steps, so the walker's reads of `kind`, `ns`, `dev` and `pkt` stay
 * monomorphic instead of seeing five shapes. A `neigh` step must be given its `nexthop`.
 * `noConntrack` (ip-rcv): the packet comes up without its conntrack entry (HookInput.noConntrack).
 */
export function step(kind: Step['kind'], ns: Netns, pkt: Packet, dev?: Device, nexthop?: string, tunnel?: boolean, preroutingDone?: boolean, noConntrack?: boolean): Step {
  return { kind, ns, dev, nexthop, pkt, tunnel, preroutingDone, noConntrack } as Step;
}

export interface StageResult {
  hops: HopDraft[];
  next?: Step;
  end?: WalkEnd;
}

/** A drop: the hop that explains it and the end of the walk. */
export function dropped(hops: HopDraft[], reason: WalkEnd['reason'], last: HopDraft): StageResult {
  return { hops: [...hops, last], end: { verdict: 'dropped', ...(reason ? { reason } : {}) } };
}
