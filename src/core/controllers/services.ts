/**
 * The API server's part in Services: defaults, ClusterIP and NodePort allocation, and the
 * validation that concerns the service network (spec/services-and-proxy.md §1–2).
 *
 * Read first: pkg/registry/core/service/ipallocator (bitmap allocator, lower band kept for static
 * IPs), portallocator (the --service-node-port-range), pkg/apis/core/validation (ServiceSpec
 * rules) and the `kubernetes` Service the apiserver maintains in `default`.
 *
 * Two modes:
 * - With a `Cluster` YAML doc (`allocate: true`): defaults are applied, a ClusterIP is allocated
 *   (seeded) from the upper band of the service CIDR for every Service that needs one, NodePorts
 *   from 30000–32767, LoadBalancer ingress IPs from 203.0.113.200–250; the `kubernetes` Service
 *   takes the first address and the tenth is kept for kube-dns. Conflicts are errors at the field.
 * - Without one (`allocate: false`, kube-proxy fixture style): objects are taken as the API
 *   server stored them; nothing is allocated or defaulted, and values an API server would reject
 *   are warnings (kube-proxy still reads them).
 *
 * Pure and total: never throws, reports through `report`.
 */
import type { Service, ServicePort } from '../k8s/types';
import type { Located, Severity, SourcePos } from '../scenario/types';
import type { Cidr } from '../util/ip';
import { cidrContains, cidrSize, intToIpv4, ipv4ToInt, isIPv4, nthAddress } from '../util/ip';
import { createRng } from '../util/rng';

/** The API server's default --service-node-port-range. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
/** Where the modelled cloud provider takes LoadBalancer addresses from (the underlay's "internet"). */
export const LB_POOL = { first: '203.0.113.200', last: '203.0.113.250' } as const;
/** Label a node carries to be left out of cloud load balancers. */
export const EXCLUDE_FROM_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';
/** The apiserver's own endpoint port, behind default/kubernetes:443. */
export const APISERVER_PORT = 6443;

export type ServiceReport = (severity: Severity, message: string, code: string, pos: SourcePos) => void;

export interface ServiceControllerOptions {
  seed: number;
  serviceCIDR: Cidr;
  /** False for a scenario without a Cluster object: take objects as stored. */
  allocate: boolean;
  /** Names of the nodes a cloud load balancer may send to (none → LoadBalancer stays pending). */
  lbNodes: string[];
}

/** A Service as stored, with where it came from (null for the built-in `kubernetes`). */
export interface StoredService {
  service: Service;
  source: Located<Service> | null;
}

const ORIGIN: SourcePos = { line: 1, col: 1, offset: 0, end: 0 };

function keyOf(s: Service): string {
  return `${s.metadata.namespace ?? 'default'}/${s.metadata.name ?? ''}`;
}

/** A leading-zero dotted quad read as decimal, as kube-proxy reads it; null if not one. */
function sloppyIPv4(s: string): string | null {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number).join('.');
}

/** The built-in Service in front of the API server (default/kubernetes). */
export function kubernetesService(serviceCIDR: Cidr): Service {
  const ip = nthAddress(serviceCIDR, 1);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      clusterIPs: [ip],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_PORT }],
    },
  };
}

interface Ctx {
  opts: ServiceControllerOptions;
  report: ServiceReport;
  /** ClusterIP (int) → owner key. */
  ips: Map<number, string>;
  /** `PROTO/port` → owner key. */
  nodePorts: Map<string, string>;
  lbIps: Set<string>;
  /** kube-dns exists and takes the service CIDR's tenth address. */
  dnsClaims: boolean;
}

/**
 * Stores the scenario's Services as the API server would. Returns them in scenario order, the
 * built-in `kubernetes` Service first when allocating (unless the scenario defines it).
 */
export function storeServices(given: Located<Service>[], opts: ServiceControllerOptions, report: ServiceReport): StoredService[] {
  const ctx: Ctx = { opts, report, ips: new Map(), nodePorts: new Map(), lbIps: new Set(), dnsClaims: false };
  const out: StoredService[] = given.map((g) => ({ service: JSON.parse(JSON.stringify(g.value)) as Service, source: g }));
  for (const s of out) s.service.spec ??= {};
  if (!opts.allocate) {
    for (const s of out) warnAsStored(ctx, s);
    return out;
  }
  if (!out.some((s) => keyOf(s.service) === 'default/kubernetes')) out.unshift({ service: kubernetesService(opts.serviceCIDR), source: null });
  for (const s of out) applyDefaults(ctx, s);
  // Static addresses and ports first, so that allocation never takes one a later object asks for.
  const dnsIp = nthAddress(opts.serviceCIDR, 10);
  ctx.ips.set(ipv4ToInt(dnsIp), 'kube-system/kube-dns');
  // kubeadm creates kube-dns with the cluster, before any user object: when it will take its
  // address, a user Service asking for that address is refused as already allocated.
  const dns = out.find((s) => keyOf(s.service) === 'kube-system/kube-dns');
  ctx.dnsClaims = dns !== undefined && typeOf(dns.service) !== 'ExternalName' && (!dns.service.spec.clusterIP || dns.service.spec.clusterIP === dnsIp);
  for (const s of out) claimClusterIP(ctx, s);
  for (const s of out) claimNodePorts(ctx, s);
  for (const s of out) claimLoadBalancerIP(ctx, s);
  for (const s of out) allocateClusterIP(ctx, s);
  for (const s of out) allocateNodePorts(ctx, s);
  for (const s of out) allocateLoadBalancer(ctx, s);
  return out;
}

function at(s: StoredService, path: string): SourcePos {
  return s.source ? s.source.fieldPos(path) : ORIGIN;
}

function typeOf(s: Service): NonNullable<Service['spec']['type']> {
  return s.spec.type ?? 'ClusterIP';
}

function portsOf(s: Service): ServicePort[] {
  return Array.isArray(s.spec.ports) ? s.spec.ports : [];
}

/** Without a Cluster: no allocation; say what an API server would have refused. */
function warnAsStored(ctx: Ctx, s: StoredService): void {
  const svc = s.service;
  portsOf(svc).forEach((p, i) => {
    if (p.nodePort !== undefined && (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max)) {
      ctx.report('warning', `spec.ports[${i}].nodePort ${p.nodePort} is outside ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}; an API server would refuse it, kube-proxy uses it as stored`, 'nodeport-as-stored', at(s, `spec.ports.${i}.nodePort`));
    }
  });
  const ip = svc.spec.clusterIP;
  if (ip && ip !== 'None' && !isIPv4(ip) && sloppyIPv4(ip)) {
    ctx.report('warning', `spec.clusterIP "${ip}" has leading zeros; kube-proxy reads it as ${sloppyIPv4(ip)}`, 'ip-leading-zeros', at(s, 'spec.clusterIP'));
  }
}

function applyDefaults(ctx: Ctx, s: StoredService): void {
  const spec = s.service.spec;
  spec.type ??= 'ClusterIP';
  // validateServiceExternalTrafficPolicy: only NodePort, LoadBalancer and ClusterIP with externalIPs.
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
  if (!external && spec.externalTrafficPolicy) {
    ctx.report('error', `spec.externalTrafficPolicy: Invalid value: "${spec.externalTrafficPolicy}": may only be set for externally-accessible services`, 'etp-not-external', at(s, 'spec.externalTrafficPolicy'));
  }
  if (spec.type === 'ExternalName') {
    checkExternalName(ctx, s);
    return;
  }
  checkSpec(ctx, s);
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'ClientIP') spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 } };
  spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  for (const p of portsOf(s.service)) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
}

/** MaxClientIPServiceAffinitySeconds (pkg/apis/core/types.go). */
const MAX_AFFINITY_SECONDS = 86400;

/** ValidateService's rules on headless, ports and session affinity (pkg/apis/core/validation). */
function checkSpec(ctx: Ctx, s: StoredService): void {
  const spec = s.service.spec;
  const headless = spec.clusterIP === 'None';
  if (headless && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    ctx.report('error', `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for ${spec.type} services`, 'headless-external', at(s, 'spec.clusterIP'));
  }
  if (!headless && portsOf(s.service).length === 0) ctx.report('error', 'spec.ports: Required value', 'missing-field', at(s, 'spec'));
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if ((spec.sessionAffinity ?? 'None') === 'None') {
    if (spec.sessionAffinityConfig) ctx.report('error', 'spec.sessionAffinityConfig: Invalid value: must not be set when session affinity is None', 'affinity-config', at(s, 'spec.sessionAffinityConfig'));
  } else if (typeof timeout === 'number' && (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS)) {
    ctx.report('error', `spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${timeout}: must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`, 'affinity-timeout', at(s, 'spec.sessionAffinityConfig.clientIP.timeoutSeconds'));
  }
}

function checkExternalName(ctx: Ctx, s: StoredService): void {
  const spec = s.service.spec;
  if (spec.clusterIP && spec.clusterIP !== 'None') {
    ctx.report('error', `spec.clusterIP: Invalid value: "${spec.clusterIP}": may not be set for ExternalName services (an ExternalName Service is a DNS CNAME only, it has no virtual IP)`, 'externalname-ip', at(s, 'spec.clusterIP'));
  }
  delete spec.clusterIP;
  delete spec.clusterIPs;
  const name = spec.externalName;
  if (!name) ctx.report('error', 'spec.externalName: Required value: an ExternalName Service needs the DNS name it aliases', 'missing-field', at(s, 'spec'));
  else if (isIPv4(name)) {
    ctx.report('warning', `spec.externalName "${name}" is an IP address: ExternalName only makes a DNS CNAME, and a CNAME to "${name}" does not resolve; use a Service without a selector and an EndpointSlice holding ${name}`, 'externalname-ip', at(s, 'spec.externalName'));
  }
}

function claimClusterIP(ctx: Ctx, s: StoredService): void {
  const spec = s.service.spec;
  const ip = spec.clusterIP;
  if (spec.type === 'ExternalName' || !ip || ip === 'None') return;
  const text = isIPv4(ip) ? ip : sloppyIPv4(ip);
  if (!text) return; // the parser reported it
  if (text !== ip) {
    ctx.report('error', `spec.clusterIP: Invalid value: "${ip}": must be a valid IP address without leading zeros (did you mean ${text}?)`, 'invalid-ip', at(s, 'spec.clusterIP'));
    return;
  }
  const n = ipv4ToInt(ip);
  const cidr = ctx.opts.serviceCIDR;
  const key = keyOf(s.service);
  if (!cidrContains(cidr, n)) {
    ctx.report('error', `spec.clusterIPs[0]: Invalid value: "${ip}": failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr.text}`, 'clusterip-outside', at(s, 'spec.clusterIP'));
    delete spec.clusterIP;
    return;
  }
  const owner = ctx.ips.get(n);
  const reservedForDns = owner === 'kube-system/kube-dns' && key !== owner && !ctx.dnsClaims;
  if (n === cidr.network || (owner !== undefined && owner !== key && !reservedForDns)) {
    ctx.report('error', `spec.clusterIPs[0]: Invalid value: "${ip}": failed to allocate IP ${ip}: provided IP is already allocated${owner ? ` (to ${owner})` : ''}`, 'clusterip-taken', at(s, 'spec.clusterIP'));
    delete spec.clusterIP;
    return;
  }
  ctx.ips.set(n, key);
  spec.clusterIPs = [ip];
}

/** A free address from the upper band, drawn with the seed and probed linearly on collision. */
function allocateClusterIP(ctx: Ctx, s: StoredService): void {
  const spec = s.service.spec;
  if (spec.type === 'ExternalName' || spec.clusterIP === 'None') {
    if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
    return;
  }
  if (spec.clusterIP) return;
  const key = keyOf(s.service);
  const cidr = ctx.opts.serviceCIDR;
  if (key === 'kube-system/kube-dns' && ctx.ips.get(ipv4ToInt(nthAddress(cidr, 10))) === key) return setIp(spec, nthAddress(cidr, 10));
  const size = cidrSize(cidr);
  const lower = Math.min(Math.max(16, Math.floor(size / 16)), 256);
  const first = size > lower + 2 ? lower : 1;
  const span = size - 1 - first; // offsets first … size-2 (no broadcast)
  const start = createRng(ctx.opts.seed, 'cluster-ip', key).int(0, Math.max(0, span - 1));
  for (let i = 0; i < span; i++) {
    const n = (cidr.network + first + ((start + i) % span)) >>> 0;
    if (ctx.ips.has(n)) continue;
    ctx.ips.set(n, key);
    return setIp(spec, intToIpv4(n));
  }
  ctx.report('error', `failed to allocate a ClusterIP for ${key}: the service CIDR ${cidr.text} is full`, 'clusterip-exhausted', at(s, 'metadata.name'));
}

function setIp(spec: Service['spec'], ip: string): void {
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
}

function wantsNodePorts(s: Service): boolean {
  const t = typeOf(s);
  return t === 'NodePort' || (t === 'LoadBalancer' && s.spec.allocateLoadBalancerNodePorts !== false);
}

function claimNodePorts(ctx: Ctx, s: StoredService): void {
  const svc = s.service;
  portsOf(svc).forEach((p, i) => {
    if (p.nodePort === undefined) return;
    const pos = at(s, `spec.ports.${i}.nodePort`);
    const t = typeOf(svc);
    if (t !== 'NodePort' && t !== 'LoadBalancer') {
      ctx.report('error', `spec.ports[${i}].nodePort: Forbidden: may not be used when \`type\` is '${t}'`, 'nodeport-forbidden', pos);
      delete p.nodePort;
      return;
    }
    if (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
      ctx.report('error', `spec.ports[${i}].nodePort: Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`, 'nodeport-range', pos);
      delete p.nodePort;
      return;
    }
    const k = `${p.protocol ?? 'TCP'}/${p.nodePort}`;
    const owner = ctx.nodePorts.get(k);
    if (owner !== undefined && owner !== `${keyOf(svc)}#${i}`) {
      ctx.report('error', `spec.ports[${i}].nodePort: Invalid value: ${p.nodePort}: provided port is already allocated (to ${owner.split('#')[0]})`, 'nodeport-taken', pos);
      delete p.nodePort;
      return;
    }
    ctx.nodePorts.set(k, `${keyOf(svc)}#${i}`);
  });
}

function freeNodePort(ctx: Ctx, protocol: string, owner: string, ...labels: string[]): number | undefined {
  const span = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
  const start = createRng(ctx.opts.seed, 'node-port', owner, ...labels).int(0, span - 1);
  for (let i = 0; i < span; i++) {
    const port = NODE_PORT_RANGE.min + ((start + i) % span);
    const k = `${protocol}/${port}`;
    if (ctx.nodePorts.has(k)) continue;
    ctx.nodePorts.set(k, owner);
    return port;
  }
  return undefined;
}

function allocateNodePorts(ctx: Ctx, s: StoredService): void {
  const svc = s.service;
  const key = keyOf(svc);
  if (wantsNodePorts(svc)) {
    portsOf(svc).forEach((p, i) => {
      if (p.nodePort !== undefined) return;
      const port = freeNodePort(ctx, p.protocol ?? 'TCP', `${key}#${i}`, String(i));
      if (port === undefined) ctx.report('error', `spec.ports[${i}].nodePort: Internal error: range is full`, 'nodeport-exhausted', at(s, `spec.ports.${i}`));
      else p.nodePort = port;
    });
  }
  // The health check port the cloud LB probes under externalTrafficPolicy: Local.
  if (typeOf(svc) === 'LoadBalancer' && svc.spec.externalTrafficPolicy === 'Local' && !svc.spec.healthCheckNodePort) {
    const port = freeNodePort(ctx, 'TCP', `${key}#health`, 'health');
    if (port !== undefined) svc.spec.healthCheckNodePort = port;
  }
}

function poolRange(): [number, number] {
  return [ipv4ToInt(LB_POOL.first), ipv4ToInt(LB_POOL.last)];
}

function claimLoadBalancerIP(ctx: Ctx, s: StoredService): void {
  if (typeOf(s.service) !== 'LoadBalancer') return;
  for (const ing of s.service.status?.loadBalancer?.ingress ?? []) if (ing.ip) ctx.lbIps.add(ing.ip);
  const wanted = s.service.spec.loadBalancerIP;
  if (wanted && !(s.service.status?.loadBalancer?.ingress ?? []).some((i) => i.ip)) {
    if (ctx.lbIps.has(wanted)) ctx.report('error', `spec.loadBalancerIP ${wanted} is already used by another LoadBalancer`, 'lb-ip-taken', at(s, 'spec.loadBalancerIP'));
    else {
      ctx.lbIps.add(wanted);
      s.service.status = { loadBalancer: { ingress: [{ ip: wanted }] } };
    }
  }
}

/** The cloud controller: an ingress address for every LoadBalancer that has nodes to send to. */
function allocateLoadBalancer(ctx: Ctx, s: StoredService): void {
  const svc = s.service;
  if (typeOf(svc) !== 'LoadBalancer') return;
  if (ctx.opts.lbNodes.length === 0) {
    ctx.report('warning', `LoadBalancer ${keyOf(svc)}: there are no available nodes for the load balancer (every node is excluded or there are none); EXTERNAL-IP stays <pending>`, 'lb-no-nodes', at(s, 'spec.type'));
    return;
  }
  if ((svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip || i.hostname)) return;
  const [lo, hi] = poolRange();
  const span = hi - lo + 1;
  const start = createRng(ctx.opts.seed, 'lb-ip', keyOf(svc)).int(0, span - 1);
  for (let i = 0; i < span; i++) {
    const ip = intToIpv4(lo + ((start + i) % span));
    if (ctx.lbIps.has(ip)) continue;
    ctx.lbIps.add(ip);
    svc.status = { loadBalancer: { ingress: [{ ip }] } };
    return;
  }
  ctx.report('warning', `LoadBalancer ${keyOf(svc)}: the modelled cloud has no free address in ${LB_POOL.first}-${LB_POOL.last}; EXTERNAL-IP stays <pending>`, 'lb-pool-exhausted', at(s, 'spec.type'));
}
