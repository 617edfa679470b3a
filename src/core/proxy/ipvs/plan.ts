/**
 * kube-proxy's IPVS-mode sync as data: Services + EndpointSlices + options → the virtual servers
 * with their real servers, the addresses to bind to kube-ipvs0, the ipset entries, and the
 * iptables-restore text. `../ipvs.ts` applies the plan to a node.
 *
 * Read first: pkg/proxy/ipvs/proxier.go `syncProxyRules` (per service port: KUBE-LOOP-BACK for
 * local endpoints, the ClusterIP virtual server, externalIPs, LoadBalancer ingress with source
 * ranges, NodePort on every node address) and `syncEndpoint` (a Local policy takes the local
 * endpoints if there are any, else the cluster ones — unlike iptables mode, which drops).
 */
import type { EndpointSlice, Service } from '../../k8s/types';
import type { IpvsProtocol } from '../../ipvs/types';
import type { KubeProxyOptions } from '../iptables/config';
import type { EndpointInfo } from '../iptables/endpoints';
import type { ServicePortInfo } from '../iptables/service-port';
import type { IpvsSetEntries } from './ipsets';
import { categorizeEndpoints, endpointsByServicePort, endpointsOf } from '../iptables/endpoints';
import { servicePortsFrom } from '../iptables/service-port';
import { cidrContains, parseCidr, parseIp } from '../iptables/addr';
import { addEntry, emptySetEntries, ipPortEntry } from './ipsets';
import { ipvsRestoreText } from './rules';
import { IPVS_SVC_F_SCHED_MH_PORT } from '../../ipvs/types';

/** What one node's IPVS proxier needs for a sync. */
export interface IpvsSyncInput {
  /** kube-proxy's node name (endpoint locality). */
  nodeName: string;
  /** The primary node IP (source ranges that contain it let the node reach the LB IP). */
  nodeIP: string;
  /** Every address of the node except kube-ipvs0's, loopback included (kube-proxy filters). */
  nodeAddresses: string[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  config: KubeProxyOptions;
  /** `ipvs.scheduler`; empty means rr. */
  scheduler: string;
}

/** One virtual server kube-proxy wants, with its real servers. */
export interface PlannedVirtualServer {
  protocol: IpvsProtocol;
  address: string;
  port: number;
  scheduler: string;
  /** ClientIP affinity timeout (`persistent N`). */
  persistent?: number;
  /** Scheduler flags: with mh, kube-proxy's FlagSourceHash (0x10, the kernel's mh-port). */
  schedFlags?: number;
  dests: { ip: string; port: number }[];
  /** `NS/NAME:PORT` of the service port it belongs to. */
  servicePort: string;
  /** Which address of the Service this is. */
  kind: 'cluster-ip' | 'external-ip' | 'load-balancer' | 'node-port';
}

/** The whole sync. */
export interface IpvsPlan {
  virtualServers: PlannedVirtualServer[];
  /** Addresses kube-ipvs0 should hold after the sync, sorted. */
  bindAddresses: string[];
  sets: IpvsSetEntries;
  /** nat then filter, for `iptables-restore --noflush`. */
  restoreText: string;
}

/** An LB VIP the node itself must not reach (its IP is outside the source ranges). */
export interface LbNoNodeAccess {
  ip: string;
  protocol: string;
  port: number;
}

/** `nodePortAddresses` → the node addresses that get NodePort virtual servers. */
function nodePortIPs(cfg: KubeProxyOptions, nodeIP: string, addresses: string[]): string[] {
  const usable = addresses.filter((a) => {
    const ip = parseIp(a);
    return ip !== null && ip.family === cfg.ipFamily && !(ip.family === 'IPv4' ? ip.value >> 24n === 127n : ip.value === 1n);
  });
  const cidrs = cfg.nodePortAddresses.flatMap((e) => (e.trim() === 'primary' ? [parseCidr(`${nodeIP}/32`)] : [parseCidr(e)])).filter((c) => c !== null && c.family === cfg.ipFamily);
  if (cidrs.length === 0 || cidrs.some((c) => c!.prefix === 0)) return [...new Set(usable)];
  return [...new Set(usable.filter((a) => cidrs.some((c) => cidrContains(c!, parseIp(a)!))))];
}

/** syncEndpoint's choice: a Local policy takes local endpoints if any, else the cluster set. */
function destsFor(sp: ServicePortInfo, eps: EndpointInfo[], onlyLocal: boolean): { ip: string; port: number }[] {
  const cat = categorizeEndpoints(sp, eps);
  const chosen = onlyLocal && cat.local.length > 0 ? cat.local : cat.cluster;
  return chosen.map((e) => ({ ip: e.ip, port: e.port }));
}

interface Ctx {
  input: IpvsSyncInput;
  sets: IpvsSetEntries;
  vss: PlannedVirtualServer[];
  bind: Set<string>;
  own: Set<string>;
  noNodeAccess: LbNoNodeAccess[];
  nodePortIPs: string[];
}

function addVs(ctx: Ctx, sp: ServicePortInfo, kind: PlannedVirtualServer['kind'], address: string, port: number, dests: PlannedVirtualServer['dests']): void {
  const scheduler = ctx.input.scheduler || 'rr';
  const vs: PlannedVirtualServer = { protocol: sp.protocol.toLowerCase() as IpvsProtocol, address, port, scheduler, dests, servicePort: sp.servicePortName, kind };
  if (sp.affinityTimeoutSeconds !== null) vs.persistent = sp.affinityTimeoutSeconds;
  // "Set the source hash flag needed for the distribution method mh", on every virtual server
  // (ClusterIP, external IP, LoadBalancer IP, NodePort): clients behind one address then spread
  // over the real servers by source port instead of all landing on one.
  if (scheduler === 'mh') vs.schedFlags = IPVS_SVC_F_SCHED_MH_PORT;
  ctx.vss.push(vs);
}

function planLoadBalancer(ctx: Ctx, sp: ServicePortInfo, proto: string, ingress: string, dests: PlannedVirtualServer['dests']): void {
  const entry = ipPortEntry(ingress, proto, sp.port);
  addEntry(ctx.sets, 'KUBE-LOAD-BALANCER', entry);
  if (sp.externalPolicyLocal) addEntry(ctx.sets, 'KUBE-LOAD-BALANCER-LOCAL', entry);
  if (sp.loadBalancerSourceRanges.length > 0) {
    addEntry(ctx.sets, 'KUBE-LOAD-BALANCER-FW', entry);
    const node = parseIp(ctx.input.nodeIP);
    let allowFromNode = false;
    for (const cidr of sp.loadBalancerSourceRanges) {
      addEntry(ctx.sets, 'KUBE-LOAD-BALANCER-SOURCE-CIDR', `${entry},${cidr}`);
      const c = parseCidr(cidr);
      if (c && node && cidrContains(c, node)) allowFromNode = true;
    }
    if (allowFromNode) addEntry(ctx.sets, 'KUBE-LOAD-BALANCER-SOURCE-IP', `${entry},${ingress}`);
    else ctx.noNodeAccess.push({ ip: ingress, protocol: proto, port: sp.port });
  }
  addVs(ctx, sp, 'load-balancer', ingress, sp.port, dests);
  if (!ctx.own.has(ingress)) ctx.bind.add(ingress);
}

function planNodePort(ctx: Ctx, sp: ServicePortInfo, proto: string, dests: PlannedVirtualServer['dests']): void {
  if (ctx.nodePortIPs.length === 0) return;
  const suffix = proto === 'sctp' ? 'SCTP-HASH' : proto.toUpperCase();
  const entries = proto === 'sctp' ? ctx.nodePortIPs.map((ip) => ipPortEntry(ip, proto, sp.nodePort)) : [String(sp.nodePort)];
  for (const e of entries) addEntry(ctx.sets, `KUBE-NODE-PORT-${suffix}` as 'KUBE-NODE-PORT-TCP', e);
  if (sp.externalPolicyLocal) for (const e of entries) addEntry(ctx.sets, `KUBE-NODE-PORT-LOCAL-${suffix}` as 'KUBE-NODE-PORT-LOCAL-TCP', e);
  for (const ip of ctx.nodePortIPs) addVs(ctx, sp, 'node-port', ip, sp.nodePort, dests);
}

function planServicePort(ctx: Ctx, sp: ServicePortInfo, eps: EndpointInfo[]): void {
  const proto = sp.protocol.toLowerCase();
  for (const e of eps) if (e.local) addEntry(ctx.sets, 'KUBE-LOOP-BACK', `${e.ip},${proto}:${e.port},${e.ip}`);
  addEntry(ctx.sets, 'KUBE-CLUSTER-IP', ipPortEntry(sp.clusterIP, proto, sp.port));
  addVs(ctx, sp, 'cluster-ip', sp.clusterIP, sp.port, destsFor(sp, eps, sp.internalPolicyLocal));
  ctx.bind.add(sp.clusterIP);
  const external = destsFor(sp, eps, sp.externalPolicyLocal);
  for (const ip of sp.externalIPs) {
    addEntry(ctx.sets, sp.externalPolicyLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', ipPortEntry(ip, proto, sp.port));
    addVs(ctx, sp, 'external-ip', ip, sp.port, external);
    if (!ctx.own.has(ip)) ctx.bind.add(ip);
  }
  for (const ingress of sp.loadBalancerVIPs) planLoadBalancer(ctx, sp, proto, ingress, external);
  if (sp.nodePort !== 0) planNodePort(ctx, sp, proto, external);
  if (sp.healthCheckNodePort !== 0) addEntry(ctx.sets, 'KUBE-HEALTH-CHECK-NODE-PORT', String(sp.healthCheckNodePort));
}

/**
 * One full IPVS-mode sync for a node. Pure and total: bad objects are skipped as kube-proxy skips
 * them; the same input always gives the same plan.
 */
export function planIpvsSync(input: IpvsSyncInput): IpvsPlan {
  const { config } = input;
  const ctx: Ctx = {
    input,
    sets: emptySetEntries(),
    vss: [],
    bind: new Set(),
    own: new Set(input.nodeAddresses),
    noNodeAccess: [],
    nodePortIPs: [],
  };
  const ports = servicePortsFrom(input.services, config.ipFamily);
  if (ports.some((p) => p.nodePort !== 0)) ctx.nodePortIPs = nodePortIPs(config, input.nodeIP, input.nodeAddresses);
  const byPort = endpointsByServicePort(input.endpointSlices, config.ipFamily, input.nodeName);
  for (const sp of ports) planServicePort(ctx, sp, endpointsOf(byPort, sp));
  const bindAddresses = [...ctx.bind].sort(compareIp);
  for (const a of bindAddresses) addEntry(ctx.sets, 'KUBE-IPVS-IPS', a);
  return { virtualServers: ctx.vss, bindAddresses, sets: ctx.sets, restoreText: ipvsRestoreText(ctx.sets, config, ctx.noNodeAccess) };
}

function compareIp(a: string, b: string): number {
  const x = parseIp(a)?.value ?? 0n;
  const y = parseIp(b)?.value ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}
