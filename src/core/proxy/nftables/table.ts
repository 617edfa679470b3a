/**
 * kube-proxy's nftables mode as data: Services + EndpointSlices + options → the `ip kube-proxy`
 * table one full sync writes (one `nft -f` transaction that replaces the table).
 *
 * Read first: pkg/proxy/nftables/proxier.go (`setupNFTables` base chains/sets/maps,
 * `syncProxyRules` per service port: cluster-ips, service-ips / no-endpoint-services,
 * service-nodeports / no-endpoint-nodeports, firewall-ips; service-/local-/external-/endpoint-/
 * firewall- chains, affinity sets) and proxier_test.go TestOverallNFTablesRules (the oracle in
 * fixtures/oracles/kube-proxy-nftables). Chain names: PREFIX-HASH-ns/svc/proto/port[__ip/port],
 * HASH = first 8 characters of base32(sha256(the rest)).
 */
import type { EndpointSlice, Service } from '../../k8s/types';
import type { NftChain, NftSet, NftTable } from '../../nftables/types';
import type { KubeProxyOptions, LocalDetector } from '../iptables/config';
import type { EndpointInfo } from '../iptables/endpoints';
import type { ServicePortInfo } from '../iptables/service-port';
import { categorizeEndpoints, endpointsByServicePort, endpointsOf } from '../iptables/endpoints';
import { servicePortsFrom } from '../iptables/service-port';
import { base32Encode } from '../iptables/chain-names';
import { cidrContains, parseCidr, parseIp } from '../iptables/addr';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** What one node's nftables proxier needs. */
export interface NftSyncInput {
  nodeName: string;
  /** Addresses that accept NodePorts (`nodePortAddresses`, default: the primary node IP). */
  nodePortIPs: string[];
  /** The primary node IP: source ranges that contain it also admit the LB IPs (see the firewall chain). */
  nodeIP: string;
  /** The ServiceCIDRs: addresses inside them but unallocated are dropped. */
  serviceCIDRs: string[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  config: KubeProxyOptions;
}

/** The name-length limit of nft objects (NFT_NAME_MAXLEN - 1). */
const NAME_MAX = 255;

/** `PREFIX-HASH-base`, HASH = base32(sha256(base))[:8], cut to nft's limit. */
export function nftChainName(prefix: string, base: string): string {
  return `${prefix}-${base32Encode(sha256(utf8ToBytes(base))).slice(0, 8)}-${base}`.slice(0, NAME_MAX);
}

function set(name: string, type: string, comment: string): NftSet {
  return { kind: 'set', name, type, comment, elements: [] };
}

function vmap(name: string, type: string, comment: string): NftSet {
  return { kind: 'map', name, type, valueType: 'verdict', comment, elements: [] };
}

function chain(name: string, rules: (string | [string, string])[], extra: Partial<NftChain> = {}): NftChain {
  return { name, ...extra, rules: rules.map((r) => (typeof r === 'string' ? { text: r } : { text: r[0], comment: r[1] })) };
}

const NEW = 'ct state new jump';

/** `setupNFTables`: the sets, maps and base chains every sync writes first. */
function baseTable(input: NftSyncInput): NftTable {
  const mark = input.config.masqueradeMark;
  const cidrs = input.serviceCIDRs.length > 1 ? `{ ${input.serviceCIDRs.join(', ')} }` : input.serviceCIDRs[0];
  const ipsCheck: (string | [string, string])[] = [['ip daddr @cluster-ips reject', 'Reject traffic to invalid ports of ClusterIPs']];
  if (cidrs) ipsCheck.push([`ip daddr ${cidrs} drop`, 'Drop traffic to unallocated ClusterIPs']);
  const base = (type: 'filter' | 'nat', hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting', priority: number) => ({ base: { type, hook, priority, policy: 'accept' as const } });
  const nodeports = set('nodeport-ips', 'ipv4_addr', 'IPs that accept NodePort traffic');
  nodeports.elements = input.nodePortIPs.map((ip) => ({ key: [ip] }));
  return {
    family: 'ip',
    name: 'kube-proxy',
    comment: 'rules for kube-proxy',
    sets: [
      set('cluster-ips', 'ipv4_addr', 'Active ClusterIPs'),
      nodeports,
      vmap('firewall-ips', 'ipv4_addr . inet_proto . inet_service', 'destinations that are subject to LoadBalancerSourceRanges'),
      vmap('no-endpoint-nodeports', 'inet_proto . inet_service', 'vmap to drop or reject packets to service nodeports with no endpoints'),
      vmap('no-endpoint-services', 'ipv4_addr . inet_proto . inet_service', 'vmap to drop or reject packets to services with no endpoints'),
      vmap('service-ips', 'ipv4_addr . inet_proto . inet_service', 'ClusterIP, ExternalIP and LoadBalancer IP traffic'),
      vmap('service-nodeports', 'inet_proto . inet_service', 'NodePort traffic'),
    ],
    chains: [
      chain('cluster-ips-check', ipsCheck),
      chain('filter-prerouting-pre-dnat', [`${NEW} firewall-check`], base('filter', 'prerouting', -110)),
      chain('filter-output-pre-dnat', [`${NEW} firewall-check`], base('filter', 'output', -110)),
      chain('filter-forward', [`${NEW} service-endpoints-check`, `${NEW} cluster-ips-check`], base('filter', 'forward', 0)),
      chain('filter-input', [`${NEW} nodeport-endpoints-check`, `${NEW} service-endpoints-check`], base('filter', 'input', 0)),
      chain('filter-output', [`${NEW} service-endpoints-check`, `${NEW} cluster-ips-check`], base('filter', 'output', 0)),
      chain('firewall-check', ['ip daddr . meta l4proto . th dport vmap @firewall-ips']),
      chain('mark-for-masquerade', [`meta mark set meta mark | ${mark}`]),
      chain('masquerading', [`meta mark & ${mark} == 0x00000000 return`, `meta mark set meta mark ^ ${mark}`, 'masquerade fully-random']),
      chain('nat-output', ['jump services'], base('nat', 'output', -100)),
      chain('nat-postrouting', ['jump masquerading'], base('nat', 'postrouting', 100)),
      chain('nat-prerouting', ['jump services'], base('nat', 'prerouting', -100)),
      chain('nodeport-endpoints-check', ['ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports']),
      chain('reject-chain', ['reject'], { comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' }),
      chain('services', ['ip daddr . meta l4proto . th dport vmap @service-ips', 'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports']),
      chain('service-endpoints-check', ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services']),
    ],
  };
}

/** The detector's "is local" / "is not local" nft matches. */
function localMatch(d: LocalDetector, negate: boolean): string {
  if (d.mode === 'ClusterCIDR') return `ip saddr ${negate ? '!= ' : ''}${d.cidr}`;
  const name = d.mode === 'BridgeInterface' ? d.interfaceName : `${d.prefix}*`;
  return `iifname ${negate ? '!= ' : ''}"${name}"`;
}

/** An address's or prefix's first address as a number, for ordering. */
function startOf(item: string): bigint {
  const c = parseCidr(item.includes('/') ? item : `${item}/32`);
  return c ? c.network : 0n;
}

/**
 * An anonymous set as `nft list` prints it: one element bare, several in braces, in address
 * order (nft's interval_map_decompose sorts an interval set's elements before printing).
 */
function anonSet(items: string[]): string {
  if (items.length === 1) return items[0]!;
  const sorted = [...items].sort((a, b) => { const x = startOf(a), y = startOf(b); return x < y ? -1 : x > y ? 1 : 0; });
  return `{ ${sorted.join(', ')} }`;
}

/**
 * The firewall chain's allowed sources: the loadBalancerSourceRanges and, when one of them
 * holds the node's own IP, the LB IPs too, since a node reaching a VIP that is a local address
 * loops back with the VIP as its source (proxier.go `allowFromNode`).
 */
function firewallSources(sp: ServicePortInfo, nodeIP: string): string[] {
  const node = parseIp(nodeIP);
  const allowFromNode = node !== null && sp.loadBalancerSourceRanges.some((r) => { const c = parseCidr(r); return c !== null && cidrContains(c, node); });
  return allowFromNode ? [...sp.loadBalancerSourceRanges, ...sp.loadBalancerVIPs] : sp.loadBalancerSourceRanges;
}

interface PortChains {
  base: string;
  service: string;
  local: string;
  external: string;
  firewall: string;
  endpoint(e: EndpointInfo): string;
  affinity(e: EndpointInfo): string;
}

function chainNames(sp: ServicePortInfo): PortChains {
  const base = `${sp.namespace}/${sp.name}/${sp.protocol.toLowerCase()}/${sp.portName}`;
  const epBase = (e: EndpointInfo) => `${base}__${e.ip}/${e.port}`;
  return {
    base,
    service: nftChainName('service', base),
    local: nftChainName('local', base),
    external: nftChainName('external', base),
    firewall: nftChainName('firewall', base),
    endpoint: (e) => nftChainName('endpoint', epBase(e)),
    affinity: (e) => nftChainName('affinity', epBase(e)),
  };
}

/** A policy chain: affinity short-cuts, then the random pick (`numgen random mod N vmap`). */
function policyRules(names: PortChains, eps: EndpointInfo[], affinity: boolean): string[] {
  const rules: string[] = [];
  if (affinity) for (const e of eps) rules.push(`ip saddr @${names.affinity(e)} goto ${names.endpoint(e)}`);
  rules.push(`numgen random mod ${eps.length} vmap { ${eps.map((e, i) => `${i} : goto ${names.endpoint(e)}`).join(', ')} }`);
  return rules;
}

interface Ctx {
  input: NftSyncInput;
  table: NftTable;
  sets: Map<string, NftSet>;
  /** The keys each set or map already holds (by name). */
  keys: Map<string, Set<string>>;
}

function element(ctx: Ctx, map: string, key: string[], value?: string, comment?: string): void {
  const set = ctx.sets.get(map)!;
  // `add element` of a key the set already holds is a no-op (a multi-port Service adds its
  // ClusterIP to cluster-ips once per port), so nft lists it once.
  let keys = ctx.keys.get(map);
  if (!keys) ctx.keys.set(map, (keys = new Set()));
  const k = key.join(' . ');
  if (keys.has(k)) return;
  keys.add(k);
  set.elements.push({ key, ...(comment !== undefined ? { comment } : {}), ...(value !== undefined ? { value } : {}) });
}

/** The chains of one service port, in the order the sync creates them. */
function writeChains(ctx: Ctx, sp: ServicePortInfo, names: PortChains, cat: ReturnType<typeof categorizeEndpoints>, flags: { cluster: boolean; local: boolean; external: boolean; firewall: boolean; hasExternal: boolean; hasInternal: boolean }): void {
  const { config } = ctx.input;
  const affinity = sp.affinityTimeoutSeconds !== null;
  const proto = sp.protocol.toLowerCase();
  const chains = ctx.table.chains;
  if (affinity) for (const e of cat.reachable) ctx.table.sets.push({ kind: 'set', name: names.affinity(e), type: 'ipv4_addr', size: 65535, flags: ['dynamic', 'timeout'], timeout: sp.affinityTimeoutSeconds!, elements: [] });
  // The ClusterIP's masquerade rule goes into the chain ClusterIP traffic is sent to (upstream's
  // internalTrafficChain): the local- chain under internalTrafficPolicy Local, so off-cluster
  // sources are masqueraded there too, and a service- chain that only external traffic uses
  // (ITP Local with ETP Cluster) gets none. No internal endpoints, no rule.
  const masq = !flags.hasInternal ? [] : config.masqueradeAll ? [`ip daddr ${sp.clusterIP} jump mark-for-masquerade`] : config.localDetector ? [`ip daddr ${sp.clusterIP} ${localMatch(config.localDetector, true)} jump mark-for-masquerade`] : [];
  if (flags.cluster) chains.push(chain(names.service, [...(sp.internalPolicyLocal ? [] : masq), ...policyRules(names, cat.cluster, affinity)]));
  if (flags.local) chains.push(chain(names.local, [...(sp.internalPolicyLocal ? masq : []), ...policyRules(names, cat.local, affinity)]));
  if (flags.external) {
    const rules: (string | [string, string])[] = [];
    if (sp.externalPolicyLocal) {
      if (config.localDetector) rules.push([`${localMatch(config.localDetector, false)} goto ${names.service}`, 'short-circuit pod traffic']);
      rules.push(['fib saddr type local jump mark-for-masquerade', 'masquerade local traffic'], [`fib saddr type local goto ${names.service}`, 'short-circuit local traffic']);
      if (flags.hasExternal) rules.push(`goto ${names.local}`);
    } else rules.push('jump mark-for-masquerade', `goto ${names.service}`);
    chains.push(chain(names.external, rules));
  }
  for (const e of [...cat.reachable].sort((a, b) => (names.endpoint(a) < names.endpoint(b) ? -1 : 1))) {
    const rules = [`ip saddr ${e.ip} jump mark-for-masquerade`];
    if (affinity) rules.push(`update @${names.affinity(e)} { ip saddr }`);
    rules.push(`meta l4proto ${proto} dnat to ${e.ip}:${e.port}`);
    chains.push(chain(names.endpoint(e), rules));
  }
  if (flags.firewall) chains.push(chain(names.firewall, [`ip saddr != ${anonSet(firewallSources(sp, ctx.input.nodeIP))} drop`]));
}

function writeServicePort(ctx: Ctx, sp: ServicePortInfo, eps: EndpointInfo[]): void {
  const proto = sp.protocol.toLowerCase();
  const names = chainNames(sp);
  const cat = categorizeEndpoints(sp, eps);
  // Usable endpoints on any node, not just this one (CategorizeEndpoints' hasAnyEndpoints): with
  // a Local policy and none here the VIP is dropped, and only a Service with none anywhere rejects.
  const hasEndpoints = cat.hasAnyEndpoints;
  const usesCluster = cat.cluster.length > 0;
  const usesLocal = cat.local.length > 0 && (sp.internalPolicyLocal || sp.externalPolicyLocal);
  const hasInternal = sp.internalPolicyLocal ? cat.local.length > 0 : hasEndpoints;
  const hasExternal = sp.externalPolicyLocal ? cat.local.length > 0 : hasEndpoints;
  const accessible = sp.nodePort !== 0 || sp.externalIPs.length > 0 || sp.loadBalancerVIPs.length > 0;
  const usesExternal = hasEndpoints && accessible;
  const usesFirewall = hasEndpoints && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
  const reject = 'goto reject-chain';
  const internalVerdict = hasEndpoints ? 'drop' : reject;
  const externalVerdict = hasEndpoints ? 'drop' : reject;
  writeChains(ctx, sp, names, cat, { cluster: usesCluster, local: usesLocal, external: usesExternal, firewall: usesFirewall, hasExternal, hasInternal });
  const internalChain = sp.internalPolicyLocal ? names.local : names.service;
  const key = (ip: string) => [ip, proto, String(sp.port)];
  const comment = sp.servicePortName;
  element(ctx, 'cluster-ips', [sp.clusterIP]);
  if (hasInternal) element(ctx, 'service-ips', key(sp.clusterIP), `goto ${internalChain}`);
  else element(ctx, 'no-endpoint-services', key(sp.clusterIP), internalVerdict, comment);
  for (const ip of [...sp.externalIPs, ...sp.loadBalancerVIPs]) {
    if (hasEndpoints) element(ctx, 'service-ips', key(ip), `goto ${names.external}`);
    if (!hasExternal) element(ctx, 'no-endpoint-services', key(ip), externalVerdict, comment);
  }
  if (usesFirewall) for (const ip of sp.loadBalancerVIPs) element(ctx, 'firewall-ips', key(ip), `goto ${names.firewall}`);
  if (sp.nodePort !== 0) {
    if (hasEndpoints) element(ctx, 'service-nodeports', [proto, String(sp.nodePort)], `goto ${names.external}`);
    if (!hasExternal) element(ctx, 'no-endpoint-nodeports', [proto, String(sp.nodePort)], externalVerdict, comment);
  }
}

/**
 * The `ip kube-proxy` table of one full sync. Pure and total; IPv4 only (the `ip6 kube-proxy`
 * table of a dual-stack node is not modelled). Service ports are visited in service-port name
 * order (kube-proxy: Go map order; nft lists chains in creation order).
 */
export function buildKubeProxyTable(input: NftSyncInput): NftTable {
  const table = baseTable(input);
  const ctx: Ctx = { input, table, sets: new Map(table.sets.map((s) => [s.name, s])), keys: new Map() };
  const byPort = endpointsByServicePort(input.endpointSlices, 'IPv4', input.nodeName);
  for (const sp of servicePortsFrom(input.services, 'IPv4')) writeServicePort(ctx, sp, endpointsOf(byPort, sp));
  return table;
}
