/**
 * Endpoints as kube-proxy reads them from EndpointSlices, and how it splits them into the sets
 * each traffic policy uses.
 *
 * Read first: pkg/proxy/endpointslicecache.go (ports, dedup, conditions, locality) and
 * pkg/proxy/topology.go (`CategorizeEndpoints`). Locality is `endpoint.nodeName == kube-proxy's
 * node name`: an endpoint's `hostname` is the pod's DNS hostname, not its node, so it never makes
 * an endpoint local. Topology hints and trafficDistribution are not modelled (every endpoint is
 * available to every zone).
 */
import type { EndpointSlice } from '../../k8s/types';
import type { IpFamily } from './addr';
import { joinHostPort, parseIp } from './addr';
import type { ServicePortInfo } from './service-port';
import { usesClusterEndpoints, usesLocalEndpoints } from './service-port';

/** One endpoint of one service port. */
export interface EndpointInfo {
  /** Canonical IP text (sloppy parse of `addresses[0]`). */
  ip: string;
  port: number;
  /** `IP:port` or `[IPv6]:port`: sort key, chain-name key and DNAT target. */
  endpoint: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** On kube-proxy's own node. */
  local: boolean;
}

/** The endpoint sets of a service port (spec §2, "Categorising"). */
export interface CategorizedEndpoints {
  /** Endpoints for Cluster policy (empty unless the port uses it). */
  cluster: EndpointInfo[];
  /** Endpoints for Local policy (empty unless the port uses it). */
  local: EndpointInfo[];
  /** Endpoints that get a KUBE-SEP chain. */
  reachable: EndpointInfo[];
  /** Some usable endpoint exists anywhere in the cluster. */
  hasAnyEndpoints: boolean;
}

/** Label that links an EndpointSlice to its Service. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** Label on EndpointSlices of headless Services: kube-proxy's informer drops them. */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';

/** Key joining a service port to its endpoints: namespace, service, port name, protocol. */
export function servicePortKey(
  namespace: string,
  service: string,
  portName: string,
  protocol: string,
): string {
  return [namespace, service, portName, protocol].join('\u0000');
}

/** The endpoints of one slice port, deduplicated into `into` (a local copy wins). */
function addSlicePort(
  into: Map<string, EndpointInfo>,
  slice: EndpointSlice,
  port: number,
  family: IpFamily,
  nodeName: string,
): void {
  // kube-proxy sorts a slice's endpoints by address first; that decides which duplicate is kept.
  const byAddress = (Array.isArray(slice.endpoints) ? slice.endpoints : [])
    .map((ep) => ({ ep, key: Array.isArray(ep?.addresses) ? ep.addresses.join(',') : '' }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { ep } of byAddress) {
    // Only the first address counts; the API guarantees there is exactly one anyway.
    const first: unknown = ep?.addresses?.[0];
    const ip = typeof first === 'string' ? parseIp(first) : null;
    if (!ip || ip.family !== family) continue;
    const c = ep.conditions ?? {};
    const info: EndpointInfo = {
      ip: ip.text,
      port,
      endpoint: joinHostPort(ip, port),
      ready: c.ready ?? true,
      serving: c.serving ?? true,
      terminating: c.terminating ?? false,
      // An empty node name makes nothing local.
      local: nodeName !== '' && ep.nodeName === nodeName,
    };
    if (!into.has(info.endpoint) || info.local) into.set(info.endpoint, info);
  }
}

/**
 * Endpoints per service port (keyed by `servicePortKey`) for a proxier of `family` on node
 * `nodeName`, each list sorted by endpoint string as text (so `10.1.1.11:11` sorts before
 * `10.1.1.1:11`). Slices without the service-name label, headless slices, ports without a name
 * field or with port 0, and addresses of the other family are skipped.
 */
export function endpointsByServicePort(
  slices: EndpointSlice[],
  family: IpFamily,
  nodeName: string,
): Map<string, EndpointInfo[]> {
  const sets = new Map<string, Map<string, EndpointInfo>>();
  for (const slice of slices) {
    const service = slice?.metadata?.labels?.[LABEL_SERVICE_NAME];
    if (!service || slice.metadata.labels?.[LABEL_HEADLESS] !== undefined) continue;
    const ports = (Array.isArray(slice.ports) ? slice.ports : []).filter(
      (p) => p && typeof p.name === 'string' && typeof p.port === 'number' && p.port !== 0,
    );
    ports.sort((a, b) => (a.port ?? 0) - (b.port ?? 0));
    for (const p of ports) {
      const key = servicePortKey(
        slice.metadata.namespace || 'default',
        service,
        p.name ?? '',
        p.protocol ?? 'TCP',
      );
      const set = sets.get(key) ?? new Map<string, EndpointInfo>();
      sets.set(key, set);
      addSlicePort(set, slice, p.port ?? 0, family, nodeName);
    }
  }
  const out = new Map<string, EndpointInfo[]>();
  for (const [key, set] of sets) {
    out.set(
      key,
      [...set.values()].sort((a, b) =>
        a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0,
      ),
    );
  }
  return out;
}

/** The endpoints of one service port (empty when it has none). */
export function endpointsOf(
  byPort: Map<string, EndpointInfo[]>,
  sp: ServicePortInfo,
): EndpointInfo[] {
  return byPort.get(servicePortKey(sp.namespace, sp.name, sp.portName, sp.protocol)) ?? [];
}

function isUsableTerminating(ep: EndpointInfo): boolean {
  return ep.serving && ep.terminating;
}

/** Ready endpoints, or, if there are none, the serving-and-terminating ones. */
function clusterSet(endpoints: EndpointInfo[]): EndpointInfo[] {
  const ready = endpoints.filter((e) => e.ready);
  return ready.length > 0 ? ready : endpoints.filter(isUsableTerminating);
}

/** The same fallback, decided among local endpoints only. */
function localSet(endpoints: EndpointInfo[]): {
  set: EndpointInfo[];
  terminatingFallback: boolean;
} {
  const local = endpoints.filter((e) => e.local);
  const ready = local.filter((e) => e.ready);
  if (ready.length > 0) return { set: ready, terminatingFallback: false };
  const terminating = local.filter(isUsableTerminating);
  return { set: terminating, terminatingFallback: terminating.length > 0 };
}

/**
 * Splits a service port's endpoints into the Cluster-policy set, the Local-policy set and the
 * union that needs KUBE-SEP chains. Never throws; an empty input gives empty sets.
 */
export function categorizeEndpoints(
  sp: ServicePortInfo,
  endpoints: EndpointInfo[],
): CategorizedEndpoints {
  const cluster = usesClusterEndpoints(sp) ? clusterSet(endpoints) : [];
  let hasAnyEndpoints = cluster.length > 0;
  if (!usesLocalEndpoints(sp)) return { cluster, local: [], reachable: cluster, hasAnyEndpoints };
  hasAnyEndpoints ||= endpoints.some((e) => e.ready || isUsableTerminating(e));
  const { set: local, terminatingFallback } = localSet(endpoints);
  if (!usesClusterEndpoints(sp)) return { cluster, local, reachable: local, hasAnyEndpoints };
  // With ready local endpoints the cluster set already contains them all.
  if (!terminatingFallback) return { cluster, local, reachable: cluster, hasAnyEndpoints };
  const union = new Map<string, EndpointInfo>();
  for (const e of [...cluster, ...local]) union.set(e.endpoint, e);
  return { cluster, local, reachable: [...union.values()], hasAnyEndpoints };
}
