/**
 * kube-proxy's full sync in iptables mode: Services + EndpointSlices + options → the exact
 * iptables-restore text `syncProxyRules` feeds to `iptables-restore --noflush --counters`.
 *
 * Read first: pkg/proxy/iptables/proxier.go `syncProxyRules` (fixed chains, per-service loop,
 * stale-chain cleanup, NodePort dispatch, KUBE-FORWARD) and pkg/proxy/util/nodeport_addresses.go.
 * Service ports are visited sorted by service-port name then protocol, where kube-proxy uses Go
 * map order; upstream's tests normalise that difference away (see normalise.ts).
 */
import type { EndpointSlice, Service } from '../../k8s/types';
import type { IpAddr, IpCidr, IpFamily } from './addr';
import { cidrContains, familyBits, parseCidr, parseIp } from './addr';
import type { KubeProxyOptions } from './config';
import { categorizeEndpoints, endpointsByServicePort, endpointsOf } from './endpoints';
import type { RestoreBuffers } from './restore-buffer';
import {
  commentMatch,
  declareChain,
  newRestoreBuffers,
  quoted,
  renderRestore,
  writeLine,
} from './restore-buffer';
import { servicePortsFrom } from './service-port';
import type { SyncContext } from './service-rules';
import { writeServicePort } from './service-rules';

/** What one kube-proxy (one family) needs for a sync. */
export interface ProxierInput {
  /** kube-proxy's node name; endpoints whose `nodeName` equals it are local. */
  nodeName: string;
  /** The node's IPs; the first of the proxier's family is kube-proxy's primary node IP. */
  nodeIPs: string[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  config: KubeProxyOptions;
  /** All addresses of the host, for nodePortAddresses and LOCAL. */
  localAddresses: string[];
  /**
   * nat chains already in the kernel (from iptables-save). Those of kube-proxy's per-service
   * kinds that this sync no longer uses are flushed and deleted (`-X`). Default: none.
   */
  existingChains?: string[];
}

/** Above this many endpoints kube-proxy drops per-endpoint comments (large-cluster mode). */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

const NODEPORTS_LAST_RULE_COMMENT = quoted(
  'kubernetes service nodeports; NOTE: this must be the last rule in this chain',
);
const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-'];
const IPV4_LOOPBACK_START = parseIp('127.0.0.0') as IpAddr;

/** `nodePortAddresses` resolved for one family. */
interface NodePortAddresses {
  matchAll: boolean;
  cidrs: IpCidr[];
  containsIPv4Loopback: boolean;
}

/** The `primary` keyword means the node's primary IPs; other entries are CIDRs of either family. */
function resolveNodePortAddresses(
  entries: string[],
  family: IpFamily,
  nodeIPs: IpAddr[],
): NodePortAddresses {
  const all: IpCidr[] = [];
  for (const entry of entries) {
    if (entry.trim() === 'primary') {
      for (const ip of nodeIPs) {
        const prefix = familyBits(ip.family);
        all.push({ family: ip.family, network: ip.value, prefix, text: `${ip.text}/${prefix}` });
      }
      continue;
    }
    const cidr = parseCidr(entry);
    if (cidr) all.push(cidr);
  }
  const cidrs = all.filter((c) => c.family === family);
  const matchAll = cidrs.length === 0 || cidrs.some((c) => c.prefix === 0);
  // As upstream: a CIDR whose network address is a loopback, or that contains 127.0.0.0.
  const isLoopbackCidr = (c: IpCidr): boolean =>
    c.family === 'IPv4' && (c.network >> 24n === 127n || cidrContains(c, IPV4_LOOPBACK_START));
  const containsIPv4Loopback = (matchAll && family === 'IPv4') || cidrs.some(isLoopbackCidr);
  return { matchAll, cidrs, containsIPv4Loopback };
}

/** The fixed nat chains and rules written first: KUBE-POSTROUTING and KUBE-MARK-MASQ. */
function writeFixedNat(buf: RestoreBuffers, opts: KubeProxyOptions): void {
  const nat = buf.nat;
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) {
    declareChain(nat, c);
  }
  const mark = opts.masqueradeMark;
  writeLine(nat, '-A KUBE-POSTROUTING', `-m mark ! --mark ${mark}/${mark}`, '-j RETURN');
  // Clear the mark so a packet that traverses the stack again is not masqueraded twice.
  writeLine(nat, '-A KUBE-POSTROUTING', `-j MARK --xor-mark ${mark}`);
  const snat = commentMatch(quoted('kubernetes service traffic requiring SNAT'));
  writeLine(
    nat,
    '-A KUBE-POSTROUTING',
    snat,
    '-j MASQUERADE',
    opts.randomFully && '--random-fully',
  );
  writeLine(nat, '-A KUBE-MARK-MASQ', `-j MARK --or-mark ${mark}`);
}

/** The fixed filter chains, and KUBE-FIREWALL's anti-martian rule when localhost NodePorts are on. */
function writeFixedFilter(buf: RestoreBuffers, localhostNodePorts: boolean): void {
  const filter = buf.filter;
  for (const c of [
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
  ]) {
    declareChain(filter, c);
  }
  if (!localhostNodePorts) return;
  // route_localnet lets remote hosts reach 127.0.0.0/8 (issue 90259); this rule closes that hole.
  declareChain(filter, 'KUBE-FIREWALL');
  const comment = commentMatch(quoted('block incoming localnet connections'));
  const martian =
    '-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT';
  writeLine(filter, '-A KUBE-FIREWALL', comment, martian, '-j DROP');
}

/** KUBE-FORWARD, written last in filter. */
function writeForwardChain(buf: RestoreBuffers, opts: KubeProxyOptions): void {
  const filter = buf.filter;
  const mark = opts.masqueradeMark;
  // With liberal TCP conntrack nothing is INVALID that should pass, so nothing is dropped.
  if (!opts.tcpBeLiberal) {
    const counter = opts.nfacct && '-m nfacct --nfacct-name ct_state_invalid_dropped_pkts';
    writeLine(filter, '-A KUBE-FORWARD', '-m conntrack --ctstate INVALID', counter, '-j DROP');
  }
  const forward = commentMatch(quoted('kubernetes forwarding rules'));
  writeLine(filter, '-A KUBE-FORWARD', forward, `-m mark --mark ${mark}/${mark}`, '-j ACCEPT');
  const conntrack = commentMatch(quoted('kubernetes forwarding conntrack rule'));
  writeLine(
    filter,
    '-A KUBE-FORWARD',
    conntrack,
    '-m conntrack --ctstate RELATED,ESTABLISHED',
    '-j ACCEPT',
  );
}

/** Interface addresses inside the configured CIDRs, ascending (kube-proxy: Go map order). */
function nodePortIPs(npa: NodePortAddresses, localAddresses: string[], family: IpFamily): IpAddr[] {
  const ips = localAddresses
    .map((a) => parseIp(a))
    .filter((ip): ip is IpAddr => ip !== null && ip.family === family);
  const inside = ips.filter((ip) => npa.cidrs.some((c) => cidrContains(c, ip)));
  const unique = new Map(inside.map((ip) => [ip.value, ip]));
  return [...unique.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function isLoopback(ip: IpAddr): boolean {
  return ip.family === 'IPv4' ? ip.value >> 24n === 127n : ip.value === 1n;
}

/** The NodePort dispatch: the last rule(s) of nat KUBE-SERVICES. */
function writeNodePortDispatch(
  ctx: SyncContext,
  npa: NodePortAddresses,
  localAddresses: string[],
): void {
  const nat = ctx.buf.nat;
  const ipv6 = ctx.opts.ipFamily === 'IPv6';
  const head = `-A KUBE-SERVICES ${commentMatch(NODEPORTS_LAST_RULE_COMMENT)}`;
  if (npa.matchAll) {
    // Localhost NodePorts never work on IPv6, and on IPv4 only with route_localnet.
    const notLoopback = ipv6 ? '! -d ::1/128' : !ctx.localhostNodePorts && '! -d 127.0.0.0/8';
    writeLine(nat, head, '-m addrtype --dst-type LOCAL', notLoopback, '-j KUBE-NODEPORTS');
    return;
  }
  for (const ip of nodePortIPs(npa, localAddresses, ctx.opts.ipFamily)) {
    if (isLoopback(ip) && (ipv6 || !ctx.localhostNodePorts)) continue;
    writeLine(nat, head, `-d ${ip.text}`, '-j KUBE-NODEPORTS');
  }
}

/** Flush-and-delete lines for kube-proxy chains in the kernel that this sync does not use. */
function writeStaleChainDeletions(ctx: SyncContext, existing: string[]): void {
  for (const chain of new Set(existing)) {
    if (ctx.activeNatChains.has(chain) || !SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p)))
      continue;
    declareChain(ctx.buf.nat, chain);
    writeLine(ctx.buf.nat, `-X ${chain}`);
  }
}

function nodeIPsOf(nodeIPs: string[], family: IpFamily): IpAddr[] {
  return nodeIPs.map((a) => parseIp(a)).filter((ip): ip is IpAddr => ip !== null && ip.family === family);
}

/**
 * True when this proxier accepts NodePorts on 127.0.0.1 (IPv4, `localhostNodePorts` on and
 * `nodePortAddresses` holding a loopback address or all): kube-proxy then sets
 * `net.ipv4.conf.all.route_localnet=1` and writes the KUBE-FIREWALL anti-martian rule.
 */
export function localhostNodePortsActive(config: KubeProxyOptions, nodeIPs: string[]): boolean {
  const family = config.ipFamily;
  const npa = resolveNodePortAddresses(config.nodePortAddresses, family, nodeIPsOf(nodeIPs, family));
  return family === 'IPv4' && config.localhostNodePorts && npa.containsIPv4Loopback;
}

/**
 * kube-proxy's full-sync iptables-restore text for one family: `*filter` then `*nat`, each
 * ending in `COMMIT`. Pure and total: bad addresses in the objects are skipped, never thrown on.
 */
export function syncIptablesRules(input: ProxierInput): string {
  const opts = input.config;
  const family = opts.ipFamily;
  const nodeIPs = nodeIPsOf(input.nodeIPs, family);
  const npa = resolveNodePortAddresses(opts.nodePortAddresses, family, nodeIPs);
  const ports = servicePortsFrom(input.services, family);
  const byPort = endpointsByServicePort(input.endpointSlices, family, input.nodeName);
  const totalEndpoints = ports.reduce((n, sp) => n + endpointsOf(byPort, sp).length, 0);
  const ctx: SyncContext = {
    opts,
    buf: newRestoreBuffers(),
    activeNatChains: new Set(),
    nodeIP: nodeIPs[0] ?? null,
    localhostNodePorts: family === 'IPv4' && opts.localhostNodePorts && npa.containsIPv4Loopback,
    largeCluster: totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
  };
  writeFixedFilter(ctx.buf, ctx.localhostNodePorts);
  writeFixedNat(ctx.buf, opts);
  for (const sp of ports)
    writeServicePort(ctx, sp, categorizeEndpoints(sp, endpointsOf(byPort, sp)));
  writeStaleChainDeletions(ctx, input.existingChains ?? []);
  writeNodePortDispatch(ctx, npa, input.localAddresses);
  writeForwardChain(ctx.buf, opts);
  return renderRestore(ctx.buf);
}
