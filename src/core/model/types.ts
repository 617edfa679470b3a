/**
 * The cluster model: Linux objects one to one (DESIGN §3). Every view — the canvas,
 * `ip route`, `iptables-save`, the datapath — reads this same data. CNI plugins and
 * kube-proxy modes only create and change these objects, as the real ones configure the kernel.
 *
 * Read first: iproute2's object model (link, addr, route, neigh, fdb), one netns each.
 */
import type { Cidr } from '../util/ip';
import type { NetfilterState } from '../netfilter/types';
import type { ConntrackTable } from '../netfilter/conntrack';
import type { EndpointSlice, Service } from '../k8s/types';
import type { IpvsState } from '../ipvs/types';
import type { NftTable } from '../nftables/types';

export type DeviceKind = 'loopback' | 'veth' | 'bridge' | 'vxlan' | 'ipip' | 'dummy' | 'nic';

export interface InterfaceAddress {
  ip: string;
  prefix: number;
  /** Parsed once for the datapath. */
  ipInt: number;
  scope: 'host' | 'link' | 'global';
}

interface DeviceBase {
  ifindex: number;
  name: string;
  kind: DeviceKind;
  mac: string;
  mtu: number;
  up: boolean;
  addresses: InterfaceAddress[];
  /** The bridge this device is a port of (`master cni0`). */
  master?: string;
  /**
   * Its port number on that bridge (`port_no` in `ip -d link`), kept for the port's life: a
   * port that leaves frees its number and the others keep theirs (net/bridge/br_if.c).
   */
  portNo?: number;
  /** `net.ipv4.conf.<dev>.proxy_arp`: answer ARP for any address the host can route. */
  proxyArp?: boolean;
  /** Bridge port hairpin mode: a frame may leave by the port it came in on. */
  hairpin?: boolean;
  /**
   * `ip link set DEV promisc on` (IFF_PROMISC, `PROMISC` in `ip link`). On a bridge it means the
   * bridge also hands every frame it switches up to its own IP stack (br_handle_frame_finish's
   * local_rcv): kubenet's `--hairpin-mode=promiscuous-bridge`.
   */
  promisc?: boolean;
}

export interface LoopbackDevice extends DeviceBase {
  kind: 'loopback';
}

export interface VethDevice extends DeviceBase {
  kind: 'veth';
  /** The other end: its netns id and ifindex there (`eth0@if7`). */
  peer: { netns: string; ifindex: number; name: string };
}

export interface BridgeDevice extends DeviceBase {
  kind: 'bridge';
  /** Ageing time of learned FDB entries in seconds. */
  ageing: number;
}

export interface VxlanDevice extends DeviceBase {
  kind: 'vxlan';
  vni: number;
  /** UDP destination port (8472 flannel, 4789 IANA/Calico). */
  dstport: number;
  /** Local VTEP address. */
  local: string;
  /** Underlay device the encapsulated packets leave by. */
  underlay: string;
  learning: boolean;
}

export interface IpipDevice extends DeviceBase {
  kind: 'ipip';
  /** `ttl inherit`: the outer TTL copies the inner one. */
  ttlInherit: boolean;
}

export interface DummyDevice extends DeviceBase {
  kind: 'dummy';
}

export interface NicDevice extends DeviceBase {
  kind: 'nic';
  /** The underlay segment (switch) this NIC is cabled to. */
  segment: string;
}

export type Device = LoopbackDevice | VethDevice | BridgeDevice | VxlanDevice | IpipDevice | DummyDevice | NicDevice;

export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'local';

export interface Route {
  type: RouteType;
  dst: Cidr;
  via?: string;
  dev?: string;
  onlink?: boolean;
  scope?: 'link' | 'host' | 'global';
  /** `kernel`, `static`, `bird`, `boot`, or a number (Felix uses 80). */
  proto?: string;
  src?: string;
  metric?: number;
  /** Table id; 254 main, 255 local. */
  table: number;
}

export type NeighState = 'PERMANENT' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'INCOMPLETE' | 'FAILED' | 'NOARP';

export interface Neighbour {
  ip: string;
  dev: string;
  mac?: string;
  state: NeighState;
}

/** A bridge or VXLAN forwarding entry (`bridge fdb show`). */
export interface FdbEntry {
  mac: string;
  /** The port (bridge entries) or the vxlan device (vxlan entries). */
  dev: string;
  /** The bridge this entry belongs to; absent for `self` entries on a vxlan device. */
  master?: string;
  /** VXLAN: the remote VTEP's underlay address. */
  dst?: string;
  permanent: boolean;
  /** `self`: an entry in the device's own table (vxlan). */
  self?: boolean;
}

export interface Sysctls {
  ipForward: boolean;
  /** net.bridge.bridge-nf-call-iptables: bridged IPv4 frames traverse iptables. */
  bridgeNfCallIptables: boolean;
  /** net.ipv4.conf.all.route_localnet (kube-proxy sets it for localhost NodePorts). */
  routeLocalnet: boolean;
  /** Other sysctls an agent set, by their `sysctl` name (`net.ipv4.vs.conntrack` → `1`): shown, not acted on. */
  other?: Record<string, string>;
}

/** A listening socket (a container port, sshd, kubelet, a proxy port). */
export interface Socket {
  protocol: 'tcp' | 'udp' | 'sctp';
  port: number;
  /** Bound address; undefined = all (0.0.0.0). */
  address?: string;
  /** Who listens: a container name, "kubelet", "kube-proxy" … */
  owner: string;
}

export type NetnsKind = 'node' | 'pod' | 'router' | 'host';

export interface Netns {
  id: string;
  kind: NetnsKind;
  /** The Kubernetes node it runs on, or "underlay"/"external". */
  node: string;
  /** How `ip netns list` would name it (`cni-…` for pods). */
  name: string;
  devices: Device[];
  routes: Route[];
  neighbours: Neighbour[];
  fdb: FdbEntry[];
  sysctls: Sysctls;
  netfilter: NetfilterState;
  /**
   * Connection tracking, created by the first packet a hook tracks here (`conntrackOf`): most
   * pod netns never see a packet, and an absent table lists exactly as an empty one.
   */
  conntrack?: ConntrackTable;
  /** The IPVS table, when kube-proxy's IPVS mode (or a load balancer) uses one here. */
  ipvs?: IpvsState;
  /** nftables tables (`nft list ruleset`), e.g. kube-proxy's `ip kube-proxy` in nftables mode. */
  nftables?: NftTable[];
  sockets: Socket[];
  /** For routers standing for a cloud fabric: whether forwarding decrements TTL. */
  decrementTtl: boolean;
  /** The pod this netns belongs to (NS/NAME). */
  pod?: string;
}

/** An L2 broadcast domain: the switch that underlay NICs are cabled to. */
export interface Segment {
  id: string;
  cidr: string;
  /** Every NIC on the segment, as netns id + device name. */
  ports: { netns: string; dev: string }[];
}

/** The ADD/DEL/CHECK calls a runtime made, for the "pod sandbox creation" view. */
export interface CniInvocation {
  command: 'ADD' | 'DEL' | 'CHECK' | 'VERSION';
  pod: string;
  containerId: string;
  ifname: string;
  netnsPath: string;
  /** The network config on stdin, as the plugin received it. */
  config: unknown;
  /** The result JSON on stdout (or an error object). */
  result: unknown;
  ok: boolean;
}

export interface ModelNode {
  name: string;
  ip: string;
  /** node.spec.podCIDR (bridge/kubenet/flannel) — Calico uses blocks instead. */
  podCIDR?: string;
  /** Calico IPAM blocks affine to this node. */
  blocks: string[];
  labels: Record<string, string>;
  netns: string;
  ready: boolean;
  /** The subnet index (routed underlay). */
  subnet: number;
}

/** A container's previous run, ended (ContainerStatus.lastState.terminated). */
export interface TerminatedState {
  /** "Error" for a non-zero exit (the runtime's reason; "Completed" is exit 0). */
  reason: string;
  exitCode: number;
  /** Seconds on the scenario's timeline (k8s/timeline.ts). */
  startedAt: number;
  finishedAt: number;
}

export interface ModelContainer {
  name: string;
  image: string;
  /**
   * `hostPort` only when the manifest gives one (for a hostNetwork pod the API server defaults it
   * to containerPort: readers apply that, the pod's hostNetwork being at hand).
   */
  ports: { name?: string; containerPort: number; protocol: 'TCP' | 'UDP' | 'SCTP'; hostPort?: number }[];
  /**
   * Why the container's process exits as soon as it starts, e.g. `bind: address already in use`
   * when an earlier container of the pod holds its port: the kubelet restarts it with a growing
   * back-off (Waiting, reason CrashLoopBackOff), it is never Ready and neither is its pod.
   */
  crashLoop?: string;
  /** ContainerStatus.restartCount, when not 0 (controllers/container-status.ts). */
  restartCount?: number;
  /** ContainerStatus.lastState.terminated: the run before the current one, for a restarted container. */
  lastTerminated?: TerminatedState;
}

export interface ModelPod {
  namespace: string;
  name: string;
  node: string;
  ip: string;
  netns: string;
  labels: Record<string, string>;
  containers: ModelContainer[];
  hostNetwork: boolean;
  ready: boolean;
  /** `metadata.deletionTimestamp` is set: the pod is being deleted but still runs its grace period. */
  terminating?: boolean;
  /** The sandbox (pause container) id the runtime gave CNI. */
  containerId: string;
  /** Controller that created it, e.g. "ReplicaSet/web-6ffd9ddbbf". */
  owner?: string;
}

/**
 * A pod the API server holds but that has no network namespace and no IP, so it stays Pending.
 * Kept apart from `pods`, whose every reader (datapath, DNS, kube-proxy, policy, canvas) needs a
 * netns and an IP. Two ways to get here, told apart by their fields:
 * - the scheduler found no node for it (`UnscheduledPod`): no node, condition PodScheduled
 *   False, a FailedScheduling event;
 * - the scheduler bound it to a node but the runtime could not create its sandbox
 *   (`SandboxlessPod`, e.g. its CNI ADD found no free address).
 */
export type PendingPod = UnscheduledPod | SandboxlessPod;

interface PendingPodBase {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  containers: ModelContainer[];
  /** Controller that created it, e.g. "ReplicaSet/web-6ffd9ddbbf". */
  owner?: string;
}

/**
 * A pod no node can take (every node fails a filter: nodeSelector, a NotReady node's taint, a
 * host port already held). kube-scheduler leaves `spec.nodeName` empty and keeps it in its
 * unschedulable queue, to retry when the cluster changes.
 */
export interface UnscheduledPod extends PendingPodBase {
  node?: undefined;
  /** The FailedScheduling event's message (framework FitError: "0/2 nodes are available: …"). */
  unschedulable: string;
  /** `spec.nodeSelector`, as `kubectl describe pod` prints it (Node-Selectors). */
  nodeSelector?: Record<string, string>;
}

/**
 * A pod bound to its node whose sandbox the runtime could not create (RunPodSandbox failed): the
 * kubelet tore the sandbox down again, so its containers stay Waiting (ContainerCreating), a
 * FailedCreatePodSandBox event on it.
 */
export interface SandboxlessPod extends PendingPodBase {
  node: string;
  /** The message of the kubelet's FailedCreatePodSandBox event ("Failed to create pod sandbox: rpc error: …"). */
  sandboxError: string;
  /** The CNI plugin's own error inside it (e.g. host-local's "failed to allocate for range 0: …"). */
  cniError: string;
}

export interface ClusterModel {
  name: string;
  seed: number;
  clusterDomain: string;
  podCIDR: string;
  serviceCIDR: string;
  cni: { plugin: string; backend?: string; mtu: number };
  proxyMode: string;
  nodes: ModelNode[];
  pods: ModelPod[];
  /** Pods left Pending (no node, or no sandbox), in creation order; absent when there are none. */
  pendingPods?: PendingPod[];
  netns: Map<string, Netns>;
  segments: Map<string, Segment>;
  cniLog: CniInvocation[];
  /** Per-host plugin state (host-local leases, Calico blocks, flannel subnet.env), keyed by plugin and node. */
  pluginState: Map<string, unknown>;
  /** Services as the API server stores them: defaults applied, ClusterIPs and NodePorts allocated. */
  services: Service[];
  /** EndpointSlices: the controller's (from selectors and pod readiness) and those the scenario gives. */
  endpointSlices: EndpointSlice[];
}
