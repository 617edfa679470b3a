/**
 * The one datapath walker (DESIGN §4). It moves a packet step by step through the model —
 * every plugin and proxy mode only configured the objects it walks — and records a hop for
 * everything that happened. Guarantee: every walk ends delivered or dropped with a reason,
 * within MAX_STEPS (a forwarding loop is cut by TTL long before that).
 */
import type { StageResult, Step } from './step';
import type { WalkContext, WalkEnd } from './context';
import { hop, recordHop } from './context';
import { output } from './ip-output';
import { ipReceive } from './ip-input';
import { neighbour, receive, transmit } from './link';

export const MAX_STEPS = 512;

function runStage(ctx: WalkContext, s: Step): StageResult {
  switch (s.kind) {
    case 'output':
      return output(ctx, s.ns, s.pkt, s.tunnel ?? false);
    case 'neigh':
      return neighbour(ctx, s.ns, s.dev, s.nexthop, s.pkt);
    case 'xmit':
      return transmit(ctx, s.ns, s.dev, s.pkt);
    case 'rx':
      return receive(ctx, s.ns, s.dev, s.pkt);
    case 'ip-rcv':
      return ipReceive(ctx, s.ns, s.dev, s.pkt, s.preroutingDone ?? false, s.noConntrack ?? false);
  }
}

/** Walks from `start` until the packet is delivered or dropped; hops land in `ctx.hops`. */
export function walk(ctx: WalkContext, start: Step): WalkEnd {
  let step: Step = start;
  for (let i = 0; i < MAX_STEPS; i++) {
    const r = runStage(ctx, step);
    for (const h of r.hops) recordHop(ctx, h);
    if (r.end) return r.end;
    if (!r.next) return { verdict: 'dropped', reason: 'unreachable' };
    step = r.next;
  }
  recordHop(ctx, hop(step.ns, 'drop', step.pkt, `The walk exceeded ${MAX_STEPS} steps: a forwarding loop.`));
  return { verdict: 'dropped', reason: 'loop' };
}
