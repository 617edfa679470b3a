/**
 * Running simulated flows from where the shell stands: each flow gets the next index (its own
 * random stream and source port, as a new connection has) and advances the shell's clock by one
 * simulated second; an armed `tcpdump` collects the packets that cross its interface.
 */
import type { Flow } from '../trace/types';
import type { ShellContext } from './types';
import { traceFlow } from '../simulate/flow';

export type FlowRun = { ok: true; flow: Flow } | { ok: false; error: string };

/** Walks one request from the shell's place to `to` (`IP`, `IP:port`, `scheme://IP:port/path`). */
export function runFlow(ctx: ShellContext, to: string, protocol?: 'TCP' | 'UDP' | 'ICMP', _what?: string, ttl?: number): FlowRun {
  const index = ctx.flowCount++;
  const r = traceFlow(ctx.model, { from: ctx.source, to, ...(protocol ? { protocol } : {}) }, { index, now: ctx.now, ...(ctx.seed !== undefined ? { seed: ctx.seed } : {}), ...(ttl !== undefined ? { ttl } : {}) });
  ctx.now += 1;
  if (r.ok && ctx.captured) ctx.captured.push(r.flow);
  return r;
}

/** The netns id's primary address, for "From IP" lines of ICMP errors. */
export function netnsAddress(ctx: ShellContext, netnsId: string, toward?: string): string {
  const ns = ctx.model.netns.get(netnsId);
  if (!ns) return '0.0.0.0';
  const nic = ns.devices.find((d) => d.addresses.some((a) => a.scope === 'global') && (toward === undefined || d.name === toward));
  const any = ns.devices.flatMap((d) => d.addresses).find((a) => a.scope === 'global');
  return nic?.addresses.find((a) => a.scope === 'global')?.ip ?? any?.ip ?? '0.0.0.0';
}

/** Deterministic simulated round-trip time in ms for a flow: 40 µs plus 15 µs per hop. */
export function simulatedRtt(flow: Flow, jitter = 0): number {
  const hops = flow.hops.length + (flow.reply?.hops.length ?? 0);
  return 0.04 + hops * 0.015 + jitter * 0.003;
}

/** The last hop of the request walk (where it was delivered or dropped). */
export function lastHop(flow: Flow): Flow['hops'][number] | undefined {
  return flow.hops[flow.hops.length - 1];
}
