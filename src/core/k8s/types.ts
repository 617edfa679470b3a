/**
 * Kubernetes objects as the scenario carries them: the subset of the real API types that
 * networking depends on. Field names and shapes are the API's own, so a manifest taken from
 * `kubectl get -o yaml` reads unchanged. Every field is optional because user input is
 * validated by the scenario layer, not trusted by the type.
 */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[];
  deletionTimestamp?: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  hostPort?: number;
  hostIP?: string;
}

export interface Container {
  name: string;
  image?: string;
  ports?: ContainerPort[];
  command?: string[];
  args?: string[];
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  hostNetwork?: boolean;
  containers: Container[];
  initContainers?: Container[];
  dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
  hostname?: string;
  subdomain?: string;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
}

export interface PodStatus {
  phase?: string;
  podIP?: string;
  podIPs?: { ip: string }[];
  hostIP?: string;
  conditions?: PodCondition[];
}

export interface Pod {
  apiVersion?: string;
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: PodStatus;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec: PodSpec;
}

export interface Deployment {
  apiVersion?: string;
  kind: 'Deployment';
  metadata: ObjectMeta;
  spec: { replicas?: number; selector?: LabelSelector; template: PodTemplateSpec };
}

export interface ReplicaSet {
  apiVersion?: string;
  kind: 'ReplicaSet';
  metadata: ObjectMeta;
  spec: { replicas?: number; selector?: LabelSelector; template: PodTemplateSpec };
}

export interface DaemonSet {
  apiVersion?: string;
  kind: 'DaemonSet';
  metadata: ObjectMeta;
  spec: { selector?: LabelSelector; template: PodTemplateSpec };
}

export interface ServicePort {
  name?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface ServiceSpec {
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  selector?: Record<string, string>;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  externalIPs?: string[];
  externalName?: string;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  internalTrafficPolicy?: 'Cluster' | 'Local';
  healthCheckNodePort?: number;
  loadBalancerIP?: string;
  loadBalancerSourceRanges?: string[];
  sessionAffinity?: 'None' | 'ClientIP';
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  ipFamilies?: string[];
  ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
  publishNotReadyAddresses?: boolean;
  /** LoadBalancer only; kube-proxy ignores it (it never allocates NodePorts). */
  allocateLoadBalancerNodePorts?: boolean;
}

export interface Service {
  apiVersion?: string;
  kind: 'Service';
  metadata: ObjectMeta;
  spec: ServiceSpec;
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: string }[] } };
}

export interface EndpointConditions {
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
}

export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export interface EndpointSlice {
  apiVersion?: string;
  kind: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints?: Endpoint[];
  ports?: EndpointPort[];
}

/** core/v1 EndpointAddress: one address of an Endpoints subset. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
}

/** core/v1 EndpointPort (the apiserver defaults protocol to TCP; name is "" when absent). */
export interface CoreEndpointPort {
  name?: string;
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: CoreEndpointPort[];
}

/** core/v1 Endpoints, written by hand for a Service without a selector. */
export interface Endpoints {
  apiVersion?: string;
  kind: 'Endpoints';
  metadata: ObjectMeta;
  subsets?: EndpointSubset[];
}

export interface Namespace {
  apiVersion?: string;
  kind: 'Namespace';
  metadata: ObjectMeta;
}

export interface NodeAddress {
  type: 'InternalIP' | 'ExternalIP' | 'Hostname' | 'InternalDNS' | 'ExternalDNS';
  address: string;
}

export interface Node {
  apiVersion?: string;
  kind: 'Node';
  metadata: ObjectMeta;
  spec?: { podCIDR?: string; podCIDRs?: string[]; unschedulable?: boolean };
  status?: { addresses?: NodeAddress[] };
}

/** kube-proxy's own configuration object (kubeproxy.config.k8s.io/v1alpha1). */
export interface KubeProxyConfiguration {
  apiVersion?: string;
  kind: 'KubeProxyConfiguration';
  mode?: 'iptables' | 'ipvs' | 'nftables' | 'userspace' | '';
  hostnameOverride?: string;
  bindAddress?: string;
  clusterCIDR?: string;
  detectLocalMode?: string;
  nodePortAddresses?: string[];
  /** Used by `detectLocalMode: BridgeInterface` / `InterfaceNamePrefix`. */
  detectLocal?: { bridgeInterface?: string; interfaceNamePrefix?: string };
  iptables?: {
    masqueradeBit?: number;
    masqueradeAll?: boolean;
    localhostNodePorts?: boolean;
    syncPeriod?: string;
    minSyncPeriod?: string;
  };
  ipvs?: { scheduler?: string; strictARP?: boolean; excludeCIDRs?: string[] };
  conntrack?: { tcpBeLiberal?: boolean };
}
