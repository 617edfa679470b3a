/**
 * The cloud load balancer of a `type: LoadBalancer` Service, as a box of its own: a
 * pass-through network load balancer like GCP's. The cloud controller gives it the Service's
 * ingress IP; the underlay router routes that IP to it (a /32, and proxy ARP on the internet
 * side so on-link clients hand it the packets); it forwards each new connection by IPVS direct
 * routing ("Route") to a node — all ready nodes under externalTrafficPolicy Cluster, only the
 * nodes that pass the health check (a ready local endpoint: healthCheckNodePort's
 * `localEndpoints > 0`) under Local. Packets reach the node still addressed to the LB IP, where
 * kube-proxy's "loadbalancer IP" rules (or its IPVS virtual server) take them; replies go from
 * the node straight back through the router, the LB IP restored by the node's conntrack.
 *
 * The box is `lb:NS/NAME` with one NIC per underlay segment (DR needs L2 adjacency to every
 * node), addressed from the top of each subnet downwards, and the ingress IP on `lo`.
 * Read first: GCP "external passthrough Network Load Balancer" (packets keep the LB IP as
 * destination; health checks decide the backends), k8s.io/cloud-provider service controller,
 * pkg/proxy/healthcheck (the Local-policy health check).
 */
import type { EndpointSlice, Service } from '../k8s/types';
import type { ClusterModel, Netns } from '../model/types';
import type { ResolvedCluster } from './resolved';
import { createNetns, addAddress, getDevice } from '../model/netns';
import { createNic } from '../model/devices/nic';
import { bringUpLoopback } from '../model/devices/loopback';
import { addConnectedRoute, addRoute, removeRoute } from '../model/routes';
import { addDest, addService, createIpvs } from '../ipvs/table';
import { cidrSize, nthAddress } from '../util/ip';
import { EXCLUDE_FROM_LB } from '../controllers/services';
import { gatewayOf, nicMac, ROUTER_NETNS, segmentId } from './underlay';

const STATE_KEY = 'cloud-lb';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** What the cloud remembers about the load balancers it built. */
interface CloudLbState {
  /** LB netns ids by Service key `NS/NAME`. */
  boxes: Record<string, string>;
}

/** The netns id of a Service's load balancer. */
export function cloudLbNetnsId(namespace: string, name: string): string {
  return `lb:${namespace}/${name}`;
}

function ingressIps(svc: Service): string[] {
  return (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => !!ip);
}

function isLoadBalancer(svc: Service): boolean {
  return svc.spec.type === 'LoadBalancer' && ingressIps(svc).length > 0;
}

function keyOf(svc: Service): string {
  return `${svc.metadata.namespace || 'default'}/${svc.metadata.name ?? ''}`;
}

/** Creates the LB box: a NIC on every underlay segment, the ingress IPs on lo, a default route. */
function buildBox(model: ClusterModel, cluster: ResolvedCluster, svc: Service, ordinal: number): Netns {
  const key = keyOf(svc);
  const ns = createNetns(cloudLbNetnsId(svc.metadata.namespace || 'default', svc.metadata.name ?? ''), 'router', 'underlay', `lb-${key.replace('/', '-')}`);
  bringUpLoopback(ns);
  cluster.underlay.subnets.forEach((subnet, i) => {
    const seg = model.segments.get(segmentId(i));
    if (!seg) return;
    const nic = createNic(ns, seg, `eth${i}`, nicMac(cluster.seed, 'lb', key, String(i)), cluster.underlay.mtu);
    // High host numbers, one per load balancer, counting down from the last usable address.
    const ip = nthAddress(subnet, cidrSize(subnet) - 2 - ordinal);
    addAddress(ns, nic, ip, subnet.prefix);
    addConnectedRoute(ns, nic, ip, subnet.prefix);
  });
  const lo = getDevice(ns, 'lo')!;
  for (const ip of ingressIps(svc)) addAddress(ns, lo, ip, 32);
  addRoute(ns, { dst: 'default', via: gatewayOf(cluster, 0), dev: 'eth0', proto: 'static' });
  ns.ipvs = createIpvs();
  model.netns.set(ns.id, ns);
  return ns;
}

/** The router sends each ingress IP to the box, and answers ARP for it on the internet side. */
function routeToBox(model: ClusterModel, svc: Service, box: Netns): void {
  const router = model.netns.get(ROUTER_NETNS);
  const eth0 = getDevice(box, 'eth0');
  const via = eth0?.addresses[0]?.ip;
  if (!router || !via) return;
  for (const ip of ingressIps(svc)) {
    removeRoute(router, `${ip}/32`);
    addRoute(router, { dst: `${ip}/32`, via, dev: 'eth0', proto: 'static' });
  }
  for (const d of router.devices) if (d.kind === 'nic' && d.segment === 'internet') d.proxyArp = true;
}

/** Nodes with a ready endpoint of `svc` on them: those whose health check answers 200. */
function healthyNodes(svc: Service, slices: EndpointSlice[]): Set<string> {
  const out = new Set<string>();
  for (const s of slices) {
    if (s.metadata.labels?.[SERVICE_NAME_LABEL] !== svc.metadata.name || (s.metadata.namespace || 'default') !== (svc.metadata.namespace || 'default')) continue;
    for (const e of s.endpoints ?? []) if (e.nodeName && e.conditions?.ready !== false) out.add(e.nodeName);
  }
  return out;
}

/** The box's IPVS table: per ingress IP and port a virtual service, the eligible nodes as DR real servers. */
function programBox(model: ClusterModel, svc: Service, box: Netns): void {
  const local = svc.spec.externalTrafficPolicy === 'Local';
  const healthy = healthyNodes(svc, model.endpointSlices);
  const nodes = model.nodes.filter((n) => n.ready && n.labels[EXCLUDE_FROM_LB] === undefined && (!local || healthy.has(n.name)));
  const state = (box.ipvs ??= createIpvs());
  state.services = [];
  for (const ip of ingressIps(svc)) {
    for (const p of svc.spec.ports ?? []) {
      const protocol = (p.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp' | 'sctp';
      const vs = addService(state, { protocol, address: ip, port: p.port, scheduler: 'rr' });
      for (const n of nodes) addDest(vs, { address: n.ip, port: p.port, forward: 'Route', weight: 1 });
    }
  }
}

/**
 * Builds a load balancer box for every LoadBalancer Service with an ingress IP (only in a
 * scenario with a Cluster object: there the cloud exists). Call after kube-proxy ran.
 */
export function buildCloudLoadBalancers(model: ClusterModel, cluster: ResolvedCluster): void {
  const state: CloudLbState = { boxes: {} };
  const lbs = model.services.filter(isLoadBalancer).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  lbs.forEach((svc, i) => {
    const box = buildBox(model, cluster, svc, i);
    routeToBox(model, svc, box);
    programBox(model, svc, box);
    state.boxes[keyOf(svc)] = box.id;
  });
  model.pluginState.set(STATE_KEY, state);
}

/** Endpoints or nodes changed: the health checks see it and the backends follow. */
export function resyncCloudLoadBalancers(model: ClusterModel): void {
  const state = model.pluginState.get(STATE_KEY) as CloudLbState | undefined;
  if (!state) return;
  for (const svc of model.services.filter(isLoadBalancer)) {
    const box = model.netns.get(state.boxes[keyOf(svc)] ?? '');
    if (box) programBox(model, svc, box);
  }
}
