/**
 * The flows one Traffic request shows on the canvas: the DNS questions its name needed (each a
 * UDP exchange with kube-dns, and CoreDNS's forwards upstream), the connection itself — the one
 * `runTraffic` walked, so NAT decisions and faults are exactly the run's — and, when an ingress
 * controller accepted it, the controller's own connection to the backend.
 *
 * WARNING: call right after `runTraffic` walked the connection (in `onFlow`): the model must be
 * in the state that connection saw. The extra walks add conntrack entries, as real lookups do.
 */
import type { ClusterModel } from '../core/index';
import type { TrafficRequest } from '../core/scenario/types';
import type { FlowResult } from '../core/simulate/flow';
import type { DnsExchange } from '../core/simulate/dns-flows';
import { traceRequest } from '../core/simulate/request';
import { formatDns } from '../core/wire/dns';
import type { FlowEntry } from './protocol';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Whether `to` names a host that must be resolved (not an IP, not a pod/node reference). */
export function needsLookup(to: string): boolean {
  if (/^(pod|node|external)\//.test(to)) return false;
  const host = /^(?:[a-z]+:\/\/)?([^/:]+)/i.exec(to.trim())?.[1] ?? '';
  return host !== '' && !IPV4.test(host);
}

function dnsEntries(base: Omit<FlowEntry, 'flow'>, exchanges: DnsExchange[]): FlowEntry[] {
  const out: FlowEntry[] = [];
  const visit = (e: DnsExchange, upstream: boolean) => {
    const q = formatDns(e.query);
    out.push({ ...base, from: upstream ? `CoreDNS → ${e.server}` : base.from, to: `DNS ${q}`, role: 'dns', flow: e.flow });
    e.forwards.forEach((f) => visit(f, true));
  };
  exchanges.forEach((e) => visit(e, false));
  return out;
}

export function requestEntries(model: ClusterModel, r: TrafficRequest, request: number, repetition: number, sent: number, res: FlowResult, seed?: number): FlowEntry[] {
  const base = { from: r.from, to: r.to, index: repetition, request };
  const conn: FlowEntry = res.ok ? { ...base, role: 'connection', flow: res.flow } : { ...base, role: 'connection', error: res.error };
  // A connection that ended at a node's own socket may be a proxy's (userspace kube-proxy).
  const atNodeSocket = res.ok && res.flow.verdict === 'delivered' && !!res.flow.endpoint && !res.flow.endpoint.includes('/');
  if (!needsLookup(r.to) && !atNodeSocket) return [conn];
  const t = traceRequest(model, { from: r.from, to: r.to, ...(r.protocol ? { protocol: r.protocol } : {}) }, { index: sent, ...(seed !== undefined ? { seed } : {}) });
  if (!t.ok) return [conn];
  const dns = dnsEntries(base, t.trace.lookup?.exchanges ?? []);
  const leg = t.trace.ingress?.flow;
  const upstream: FlowEntry[] = leg ? [{ ...base, from: `ingress controller (${t.trace.ingress?.backend ?? 'backend'})`, to: `http://${t.trace.ingress?.endpoint ?? ''}${t.trace.ingress?.path ?? ''}`, role: 'upstream', flow: leg }] : [];
  // A proxy's own connections to the backends (retries included), in order.
  const proxy = t.trace.proxy;
  for (const f of proxy?.attempts ?? []) upstream.push({ ...base, from: proxy!.who, to: f.to, role: 'upstream', flow: f });
  return [...dns, conn, ...upstream];
}
