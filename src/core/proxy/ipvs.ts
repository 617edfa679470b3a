/**
 * kube-proxy's IPVS mode programming a node of the model: the dummy device `kube-ipvs0` (down)
 * holding every ClusterIP, externalIP and LoadBalancer IP as a /32 so the kernel treats them as
 * local; one IPVS virtual server per address:port (NodePorts on every node address) with the
 * endpoints as Masq real servers; the ipsets; the handful of iptables rules that decide
 * masquerading; the sysctls. Each call is a full sync: addresses, virtual servers and real
 * servers no longer wanted are removed (a removed real server with connections is first
 * quiesced to weight 0, as kube-proxy's graceful termination does for TCP).
 *
 * Read first: pkg/proxy/ipvs/proxier.go (`NewProxier` sysctls, `syncProxyRules`,
 * `syncService`, `syncEndpoint`, `cleanLegacyService`) and graceful_termination.go. The plan
 * itself is computed purely in `./ipvs/plan.ts`.
 */
import type { EndpointSlice, Node, Service } from '../k8s/types';
import type { IpvsProtocol, IpvsService, IpvsState } from '../ipvs/types';
import type { ModelNode, Netns } from '../model/types';
import type { ProxyContext, ProxyMode } from './mode';
import type { PlannedVirtualServer } from './ipvs/plan';
import { hostAddressesFrom, kubeProxyNodeName, kubeProxyOptionsFrom } from './iptables/index';
import { planIpvsSync } from './ipvs/plan';
import { IPVS_SETS } from './ipvs/ipsets';
import { ipvsJumpInsertions } from './ipvs/rules';
import { createDummy } from '../model/devices/dummy';
import { addAddress, routingChanged } from '../model/netns';
import { addDest, addService, createIpvs } from '../ipvs/table';
import { isKnownScheduler } from '../ipvs/schedulers/registry';
import { setIpset } from '../netfilter/ipset';
import { restore } from '../netfilter/restore';
import { getChain } from '../netfilter/state';
import { macFor } from '../util/rng';

/** The dummy device IPVS mode binds service addresses to. */
export const IPVS_DUMMY = 'kube-ipvs0';

/** The sysctls `NewProxier` sets (strictARP adds the two ARP ones). */
function setSysctls(ns: Netns, strictARP: boolean): void {
  ns.sysctls.ipForward = true;
  const other = (ns.sysctls.other ??= {});
  Object.assign(other, { 'net.ipv4.vs.conntrack': '1', 'net.ipv4.vs.expire_nodest_conn': '1', 'net.ipv4.vs.expire_quiescent_template': '1' });
  if (strictARP) Object.assign(other, { 'net.ipv4.conf.all.arp_ignore': '1', 'net.ipv4.conf.all.arp_announce': '2' });
}

/** Binds what the plan wants to kube-ipvs0 and unbinds the rest (`EnsureAddressBind`/`UnbindAddress`). */
function syncDummy(ctx: ProxyContext, node: ModelNode, ns: Netns, want: string[]): void {
  const dummy = createDummy(ns, IPVS_DUMMY, macFor(ctx.model.seed, IPVS_DUMMY, node.name));
  const wanted = new Set(want);
  dummy.addresses = dummy.addresses.filter((a) => wanted.has(a.ip));
  routingChanged(); // an address list replaced in place of the device's (route lookups remember local addresses)
  const bound = new Set(dummy.addresses.map((a) => a.ip));
  for (const ip of want) if (!bound.has(ip)) addAddress(ns, dummy, ip, 32);
}

function vsKey(v: { protocol: IpvsProtocol; address: string; port: number }): string {
  return `${v.protocol}/${v.address}:${v.port}`;
}

/**
 * Real servers of one virtual server: new endpoints join with weight 1; gone ones are deleted,
 * unless TCP connections still use them — then their weight drops to 0 (no new connections)
 * and a later sync deletes them once the connections are gone.
 */
function syncDests(state: IpvsState, svc: IpvsService, want: PlannedVirtualServer['dests']): void {
  const wanted = new Set(want.map((d) => `${d.ip}:${d.port}`));
  for (const d of want) addDest(svc, { address: d.ip, port: d.port, forward: 'Masq', weight: 1 });
  svc.dests = svc.dests.filter((d) => {
    if (wanted.has(`${d.address}:${d.port}`)) return true;
    const inUse = svc.protocol === 'tcp' && state.conns.some((c) => c.vip.ip === svc.address && c.vip.port === svc.port && c.dest.ip === d.address && c.dest.port === d.port);
    if (inUse) d.weight = 0;
    return inUse;
  });
}

/** Virtual servers as planned; those no longer wanted are deleted (`cleanLegacyService`). */
function syncVirtualServers(ns: Netns, plan: PlannedVirtualServer[]): void {
  const state = (ns.ipvs ??= createIpvs());
  const active = new Set<string>();
  for (const vs of plan) {
    const svc = addService(state, { protocol: vs.protocol, address: vs.address, port: vs.port, scheduler: vs.scheduler, schedFlags: vs.schedFlags ?? 0, ...(vs.persistent !== undefined ? { persistent: vs.persistent } : {}) });
    syncDests(state, svc, vs.dests);
    active.add(vsKey(vs));
  }
  state.services = state.services.filter((s) => active.has(vsKey(s)));
}

function nodeObjectFor(ctx: ProxyContext, node: ModelNode): Node {
  return ctx.nodeObject(node.name) ?? { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name }, status: { addresses: [{ type: 'InternalIP', address: node.ip }] } };
}

function applyRules(ctx: ProxyContext, node: ModelNode, ns: Netns, text: string): void {
  const first = !getChain(ns.netfilter, 'filter', 'KUBE-IPVS-FILTER');
  const r = restore(ns.netfilter, text, { noflush: true });
  if (!r.ok) ctx.report('error', `kube-proxy on ${node.name}: iptables-restore failed at line ${r.line}: ${r.error}`, 'proxy-restore');
  // First sync: the jumps from the built-in chains into the chains that now exist
  // (EnsureRule(Prepend) finds them in place on later syncs).
  if (!first) return;
  const j = restore(ns.netfilter, ipvsJumpInsertions(), { noflush: true });
  if (!j.ok) ctx.report('error', `kube-proxy on ${node.name}: iptables-restore of the jump rules failed at line ${j.line}: ${j.error}`, 'proxy-restore');
}

function programNode(ctx: ProxyContext, node: ModelNode, ns: Netns, services: Service[], slices: EndpointSlice[]): void {
  const nodeObj = nodeObjectFor(ctx, node);
  const config = kubeProxyOptionsFrom(ctx.config, nodeObj);
  if (config.ipFamily !== 'IPv4') {
    ctx.report('info', `kube-proxy on ${node.name} runs an ${config.ipFamily} IPVS proxier, which is not modelled; the node gets no service rules`, 'proxy-ipv6');
    return;
  }
  const scheduler = ctx.config?.ipvs?.scheduler || 'rr';
  if (!isKnownScheduler(scheduler)) ctx.report('info', `IPVS scheduler ${scheduler} is not modelled; connections are scheduled round robin (rr)`, 'ipvs-scheduler');
  const host = hostAddressesFrom(nodeObj);
  const nodeAddresses = ns.devices.filter((d) => d.name !== IPVS_DUMMY).flatMap((d) => d.addresses.map((a) => a.ip));
  const plan = planIpvsSync({ nodeName: kubeProxyNodeName(ctx.config, nodeObj), nodeIP: host.nodeIPs[0] ?? node.ip, nodeAddresses, services, endpointSlices: slices, config, scheduler });
  setSysctls(ns, ctx.config?.ipvs?.strictARP ?? false);
  syncDummy(ctx, node, ns, plan.bindAddresses);
  syncVirtualServers(ns, plan.virtualServers);
  for (const s of IPVS_SETS) setIpset(ns.netfilter, s.name, s.type, plan.sets.get(s.name) ?? []);
  applyRules(ctx, node, ns, plan.restoreText);
}

/** IPVS mode: kernel L4 load balancing by hash lookup instead of an iptables rule walk. */
export const ipvsMode: ProxyMode = { name: 'ipvs', programNode };
