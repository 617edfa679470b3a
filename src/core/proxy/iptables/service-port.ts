/**
 * The service ports kube-proxy derives from Services: one `ServicePortInfo` per entry of
 * `spec.ports`, holding only what the proxier uses, with addresses of the proxier's family in
 * canonical form.
 *
 * Read first: pkg/proxy/serviceport.go and servicechangetracker.go (what is kept, and how
 * addresses are filtered by family), pkg/api/v1/service (`ExternallyAccessible`,
 * `ExternalPolicyLocal`, `NeedsHealthCheck`). kube-proxy never allocates anything: a port with
 * no `nodePort` has none, whatever the Service type.
 */
import type { Service } from '../../k8s/types';
import type { IpFamily } from './addr';
import { parseCidr, parseIp } from './addr';

/** Service-port protocols (upper case, as in the API). */
export type ServiceProtocol = 'TCP' | 'UDP' | 'SCTP';

/** What kube-proxy knows about one port of one Service. */
export interface ServicePortInfo {
  namespace: string;
  /** The Service's name. */
  name: string;
  /** `spec.ports[].name`, possibly empty. */
  portName: string;
  /** `NS/NAME:PORTNAME`, or `NS/NAME` for an unnamed port: comments and chain hashes use it. */
  servicePortName: string;
  protocol: ServiceProtocol;
  clusterIP: string;
  port: number;
  /** 0 when the port has none. */
  nodePort: number;
  /** `spec.externalIPs` of this family, spec order, canonical. */
  externalIPs: string[];
  /** LoadBalancer ingress IPs of this family (ipMode VIP or unset), in order, canonical. */
  loadBalancerVIPs: string[];
  /** `spec.loadBalancerSourceRanges` of this family, trimmed and canonical. */
  loadBalancerSourceRanges: string[];
  /** `externalTrafficPolicy: Local` on a Service that can be reached from outside. */
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  /** 0 unless the Service is a LoadBalancer with external policy Local. */
  healthCheckNodePort: number;
  /** ClientIP session affinity timeout in seconds; null without affinity. */
  affinityTimeoutSeconds: number | null;
}

/** Default `sessionAffinityConfig.clientIP.timeoutSeconds` (3 hours). */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

/** Label that hands a Service to another proxy implementation: kube-proxy ignores it. */
export const LABEL_SERVICE_PROXY_NAME = 'service.kubernetes.io/service-proxy-name';

/** True if some external destination (NodePort, LB VIP, external IP) exists for the port. */
export function isExternallyAccessible(sp: ServicePortInfo): boolean {
  return sp.nodePort !== 0 || sp.loadBalancerVIPs.length > 0 || sp.externalIPs.length > 0;
}

/** True if the port routes some traffic with Cluster policy (needs the cluster endpoint set). */
export function usesClusterEndpoints(sp: ServicePortInfo): boolean {
  return !sp.internalPolicyLocal || isExternallyAccessible(sp);
}

/** True if the port routes some traffic with Local policy (needs the local endpoint set). */
export function usesLocalEndpoints(sp: ServicePortInfo): boolean {
  return sp.internalPolicyLocal || (sp.externalPolicyLocal && isExternallyAccessible(sp));
}

/** The Service's ClusterIP of `family`, or '' (kube-proxy's `GetClusterIPByFamily`). */
function clusterIPOf(svc: Service, family: IpFamily): string {
  const spec = svc.spec;
  const families = spec.ipFamilies ?? [];
  if (families.length === 0) {
    const ip = spec.clusterIP && spec.clusterIP !== 'None' ? parseIp(spec.clusterIP) : null;
    return ip && ip.family === family ? ip.text : '';
  }
  const idx = families.indexOf(family);
  const text = idx >= 0 ? spec.clusterIPs?.[idx] : undefined;
  const ip = text && text !== 'None' ? parseIp(text) : null;
  return ip && ip.family === family ? ip.text : '';
}

function ipsOfFamily(texts: (string | undefined)[], family: IpFamily): string[] {
  return texts
    .map((t) => (t ? parseIp(t) : null))
    .filter((ip) => ip !== null && ip.family === family)
    .map((ip) => ip!.text);
}

/** Type-based reachability from outside, which gates externalTrafficPolicy. */
function serviceExternallyAccessible(svc: Service): boolean {
  const type = svc.spec.type ?? 'ClusterIP';
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && (svc.spec.externalIPs ?? []).length > 0)
  );
}

/** Per-Service facts shared by all of its ports. */
function serviceFacts(
  svc: Service,
  family: IpFamily,
): Omit<ServicePortInfo, 'portName' | 'servicePortName' | 'protocol' | 'port' | 'nodePort'> {
  const spec = svc.spec;
  const externalPolicyLocal =
    serviceExternallyAccessible(svc) && spec.externalTrafficPolicy === 'Local';
  const ingress = (svc.status?.loadBalancer?.ingress ?? []).filter(
    (i) => !i.ipMode || i.ipMode === 'VIP',
  );
  const ranges = (spec.loadBalancerSourceRanges ?? [])
    .map((r) => parseCidr(r))
    .filter((c) => c !== null && c.family === family);
  return {
    namespace: svc.metadata.namespace || 'default',
    name: svc.metadata.name ?? '',
    clusterIP: clusterIPOf(svc, family),
    externalIPs: ipsOfFamily(spec.externalIPs ?? [], family),
    loadBalancerVIPs: ipsOfFamily(
      ingress.map((i) => i.ip),
      family,
    ),
    loadBalancerSourceRanges: ranges.map((c) => c!.text),
    externalPolicyLocal,
    internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    healthCheckNodePort:
      spec.type === 'LoadBalancer' && externalPolicyLocal ? (spec.healthCheckNodePort ?? 0) : 0,
    affinityTimeoutSeconds:
      spec.sessionAffinity === 'ClientIP'
        ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS)
        : null,
  };
}

/** Byte-wise order of service-port name, then protocol: the deterministic iteration order. */
export function compareServicePorts(a: ServicePortInfo, b: ServicePortInfo): number {
  if (a.servicePortName !== b.servicePortName)
    return a.servicePortName < b.servicePortName ? -1 : 1;
  return a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0;
}

/**
 * The service ports a proxier of `family` handles, sorted by service-port name then protocol.
 * Skips ExternalName Services, Services without a ClusterIP of the family and Services labelled
 * for another proxy. A later port with the same name and protocol replaces an earlier one, as it
 * would in kube-proxy's map.
 */
export function servicePortsFrom(services: Service[], family: IpFamily): ServicePortInfo[] {
  const byKey = new Map<string, ServicePortInfo>();
  for (const svc of services) {
    if (
      svc.spec.type === 'ExternalName' ||
      svc.metadata.labels?.[LABEL_SERVICE_PROXY_NAME] !== undefined
    )
      continue;
    const facts = serviceFacts(svc, family);
    if (!facts.clusterIP) continue;
    for (const p of Array.isArray(svc.spec.ports) ? svc.spec.ports : []) {
      if (!p || typeof p.port !== 'number') continue;
      const portName = p.name ?? '';
      const servicePortName = `${facts.namespace}/${facts.name}${portName ? `:${portName}` : ''}`;
      const protocol = p.protocol ?? 'TCP';
      // Spelled out rather than spread from `facts` (same fields, same order): a spread copy is
      // the slow path of object creation, and a sync makes one per service port.
      byKey.set(`${servicePortName}\u0000${protocol}`, {
        namespace: facts.namespace,
        name: facts.name,
        clusterIP: facts.clusterIP,
        externalIPs: facts.externalIPs,
        loadBalancerVIPs: facts.loadBalancerVIPs,
        loadBalancerSourceRanges: facts.loadBalancerSourceRanges,
        externalPolicyLocal: facts.externalPolicyLocal,
        internalPolicyLocal: facts.internalPolicyLocal,
        healthCheckNodePort: facts.healthCheckNodePort,
        affinityTimeoutSeconds: facts.affinityTimeoutSeconds,
        portName,
        servicePortName,
        protocol,
        port: p.port,
        nodePort: p.nodePort ?? 0,
      });
    }
  }
  return [...byKey.values()].sort(compareServicePorts);
}
