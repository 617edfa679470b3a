/**
 * The EndpointSlice mirroring controller: a v1 Endpoints written by hand for a Service without a
 * selector (the "Service without selectors" pattern of the Kubernetes docs) is copied into
 * EndpointSlices, because kube-proxy and CoreDNS read only slices. Without this, such a Service
 * would have no endpoints and every connection would be refused.
 *
 * Read first: pkg/controller/endpointslicemirroring (endpointslicemirroring_controller.go
 * `syncEndpoints`: only when the Service exists and has no selector, and the Endpoints is not
 * labelled `endpointslice.kubernetes.io/skip-mirror: "true"`; reconciler.go: subsets with the
 * same port list share one slice, `addresses` become `ready: true` and `notReadyAddresses`
 * `ready: false`, at most 1000 addresses per subset, invalid IPs skipped; utils.go
 * `newEndpointSlice`: labels copied, then `kubernetes.io/service-name` and
 * `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`; only
 * `ready` is set among the conditions). Names are `<endpoints>-<5 seeded chars>`. Pure and total.
 */
import type { CoreEndpointPort, Endpoint, EndpointAddress, EndpointPort, Endpoints, EndpointSlice, Service } from '../k8s/types';
import { parseIp } from '../proxy/iptables/addr';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from './endpoint-slices';
import { randomSuffix } from './names';

export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** Upstream's --mirroring-max-endpoints-per-subset default. */
export const MAX_MIRRORED_PER_SUBSET = 1000;

/** One slice in the making: the port list and address family it is keyed by, and its endpoints. */
interface Group {
  ports: EndpointPort[];
  addressType: 'IPv4' | 'IPv6';
  endpoints: Endpoint[];
}

function nsOf(o: { metadata?: { namespace?: string } }): string {
  return o.metadata?.namespace || 'default';
}

/** The apiserver defaults a v1 EndpointPort's protocol to TCP; its name is "" when absent. */
function slicePorts(ports: readonly CoreEndpointPort[] | undefined): EndpointPort[] {
  return (Array.isArray(ports) ? ports : []).map((p) => ({ name: p?.name ?? '', port: p?.port, protocol: p?.protocol ?? 'TCP', ...(p?.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
}

function toEndpoint(a: EndpointAddress, ready: boolean): { endpoint: Endpoint; addressType: 'IPv4' | 'IPv6' } | null {
  const ip = typeof a?.ip === 'string' ? parseIp(a.ip) : null;
  if (!ip) return null;
  const endpoint: Endpoint = { addresses: [ip.text], conditions: { ready } };
  if (a.targetRef) endpoint.targetRef = a.targetRef;
  if (a.nodeName) endpoint.nodeName = a.nodeName;
  if (a.hostname) endpoint.hostname = a.hostname;
  return { endpoint, addressType: ip.family };
}

/** True when the mirroring controller copies this Endpoints: its Service exists and has no selector. */
function mirrors(ep: Endpoints, services: readonly Service[]): boolean {
  if (ep.metadata?.labels?.[LABEL_SKIP_MIRROR] === 'true') return false;
  const svc = services.find((s) => s.metadata.name === ep.metadata?.name && nsOf(s) === nsOf(ep));
  return svc !== undefined && Object.keys(svc.spec.selector ?? {}).length === 0;
}

/**
 * The `ClusterModel.pluginState` key under which compile keeps the v1 Endpoints written in the
 * scenario, as the API server stores them: `kubectl get endpoints` lists every one, mirrored or not.
 */
export const WRITTEN_ENDPOINTS_KEY = 'written-endpoints';

/** The Endpoints written in the scenario (empty when none), for the readers of the API's objects. */
export function writtenEndpoints(pluginState: ReadonlyMap<string, unknown>): readonly Endpoints[] {
  return (pluginState.get(WRITTEN_ENDPOINTS_KEY) as Endpoints[] | undefined) ?? [];
}

/**
 * One Endpoints as slices: subsets with the same port list share one, each address once. Also
 * how the API server's RepackSubsets (registry/core/endpoint Canonicalize) stores a written
 * Endpoints, short of its hash-based port order, so the kubectl printer reads both alike.
 */
export function endpointsAsSlices(seed: number, ep: Endpoints): EndpointSlice[] {
  return mirrorOne(seed, ep);
}

function mirrorOne(seed: number, ep: Endpoints): EndpointSlice[] {
  const groups = new Map<string, Group>();
  for (const subset of Array.isArray(ep.subsets) ? ep.subsets : []) {
    const ports = slicePorts(subset?.ports);
    let added = 0;
    const candidates: [EndpointAddress, boolean][] = [
      ...(subset?.addresses ?? []).map((a): [EndpointAddress, boolean] => [a, true]),
      ...(subset?.notReadyAddresses ?? []).map((a): [EndpointAddress, boolean] => [a, false]),
    ];
    for (const [address, ready] of candidates) {
      if (added >= MAX_MIRRORED_PER_SUBSET) break;
      const e = toEndpoint(address, ready);
      if (!e) continue;
      added++;
      const key = `${e.addressType}|${JSON.stringify(ports)}`;
      const g = groups.get(key) ?? { ports, addressType: e.addressType, endpoints: [] };
      groups.set(key, g);
      // The desired set is keyed by address: a repeated address is mirrored once.
      if (!g.endpoints.some((x) => x.addresses[0] === e.endpoint.addresses[0])) g.endpoints.push(e.endpoint);
    }
  }
  const ns = nsOf(ep);
  const name = ep.metadata?.name ?? '';
  return [...groups.values()].map((g, i) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-${randomSuffix(seed, 5, 'endpointslice-mirror', ns, name, i)}`,
      namespace: ns,
      labels: { ...(ep.metadata?.labels ?? {}), [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: MIRRORING_CONTROLLER_NAME },
      ownerReferences: [{ kind: 'Endpoints', name, controller: true }],
    },
    addressType: g.addressType,
    ports: g.ports,
    endpoints: g.endpoints,
  }));
}

/**
 * Why the mirroring controller leaves this Endpoints alone, in words a student can act on, or
 * undefined when it mirrors it (or was told to skip it with skip-mirror).
 */
export function notMirroredReason(ep: Endpoints, services: readonly Service[]): string | undefined {
  if (ep.metadata?.labels?.[LABEL_SKIP_MIRROR] === 'true') return undefined;
  const ns = nsOf(ep);
  const name = ep.metadata?.name ?? '';
  const svc = services.find((s) => s.metadata.name === name && nsOf(s) === ns);
  if (!svc) return `Endpoints ${ns}/${name} has no Service ${ns}/${name}: nothing uses its addresses (an Endpoints object serves the Service of the same name)`;
  if (Object.keys(svc.spec.selector ?? {}).length > 0) return `Endpoints ${ns}/${name} is ignored: Service ${ns}/${name} has a selector, so the endpoints controller owns its endpoints (remove the selector to list addresses by hand)`;
  return undefined;
}

/** The slices mirrored from the given Endpoints objects, in their order. */
export function mirrorEndpoints(seed: number, endpoints: readonly Endpoints[], services: readonly Service[]): EndpointSlice[] {
  return endpoints.filter((ep) => mirrors(ep, services)).flatMap((ep) => mirrorOne(seed, ep));
}
