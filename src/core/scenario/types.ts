/**
 * The scenario format (DESIGN §2): the two playground kinds, `Cluster` and `Traffic`, and the
 * parsed scenario that bundles them with the Kubernetes objects and their source positions.
 * The JSON Schema the editor uses is generated from the `*Document` interfaces in this file
 * (`npm run schema`), so their doc comments are the hover help a user sees.
 */
import type {
  DaemonSet,
  Deployment,
  EndpointSlice,
  KubeProxyConfiguration,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  Service,
} from '../k8s/types';

/** A position in the scenario text, 1-based as editors and `file:line:col` print it. */
export interface SourcePos {
  line: number;
  col: number;
  /** 0-based offset into the text; `end` is exclusive. */
  offset: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  message: string;
  pos: SourcePos;
  /** A stable code so tests and the UI need not match on prose, e.g. `yaml-syntax`. */
  code: string;
}

export type CniPluginName = 'bridge' | 'kubenet' | 'flannel' | 'calico';
export type ProxyMode = 'iptables' | 'ipvs' | 'nftables' | 'userspace';

/** A node of the cluster when listed by name. */
export interface ClusterNodeSpec {
  /** The node's name, e.g. `node-1`. */
  name: string;
  /** The node's address on the underlay; allocated from the underlay CIDR when omitted. */
  ip?: string;
  /** Labels for nodeSelector matching. */
  labels?: Record<string, string>;
  /** For `underlay.type: routed`: the index of the subnet this node sits on. */
  subnet?: number;
}

export interface UnderlaySpec {
  /** `l2`: one switched segment; `routed`: several subnets joined by a router; `cloud`: a VPC route table holds pod routes. */
  type?: 'l2' | 'routed' | 'cloud';
  /** The segment's CIDR for `l2` and `cloud`. Default 192.168.0.0/24. */
  cidr?: string;
  /** The subnets for `routed`, one segment each. */
  subnets?: string[];
  /** Underlay MTU. Default 1500. */
  mtu?: number;
}

export interface CniSpec {
  /** The network plugin: bridge (plain CNI bridge), kubenet (cbr0), flannel, or calico. */
  plugin?: CniPluginName;
  /** flannel: vxlan | host-gw; calico: bgp | ipip | vxlan. */
  backend?: 'vxlan' | 'host-gw' | 'bgp' | 'ipip' | 'vxlan';
  /** Calico: encapsulate only between nodes on different subnets. */
  crossSubnet?: boolean;
  /**
   * bridge and flannel (whose delegate is the bridge plugin): the bridge plugin's `hairpinMode`,
   * the hairpin flag on each pod's bridge port, so that a pod reaches itself through its own
   * Service. Default true, as their installers write it.
   */
  hairpinMode?: boolean;
  /** Pod MTU; derived from the underlay MTU and the backend's overhead when omitted. */
  mtu?: number;
  /** A NetworkPolicy engine for plugins that have none (Canal: flannel + calico policy). */
  policy?: 'calico' | 'none';
}

export interface KubeProxySpec {
  mode?: ProxyMode;
  /** IPVS scheduler: rr, wrr, lc, wlc, sh, dh, sed, nq, mh. */
  ipvsScheduler?: string;
}

export interface ClusterSpec {
  /** PRNG seed for load balancing, generated names and ephemeral ports. */
  seed?: number;
  /** A node count (node-1, node-2 …) or a list of nodes. */
  nodes?: number | ClusterNodeSpec[];
  underlay?: UnderlaySpec;
  /** The cluster's pod network. Default 10.244.0.0/16. */
  podCIDR?: string;
  /** The size of each node's podCIDR. Default 24. */
  nodeCIDRMaskSize?: number;
  /** The service network. Default 10.96.0.0/12. */
  serviceCIDR?: string;
  clusterDomain?: string;
  cni?: CniSpec;
  kubeProxy?: KubeProxySpec;
  /** Run CoreDNS behind the kube-dns Service. */
  dns?: boolean;
}

/** `kind: Cluster` — the parts of a cluster that Kubernetes objects do not describe. */
export interface ClusterDocument {
  apiVersion: 'hopscope/v1alpha1';
  kind: 'Cluster';
  metadata?: { name?: string };
  spec?: ClusterSpec;
}

export interface TrafficRequest {
  /** pod/NAME | pod/NS/NAME | pod/NS/NAME/CONTAINER | node/NAME | external/NAME */
  from: string;
  /** A DNS name, an IP, IP:port, name:port, pod/NS/NAME:PORT, or a URL (http, https, tcp, udp, icmp). */
  to: string;
  /** TCP, UDP or ICMP; taken from the URL scheme when omitted. */
  protocol?: 'TCP' | 'UDP' | 'ICMP' | 'SCTP';
  /** How many requests to send. */
  count?: number;
}

export interface TrafficFault {
  /** Apply after this many requests have been sent. */
  after?: number;
  action: 'delete' | 'not-ready' | 'ready' | 'node-down' | 'node-up';
  /** pod/NS/NAME or node/NAME */
  target: string;
}

/** `kind: Traffic` — the requests to send through the cluster. */
export interface TrafficDocument {
  apiVersion: 'hopscope/v1alpha1';
  kind: 'Traffic';
  metadata?: { name?: string };
  spec: { requests?: TrafficRequest[]; faults?: TrafficFault[] };
}

/** Where an object came from in the text, so later stages can point diagnostics at it. */
export interface Located<T> {
  value: T;
  pos: SourcePos;
  /** Positions of fields by dotted path (`spec.nodeName`), for diagnostics about one field. */
  fieldPos: (path: string) => SourcePos;
}

/** A parsed scenario: typed objects with positions. Objects are as the user wrote them; defaults are applied by `compile`. */
export interface Scenario {
  cluster: Located<ClusterDocument> | null;
  traffic: Located<TrafficDocument>[];
  pods: Located<Pod>[];
  deployments: Located<Deployment>[];
  replicaSets: Located<ReplicaSet>[];
  daemonSets: Located<DaemonSet>[];
  services: Located<Service>[];
  endpointSlices: Located<EndpointSlice>[];
  namespaces: Located<Namespace>[];
  nodes: Located<Node>[];
  kubeProxyConfig: Located<KubeProxyConfiguration> | null;
  /** Every other accepted object (Ingress, NetworkPolicy, ConfigMap …), kept for later layers. */
  others: Located<{ apiVersion?: string; kind: string; metadata?: { name?: string; namespace?: string } } & Record<string, unknown>>[];
}

export interface ParseResult {
  scenario: Scenario;
  diagnostics: Diagnostic[];
}
