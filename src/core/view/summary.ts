/**
 * A plain-data picture of the model for the canvas (DESIGN §1: the UI only draws): every
 * namespace with its devices, and every link between devices — veth pairs, bridge ports,
 * segment attachments, tunnels between VTEPs — plus every Service with its endpoints. Device ids
 * are `${netns}#${device}`, the same ids trace hops carry in `deviceId`, so a hop can be placed
 * on the canvas directly.
 *
 * Services are virtual: a ClusterIP sits on no device and no route (kube-proxy's rules, or IPVS's
 * dummy kube-ipvs0, catch it), so `services` is a list beside the namespaces, each endpoint
 * pointing at the namespace that owns its address when the model has one.
 *
 * NetworkPolicies are listed with the pods each selects (`policies`, only when there are any), so
 * the canvas can put a shield on those pods without evaluating selectors itself.
 *
 * Pending pods (model.pendingPods: left ContainerCreating by a failed sandbox, or taken by no
 * node) have no netns, so they are not in `netns`: they are listed apart (`pendingPods`, only
 * when there are any) with their node, if any, and the reason, so the canvas can still draw them
 * where a student expects them: on their node, or apart from the nodes when unscheduled.
 *
 * Pure and total; additions to these types are optional or appended so older readers keep working.
 */
import type { ClusterModel, Device, PendingPod } from '../model/types';
import type { EndpointSlice, Service } from '../k8s/types';
import type { Policy } from '../netpol/types';
import { getPolicyEnforcement } from '../cni/policy/index';
import { selectsPod } from '../netpol/resolve';

export interface DeviceSummary {
  id: string;
  netns: string;
  name: string;
  kind: Device['kind'];
  ifindex: number;
  mac: string;
  mtu: number;
  up: boolean;
  addresses: string[];
  master?: string;
  /** vxlan: VNI and port; ipip: "ipip". */
  tunnel?: string;
}

export interface NetnsSummary {
  id: string;
  kind: 'node' | 'pod' | 'router' | 'host';
  /** Kubernetes node it belongs to (or "underlay"/"external"). */
  node: string;
  name: string;
  /** For pods: NS/NAME, IP, containers and their ports. */
  pod?: { namespace: string; name: string; ip: string; ready: boolean; containers: { name: string; image: string; ports: string[] }[]; owner?: string; labels: Record<string, string> };
  /** For nodes: IP and pod CIDR / Calico blocks. */
  nodeInfo?: { ip: string; podCIDR?: string; blocks: string[] };
  devices: DeviceSummary[];
}

export type LinkKind = 'veth' | 'bridge-port' | 'segment' | 'tunnel';

export interface LinkSummary {
  id: string;
  kind: LinkKind;
  a: string;
  b: string;
  /** e.g. "VXLAN VNI 1 udp/8472", "IPIP". */
  label?: string;
}

export interface SegmentSummary {
  id: string;
  cidr: string;
  ports: string[];
}

/** One port of a Service as the API server stored it (`targetPort` as written: a number or a name). */
export interface ServicePortSummary {
  name?: string;
  protocol: string;
  port: number;
  targetPort: string;
  nodePort?: number;
}

/** One endpoint address of a Service, from its EndpointSlices. */
export interface ServiceEndpointSummary {
  ip: string;
  /** The resolved target ports (per EndpointSlice port), e.g. ["8080/TCP"]. */
  ports: string[];
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** `NS/NAME` of the pod (targetRef), when the slice names one. */
  target?: string;
  nodeName?: string;
  /** The namespace in the model that owns the address (a pod's netns, or a node's for host-network), if any. */
  netns?: string;
}

/** A Service: a virtual IP with no device and no route, and the endpoints it balances over. */
export interface ServiceSummary {
  /** `svc:NS/NAME`. */
  id: string;
  namespace: string;
  name: string;
  type: string;
  /** The ClusterIP, `None` for a headless Service, or empty for ExternalName. */
  clusterIP: string;
  ports: ServicePortSummary[];
  /** NodePort, external and LoadBalancer ingress addresses that also lead to this Service. */
  externalIPs: string[];
  selector?: Record<string, string>;
  sessionAffinity?: string;
  endpoints: ServiceEndpointSummary[];
}

/** A NetworkPolicy and the pods it selects (and so isolates for its directions). */
export interface PolicySummary {
  namespace: string;
  name: string;
  /** The directions it isolates (`policyTypes` with defaults applied). */
  types: ('Ingress' | 'Egress')[];
  /** `NS/NAME` of every pod it selects, sorted. */
  selects: string[];
}

/**
 * A Pending pod: no netns, no IP, no device (model/types.ts PendingPod). Either bound to a node
 * whose sandbox failed (`node`, `cniError` and `sandboxError` set; STATUS ContainerCreating) or
 * taken by no node (`unschedulable` set, no `node`; STATUS Pending).
 */
export interface PendingPodSummary {
  /** `pending:NS/NAME` (no netns id: it has none). */
  id: string;
  namespace: string;
  name: string;
  /** The node it is bound to; absent when the scheduler found none. */
  node?: string;
  /** What `kubectl get pods` prints in STATUS. */
  status: 'ContainerCreating' | 'Pending';
  containers: { name: string; image: string; ports: string[] }[];
  owner?: string;
  labels: Record<string, string>;
  /** The CNI plugin's own error, e.g. "failed to allocate for range 0: no IP addresses available in range set: …". */
  cniError?: string;
  /** The FailedCreatePodSandBox event's whole message. */
  sandboxError?: string;
  /** The FailedScheduling event's message when no node took it ("0/2 nodes are available: …"). */
  unschedulable?: string;
}

export interface ModelSummary {
  name: string;
  cni: { plugin: string; backend?: string; mtu: number };
  proxyMode: string;
  podCIDR: string;
  serviceCIDR: string;
  netns: NetnsSummary[];
  segments: SegmentSummary[];
  links: LinkSummary[];
  /** Every Service, in API order (namespace, then name). Absent in summaries made before Services. */
  services?: ServiceSummary[];
  /** Every valid NetworkPolicy, sorted by namespace/name (issue 8). Absent in older summaries. */
  policies?: PolicySummary[];
  /** `felix` when a policy engine enforces them, `none` when the CNI ignores them (flannel without Canal). */
  policyEngine?: 'felix' | 'none';
  /** Pending pods (ContainerCreating on a node, or taken by no node), in creation order; absent when there are none. */
  pendingPods?: PendingPodSummary[];
}

function deviceSummary(netns: string, d: Device): DeviceSummary {
  const s: DeviceSummary = { id: `${netns}#${d.name}`, netns, name: d.name, kind: d.kind, ifindex: d.ifindex, mac: d.mac, mtu: d.mtu, up: d.up, addresses: d.addresses.map((a) => `${a.ip}/${a.prefix}`) };
  if (d.master) s.master = d.master;
  if (d.kind === 'vxlan') s.tunnel = `VXLAN VNI ${d.vni} udp/${d.dstport}`;
  if (d.kind === 'ipip') s.tunnel = 'IPIP';
  return s;
}

/** Summarises the model for drawing; deterministic order (nodes, then their pods, then the rest). */
export function summarizeModel(model: ClusterModel): ModelSummary {
  const netns: NetnsSummary[] = [];
  const links: LinkSummary[] = [];
  for (const ns of model.netns.values()) {
    const s: NetnsSummary = { id: ns.id, kind: ns.kind, node: ns.node, name: ns.name, devices: ns.devices.map((d) => deviceSummary(ns.id, d)) };
    const pod = ns.pod ? model.pods.find((p) => `${p.namespace}/${p.name}` === ns.pod) : undefined;
    if (pod) s.pod = { namespace: pod.namespace, name: pod.name, ip: pod.ip, ready: pod.ready, labels: pod.labels, containers: pod.containers.map((c) => ({ name: c.name, image: c.image, ports: c.ports.map((p) => `${p.containerPort}/${p.protocol}`) })), ...(pod.owner ? { owner: pod.owner } : {}) };
    const node = ns.kind === 'node' ? model.nodes.find((n) => n.netns === ns.id) : undefined;
    if (node) s.nodeInfo = { ip: node.ip, blocks: node.blocks, ...(node.podCIDR ? { podCIDR: node.podCIDR } : {}) };
    netns.push(s);
    for (const d of ns.devices) {
      if (d.kind === 'veth' && ns.id < d.peer.netns) links.push({ id: `veth:${ns.id}#${d.name}`, kind: 'veth', a: `${ns.id}#${d.name}`, b: `${d.peer.netns}#${d.peer.name}` });
      if (d.master) links.push({ id: `port:${ns.id}#${d.name}`, kind: 'bridge-port', a: `${ns.id}#${d.master}`, b: `${ns.id}#${d.name}` });
    }
  }
  const segments = [...model.segments.values()].map((seg) => ({ id: seg.id, cidr: seg.cidr, ports: seg.ports.map((p) => `${p.netns}#${p.dev}`) }));
  for (const seg of segments) for (const p of seg.ports) links.push({ id: `seg:${p}`, kind: 'segment', a: `segment:${seg.id}`, b: p });
  // Tunnels: each VXLAN FDB entry or IPIP route is a logical link between two nodes' tunnel devices.
  for (const ns of model.netns.values()) {
    for (const e of ns.fdb) {
      if (!e.self || !e.dst) continue;
      const peer = model.nodes.find((n) => n.ip === e.dst);
      if (peer && ns.id < peer.netns) links.push({ id: `tunnel:${ns.id}#${e.dev}>${peer.netns}`, kind: 'tunnel', a: `${ns.id}#${e.dev}`, b: `${peer.netns}#${e.dev}`, label: deviceSummary(ns.id, ns.devices.find((d) => d.name === e.dev)!).tunnel ?? 'VXLAN' });
    }
    for (const r of ns.routes) {
      if (r.dev !== 'tunl0' || !r.via) continue;
      const peer = model.nodes.find((n) => n.ip === r.via);
      if (peer && ns.id < peer.netns && !links.some((l) => l.id === `tunnel:${ns.id}#tunl0>${peer.netns}`)) links.push({ id: `tunnel:${ns.id}#tunl0>${peer.netns}`, kind: 'tunnel', a: `${ns.id}#tunl0`, b: `${peer.netns}#tunl0`, label: 'IPIP (proto 4)' });
    }
  }
  const services = summarizeServices(model);
  const summary: ModelSummary = { name: model.name, cni: model.cni, proxyMode: model.proxyMode, podCIDR: model.podCIDR, serviceCIDR: model.serviceCIDR, netns, segments, links, services };
  const enforcement = getPolicyEnforcement(model);
  if (enforcement?.state.policies.length) {
    summary.policies = summarizePolicies(model, enforcement.state.policies);
    summary.policyEngine = enforcement.engine;
  }
  if (model.pendingPods?.length) summary.pendingPods = model.pendingPods.map(pendingPodSummary);
  return summary;
}

function pendingPodSummary(p: PendingPod): PendingPodSummary {
  const s: PendingPodSummary = {
    id: `pending:${p.namespace}/${p.name}`,
    namespace: p.namespace,
    name: p.name,
    status: 'unschedulable' in p ? 'Pending' : 'ContainerCreating',
    containers: p.containers.map((c) => ({ name: c.name, image: c.image, ports: c.ports.map((x) => `${x.containerPort}/${x.protocol}`) })),
    ...(p.owner ? { owner: p.owner } : {}),
    labels: p.labels,
  };
  if ('unschedulable' in p) s.unschedulable = p.unschedulable;
  else {
    s.node = p.node;
    s.cniError = p.cniError;
    s.sandboxError = p.sandboxError;
  }
  return s;
}

/** Each policy with the pods it selects (the shields on the canvas). */
function summarizePolicies(model: ClusterModel, policies: readonly Policy[]): PolicySummary[] {
  return [...policies]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => ({
      namespace: p.namespace,
      name: p.name,
      types: [...(p.ingress ? (['Ingress'] as const) : []), ...(p.egress ? (['Egress'] as const) : [])],
      selects: model.pods
        .filter((pod) => selectsPod(p, pod))
        .map((pod) => `${pod.namespace}/${pod.name}`)
        .sort(),
    }));
}

function nsKey(o: { metadata: { namespace?: string } }): string {
  return o.metadata.namespace ?? 'default';
}

/** The netns owning an address: a pod's (by IP), else a node's (host-network endpoints, the apiserver). */
function ownerOf(model: ClusterModel, ip: string, target: string | undefined): string | undefined {
  const pod = (target ? model.pods.find((p) => `${p.namespace}/${p.name}` === target && p.ip === ip) : undefined) ?? model.pods.find((p) => p.ip === ip && !p.hostNetwork);
  if (pod) return pod.hostNetwork ? model.nodes.find((n) => n.name === pod.node)?.netns : pod.netns;
  return model.nodes.find((n) => n.ip === ip)?.netns;
}

function endpointsOf(model: ClusterModel, svc: Service, slices: EndpointSlice[]): ServiceEndpointSummary[] {
  const out: ServiceEndpointSummary[] = [];
  const name = svc.metadata.name ?? '';
  for (const slice of slices) {
    if (slice.metadata.labels?.['kubernetes.io/service-name'] !== name || nsKey(slice) !== nsKey(svc) || slice.addressType === 'FQDN') continue;
    const ports = (slice.ports ?? []).filter((p) => p.port !== undefined).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`);
    for (const e of slice.endpoints ?? []) {
      const ready = e.conditions?.ready !== false;
      const target = e.targetRef?.name ? `${e.targetRef.namespace ?? nsKey(svc)}/${e.targetRef.name}` : undefined;
      for (const ip of e.addresses) {
        if (out.some((o) => o.ip === ip)) continue;
        const netns = ownerOf(model, ip, target);
        out.push({ ip, ports, ready, serving: e.conditions?.serving ?? ready, terminating: e.conditions?.terminating ?? false, ...(target ? { target } : {}), ...(e.nodeName ? { nodeName: e.nodeName } : {}), ...(netns ? { netns } : {}) });
      }
    }
  }
  return out;
}

/** Every Service with its ports, extra addresses and endpoints; sorted by namespace and name. */
function summarizeServices(model: ClusterModel): ServiceSummary[] {
  const svcs = [...(model.services ?? [])].sort((a, b) => nsKey(a).localeCompare(nsKey(b)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return svcs.map((svc) => {
    const spec = svc.spec;
    const ports: ServicePortSummary[] = (spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), protocol: p.protocol ?? 'TCP', port: p.port, targetPort: String(p.targetPort ?? p.port), ...(p.nodePort ? { nodePort: p.nodePort } : {}) }));
    const lb = (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
    const s: ServiceSummary = {
      id: `svc:${nsKey(svc)}/${svc.metadata.name ?? ''}`,
      namespace: nsKey(svc),
      name: svc.metadata.name ?? '',
      type: spec.type ?? 'ClusterIP',
      clusterIP: spec.type === 'ExternalName' ? '' : (spec.clusterIP ?? ''),
      ports,
      externalIPs: [...(spec.externalIPs ?? []), ...lb],
      endpoints: endpointsOf(model, svc, model.endpointSlices ?? []),
    };
    if (spec.selector) s.selector = spec.selector;
    if (spec.sessionAffinity) s.sessionAffinity = spec.sessionAffinity;
    return s;
  });
}
