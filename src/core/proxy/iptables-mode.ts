/**
 * kube-proxy's iptables mode programming a node of the model: the byte-faithful proxier of
 * `./iptables` run with the node's real addresses, its text loaded with
 * `iptables-restore --noflush` into the node's netfilter.
 *
 * Read first: pkg/proxy/iptables/proxier.go `syncProxyRules` (the jump rules are ensured with
 * `-I CHAIN 1` before each full sync, then the restore text is applied with --noflush, and chains
 * of services that went away are deleted) and cmd/kube-proxy (route_localnet for localhost
 * NodePorts). Rules other agents wrote (CNI masquerading) are kept: --noflush only touches the
 * chains the text declares.
 */
import type { EndpointSlice, Node, Service } from '../k8s/types';
import type { ModelNode, Netns } from '../model/types';
import type { ProxyContext, ProxyMode } from './mode';
import type { HostAddresses, KubeProxyOptions, ProxierInput } from './iptables/index';
import { hostAddressesFrom, kubeProxyJumpRules, kubeProxyOptionsFrom, localhostNodePortsActive, syncIptablesRules } from './iptables/index';
import { ANNOTATION_INTERFACES } from './iptables/config';
import { restore } from '../netfilter/restore';
import { getChain, readTable } from '../netfilter/state';

const BUILTIN = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/**
 * kube-proxy's jump rules as insertions at the top of the built-in chains, in their final order,
 * as `EnsureRule(Prepend, …)` leaves them above rules the CNI plugin appended earlier.
 */
export function jumpRulesAsInsertions(text: string): string {
  const position = new Map<string, number>();
  let table = '';
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('*')) {
        table = line.slice(1);
        position.clear();
      }
      const m = /^-A (\S+) (.*)$/.exec(line);
      if (!m || !BUILTIN.has(m[1]!)) return line;
      const n = (position.get(`${table}/${m[1]}`) ?? 0) + 1;
      position.set(`${table}/${m[1]}`, n);
      return `-I ${m[1]} ${n} ${m[2]}`;
    })
    .join('\n');
}

/** The Node as kube-proxy reads it: the scenario's object, or one made from the model. */
function nodeObjectFor(ctx: ProxyContext, node: ModelNode): Node {
  return ctx.nodeObject(node.name) ?? { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name }, status: { addresses: [{ type: 'InternalIP', address: node.ip }] } };
}

/** Local addresses: from the Node's annotation, else the netns's own and then the node IPs, each once. */
function localAddresses(nodeObj: Node, ns: Netns, host: HostAddresses): string[] {
  if (nodeObj.metadata.annotations?.[ANNOTATION_INTERFACES]) return host.localAddresses;
  const seen = new Set<string>();
  for (const d of ns.devices) for (const a of d.addresses) seen.add(a.ip);
  for (const ip of host.nodeIPs) seen.add(ip);
  return [...seen];
}

/**
 * The jump rules as insertions: the same text on every node and every sync (it takes no input),
 * so it is made once rather than once per node.
 */
let jumpInsertions: string | undefined;
function jumpRulesText(): string {
  return (jumpInsertions ??= jumpRulesAsInsertions(kubeProxyJumpRules()));
}

/**
 * The sync text of a node whose kube-proxy cannot tell itself from other nodes, shared by every
 * such node of one pass over the nodes (one ProxyContext, the same Services and EndpointSlices).
 * The text is a pure function of its input (rules.ts), and the node enters it only through
 * (a) which endpoints are local: none, when no endpoint names the node (as for an empty node name),
 * (b) the node IPs: only for `primary` in nodePortAddresses and for loadBalancerSourceRanges, and
 * (c) the host's addresses: only when nodePortAddresses narrows the NodePort addresses.
 * Without those (no nodePortAddresses, no Service with source ranges) the text depends only on
 * the objects, the options and the nat chains already there, which key it. Every node still
 * restores its own copy; in a 100-node cluster this is one sync text instead of a hundred.
 * `input` makes this node's own input, asked for only when the shared text is made.
 * Undefined: sync this node itself.
 */
function nodeBlindSync(ctx: ProxyContext, nodeName: string, config: KubeProxyOptions, existingChains: string[], services: Service[], endpointSlices: EndpointSlice[], input: () => ProxierInput): string | undefined {
  if (config.nodePortAddresses.length > 0) return undefined;
  let pass = PASSES.get(ctx);
  if (!pass || pass.services !== services || pass.slices !== endpointSlices) {
    pass = { services, slices: endpointSlices, usable: !services.some(hasSourceRanges), endpointNodes: endpointNodeNames(endpointSlices), texts: new Map() };
    PASSES.set(ctx, pass);
  }
  if (!pass.usable || pass.endpointNodes.has(nodeName)) return undefined;
  const key = `${JSON.stringify(config)}\0${existingChains.join('\0')}`;
  let text = pass.texts.get(key);
  if (text === undefined) pass.texts.set(key, (text = syncIptablesRules(input())));
  return text;
}

interface SyncPass {
  services: Service[];
  slices: EndpointSlice[];
  /** False when some Service has loadBalancerSourceRanges (the node IP decides a rule). */
  usable: boolean;
  /** Every `nodeName` an endpoint names: those nodes have local endpoints. */
  endpointNodes: Set<unknown>;
  /** Sync texts by options and existing chains. */
  texts: Map<string, string>;
}

const PASSES = new WeakMap<ProxyContext, SyncPass>();

function hasSourceRanges(svc: Service): boolean {
  const r: unknown = svc?.spec?.loadBalancerSourceRanges;
  return Array.isArray(r) ? r.length > 0 : r !== undefined && r !== null;
}

function endpointNodeNames(slices: EndpointSlice[]): Set<unknown> {
  const names = new Set<unknown>();
  for (const slice of slices) if (Array.isArray(slice?.endpoints)) for (const ep of slice.endpoints) names.add(ep?.nodeName);
  return names;
}

function programNode(ctx: ProxyContext, node: ModelNode, ns: Netns, services: Service[], slices: EndpointSlice[]): void {
  const nodeObj = nodeObjectFor(ctx, node);
  const config = kubeProxyOptionsFrom(ctx.config, nodeObj);
  if (config.ipFamily !== 'IPv4') {
    ctx.report('info', `kube-proxy on ${node.name} runs an ${config.ipFamily} proxier (ip6tables), which is not modelled; the node gets no service rules`, 'proxy-ipv6');
    return;
  }
  const host = hostAddressesFrom(nodeObj);
  // First sync: ensure the chains and the jumps from the built-in chains (once: they persist).
  if (!getChain(ns.netfilter, 'nat', 'KUBE-SERVICES')) {
    const r = restore(ns.netfilter, jumpRulesText(), { noflush: true });
    if (!r.ok) ctx.report('error', `kube-proxy on ${node.name}: iptables-restore of the jump rules failed at line ${r.line}: ${r.error}`, 'proxy-restore');
  }
  const existingChains = [...readTable(ns.netfilter, 'nat').chains.keys()];
  // The host's addresses are gathered only for a sync of this node's own (a shared text does not read them).
  const input = (): ProxierInput => ({ nodeName: node.name, nodeIPs: host.nodeIPs, localAddresses: localAddresses(nodeObj, ns, host), services, endpointSlices: slices, config, existingChains });
  const text = nodeBlindSync(ctx, node.name, config, existingChains, services, slices, input) ?? syncIptablesRules(input());
  const r = restore(ns.netfilter, text, { noflush: true });
  if (!r.ok) ctx.report('error', `kube-proxy on ${node.name}: iptables-restore failed at line ${r.line}: ${r.error}`, 'proxy-restore');
  if (localhostNodePortsActive(config, host.nodeIPs)) ns.sysctls.routeLocalnet = true;
}

/** iptables mode (the default on Linux). */
export const iptablesMode: ProxyMode = { name: 'iptables', programNode };
