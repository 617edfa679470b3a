/**
 * One flow (DESIGN §4): the request a client socket sends, walked until delivered or dropped,
 * and — when a socket took it — the reply that socket sends back, walked home through the
 * same conntrack entries (so every NAT is reversed at the right hop). TCP is summarised as
 * its SYN and SYN-ACK, ICMP as echo request and reply, UDP as one datagram each way.
 *
 * A target that is a name is resolved first through the cluster's DNS (the lookup's own flows
 * are walked but not returned here: `traceRequest` in ./request.ts returns them all); the flow
 * returned is the connection. The walking itself lives in ./exchange.ts.
 */
import type { ClusterModel } from '../model/types';
import type { Hop } from '../trace/types';
import type { FlowOptions, FlowResult } from './exchange';
import { resolveSource, parseTarget } from './refs';
import { traceExchange } from './exchange';
import { traceRequest } from './request';

export type { ExchangeHooks, FlowOptions, FlowResult } from './exchange';

export interface FlowRequest {
  from: string;
  to: string;
  protocol?: 'TCP' | 'UDP' | 'ICMP' | 'SCTP';
}

/** Traces one request and its reply. */
export function traceFlow(model: ClusterModel, req: FlowRequest, opts: FlowOptions = {}): FlowResult {
  const src = resolveSource(model, req.from);
  if (!src.ok) return src;
  const target = parseTarget(model, req.to, req.protocol);
  if (!target.ok) return target;
  const t = target.value;
  if (!t.ip) {
    const r = traceRequest(model, req, opts);
    if (!r.ok) return r;
    return r.trace.flow ? { ok: true, flow: r.trace.flow } : { ok: false, error: r.trace.error ?? `cannot resolve "${t.host}"` };
  }
  // `t` is this call's own object (parseTarget returns a fresh one) and traceExchange only reads it.
  return { ok: true, flow: traceExchange(model, src.value, t as typeof t & { ip: string }, req.to, opts) };
}

export type { Hop };
