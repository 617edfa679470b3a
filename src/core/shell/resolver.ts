/**
 * Name resolution as a pod's (or node's) stub resolver does it: /etc/hosts first, then the
 * nameserver of /etc/resolv.conf with the search list (ndots:5). The query is walked as a real
 * UDP flow to the nameserver's port 53, so a cluster without a reachable DNS server answers like
 * the real tools when no server responds; when the query is delivered, the answer is cluster
 * DNS's (CoreDNS's kubernetes plugin): Service A records (the ClusterIP, or a headless Service's
 * ready endpoints) and `A-B-C-D.NS.pod.DOMAIN` pod records.
 *
 * WARNING: walking the query changes the model as real traffic would (conntrack, counters).
 */
import type { ClusterModel } from '../model/types';
import type { Flow } from '../trace/types';
import type { ShellContext } from './types';
import type { DnsRecord } from '../wire/dns-rdata';
import type { DnsExchange } from '../simulate/dns-flows';
import { isIPv4 } from '../util/ip';
import { clusterDnsIp, readFile, searchList } from './files';
import { runFlow } from './flows';
import { lookupWithFlows } from '../simulate/dns-flows';
import { resolveSource } from '../simulate/refs';

/** The outcome of resolving one name. */
export interface Resolution {
  /** Addresses found (empty when NXDOMAIN or no server answered). */
  addresses: string[];
  /** The name that answered (after the search list), e.g. `web.default.svc.cluster.local`. */
  fqdn?: string;
  /** The server asked, `IP#53` style data for nslookup/dig. */
  server?: string;
  /** `nxdomain`: the server said no; `timeout`: no server answered; `hosts`: /etc/hosts answered. */
  status: 'ok' | 'nxdomain' | 'timeout' | 'hosts';
  /** The DNS query flow walked, if one was. */
  flow?: Flow;
  /** The records of the answer that decided (dig prints them), when the lookup went through the resolver. */
  answers?: DnsRecord[];
  authority?: DnsRecord[];
  /** The answer's AA flag (false for what CoreDNS forwarded upstream). */
  aa?: boolean;
}

function allFlows(e: DnsExchange): Flow[] {
  return [e.flow, ...e.forwards.flatMap(allFlows)];
}

/**
 * The stub resolver of the shell's place (resolv.conf, search list, ndots) asking its nameserver,
 * answered as the simulated server answers: CoreDNS from the cluster zone (ExternalName CNAMEs
 * included), forwarding other names upstream, exactly as `hopscope dns` and traces resolve.
 */
function resolveByResolver(ctx: ShellContext, name: string): Resolution | undefined {
  const src = resolveSource(ctx.model, ctx.source);
  if (!src.ok) return undefined;
  const look = lookupWithFlows(ctx.model, src.value, name, { index: ctx.flowCount++, ...(ctx.seed !== undefined ? { seed: ctx.seed } : {}) });
  ctx.now += 1;
  if (ctx.captured) for (const e of look.exchanges) ctx.captured.push(...allFlows(e));
  const server = look.conf.nameservers[0] ?? clusterDnsIp(ctx.model);
  const r = look.resolution;
  const decided = r.addresses.length ? look.exchanges.find((e) => e.reply && e.reply.answers.some((a) => a.type === 'A')) : look.exchanges[look.exchanges.length - 1];
  const flow = decided?.flow ?? look.exchanges[0]?.flow;
  const records = decided?.reply ? { answers: decided.reply.answers, authority: decided.reply.authority, aa: decided.reply.aa } : {};
  if (r.addresses.length) return { addresses: r.addresses, fqdn: r.canonical ?? name.replace(/\.$/, ''), status: 'ok', server, ...(flow ? { flow } : {}), ...records };
  if (r.error === 'timeout' || r.error === 'no-nameserver' || !decided?.reply) return { addresses: [], status: 'timeout', server, ...(flow ? { flow } : {}) };
  return { addresses: [], status: 'nxdomain', server, ...(flow ? { flow } : {}), ...records };
}

function fromHosts(ctx: ShellContext, name: string): string | undefined {
  const text = readFile(ctx, '/etc/hosts') ?? '';
  for (const line of text.split('\n')) {
    const [ip, ...names] = line.split(/\s+/);
    if (ip && isIPv4(ip) && names.includes(name)) return ip;
  }
  return undefined;
}

/** CoreDNS's answer for a fully qualified name, or undefined (NXDOMAIN). */
export function lookupClusterName(model: ClusterModel, fqdn: string): string[] | undefined {
  const d = `.${model.clusterDomain}`;
  const name = fqdn.replace(/\.$/, '');
  if (!name.endsWith(d)) return undefined;
  const labels = name.slice(0, -d.length).split('.');
  if (labels.length === 3 && labels[2] === 'svc') return serviceRecord(model, labels[0]!, labels[1]!);
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = labels[0]!.replace(/-/g, '.');
    return isIPv4(ip) ? [ip] : undefined;
  }
  return undefined;
}

function serviceRecord(model: ClusterModel, name: string, ns: string): string[] | undefined {
  const svc = model.services.find((s) => s.metadata.name === name && (s.metadata.namespace ?? 'default') === ns);
  if (!svc) return undefined;
  if (svc.spec.type === 'ExternalName') return undefined;
  if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') return [svc.spec.clusterIP];
  const slices = model.endpointSlices.filter((e) => e.metadata.labels?.['kubernetes.io/service-name'] === name && (e.metadata.namespace ?? 'default') === ns);
  return slices.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses));
}

/** The names the resolver tries for `name`, in order (ndots:5 puts the search list first). */
export function candidates(ctx: ShellContext, name: string): string[] {
  if (name.endsWith('.')) return [name];
  const search = searchList(ctx).map((s) => `${name}.${s}`);
  return name.split('.').length - 1 >= 5 ? [name, ...search] : [...search, name];
}

/** The nameserver of this place's resolv.conf. */
export function nameserver(ctx: ShellContext): string {
  const conf = readFile(ctx, '/etc/resolv.conf') ?? '';
  return /nameserver\s+(\S+)/.exec(conf)?.[1] ?? clusterDnsIp(ctx.model);
}

/** Resolves `name` from where the shell stands; `server` overrides the resolv.conf nameserver. */
export function resolveName(ctx: ShellContext, name: string, server?: string): Resolution {
  if (isIPv4(name)) return { addresses: [name], status: 'ok' };
  const local = server ? undefined : fromHosts(ctx, name);
  if (local) return { addresses: [local], status: 'hosts', fqdn: name };
  if (!server) {
    const viaResolver = resolveByResolver(ctx, name);
    if (viaResolver) return viaResolver;
  }
  const ns = server ?? nameserver(ctx);
  const walked = runFlow(ctx, `udp://${ns}:53`, 'UDP', `DNS A? ${name}`);
  const flow = walked.ok ? walked.flow : undefined;
  if (!flow || flow.verdict !== 'delivered') return { addresses: [], status: 'timeout', server: ns, ...(flow ? { flow } : {}) };
  // Only cluster DNS (the kube-dns Service) knows the cluster's names; any other server says NXDOMAIN.
  const clusterDns = ctx.model.services.some((s) => s.metadata.name === 'kube-dns' && s.metadata.namespace === 'kube-system' && s.spec.clusterIP === ns);
  if (!clusterDns) return { addresses: [], status: 'nxdomain', server: ns, flow };
  for (const fqdn of candidates(ctx, name)) {
    const a = lookupClusterName(ctx.model, fqdn);
    if (a && a.length) return { addresses: a, fqdn: fqdn.replace(/\.$/, ''), status: 'ok', server: ns, flow };
  }
  return { addresses: [], status: 'nxdomain', server: ns, flow };
}
