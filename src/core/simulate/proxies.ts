/**
 * Sockets that proxy: a connection delivered to one of them is not the end of a request — the
 * owner accepts it in userspace and opens a new connection of its own (a second, separate flow
 * from its netns). One registry, keyed by socket owner, so every such proxy is traced the same
 * way: kube-proxy's userspace mode today; ingress-nginx's upstream leg (request.ts `ingressLeg`)
 * has the same shape and can move here.
 *
 * A proxy is a pure function of the model, the accepted connection and the request's index
 * (round robin by index, as ingress-nginx's leg does), so tracing a request twice gives the
 * same legs. Total: never throws.
 */
import type { ClusterModel, Netns, Socket } from '../model/types';
import type { Flow } from '../trace/types';
import type { FlowOptions } from './exchange';
import { traceExchange } from './exchange';
import { l4Of, outerIp } from '../datapath/headers';
import { userspaceProxyTarget, USERSPACE_OWNER } from '../proxy/userspace';

/** The connection a proxying socket accepted. */
export interface AcceptedConnection {
  netns: Netns;
  socket: Socket;
  /** The client as the proxy sees it (after any NAT on the way in). */
  client: { ip: string; port: number };
  index: number;
}

/** What a proxy does with it: the backends to try, in order, and how to say it. */
export interface ProxyPlan {
  /** `ip:port` candidates; the proxy tries the next when a connect fails (userspace kube-proxy retries). */
  candidates: string[];
  protocol: 'tcp' | 'udp';
  /** Who proxies, e.g. "kube-proxy (userspace) for default/web:http". */
  who: string;
}

/** A proxying socket owner. */
export type SocketProxy = (model: ClusterModel, c: AcceptedConnection) => ProxyPlan | undefined;

/** The proxies, by socket owner. */
const PROXIES: Record<string, SocketProxy> = {
  [USERSPACE_OWNER]: (model, c) => {
    if (c.socket.protocol === 'sctp') return undefined; // the userspace proxy never handled SCTP
    const t = userspaceProxyTarget(model, c.netns.node, c.socket.protocol, c.socket.port, c.client.ip, c.index);
    return t && { candidates: t.candidates, protocol: t.portal.protocol, who: `kube-proxy (userspace) for ${t.portal.servicePort}` };
  },
};

/** The proxy's own connection(s) for a request it accepted. */
export interface ProxyLeg {
  who: string;
  /** The backend that answered, when one did. */
  endpoint?: string;
  /** Every connect the proxy made, in order (retries after failures included). */
  attempts: Flow[];
  /** The flow that decides the request's fate (the last attempt); absent without backends. */
  flow?: Flow;
  note: string;
}

/** The socket that took the flow's request, when it was delivered to one. */
function acceptingSocket(model: ClusterModel, flow: Flow): { netns: Netns; socket: Socket; client: { ip: string; port: number } } | undefined {
  if (flow.verdict !== 'delivered') return undefined;
  const last = flow.hops[flow.hops.length - 1];
  const ns = last && model.netns.get(last.netns);
  const l4 = last && l4Of(last.packet);
  if (!ns || !l4 || (l4.kind !== 'tcp' && l4.kind !== 'udp')) return undefined;
  const ip = outerIp(last.packet);
  const socket = ns.sockets.find((s) => s.protocol === l4.kind && s.port === l4.dport && (s.address === undefined || s.address === ip.dst));
  return socket && { netns: ns, socket, client: { ip: ip.src, port: l4.sport } };
}

/**
 * When `flow` was accepted by a proxying socket: the proxy's own connection to a backend, traced
 * from the proxy's netns (a separate flow: the backend sees the proxy's address). Undefined when
 * the socket does not proxy.
 */
export function proxyLeg(model: ClusterModel, flow: Flow, opts: FlowOptions = {}): ProxyLeg | undefined {
  const acc = acceptingSocket(model, flow);
  const proxy = acc && PROXIES[acc.socket.owner];
  const plan = acc && proxy?.(model, { ...acc, index: opts.index ?? 0 });
  if (!acc || !plan) return undefined;
  if (!plan.candidates.length) return { who: plan.who, attempts: [], note: `${plan.who}: no ready endpoint; the proxy closes the client's connection` };
  const from = { netns: acc.netns, label: acc.netns.kind === 'node' ? `node/${acc.netns.node}` : acc.netns.id };
  const attempts: Flow[] = [];
  for (const [i, cand] of plan.candidates.entries()) {
    const sep = cand.lastIndexOf(':');
    const ip = cand.slice(0, sep);
    const port = Number(cand.slice(sep + 1));
    const leg = traceExchange(model, from, { host: ip, ip, port, protocol: plan.protocol }, cand, { ...opts, stream: `proxy:${acc.socket.owner}:${i}` });
    attempts.push(leg);
    if (leg.verdict === 'delivered') return { who: plan.who, endpoint: cand, attempts, flow: leg, note: `${plan.who}: accepted the connection and opened a new one to ${cand}${i ? ` after ${i} failed attempt${i > 1 ? 's' : ''}` : ''}` };
  }
  return { who: plan.who, attempts, flow: attempts[attempts.length - 1]!, note: `${plan.who}: every backend refused; the proxy closes the client's connection` };
}
