/**
 * The registry of kinds a scenario accepts (DESIGN §2): for each, the apiVersions it is served
 * under, where it goes in the `Scenario`, whether it is namespaced, and the shape checked.
 * Adding a kind is adding one entry here.
 */
import { CLUSTER } from './cluster-shape';
import { ENDPOINT_SLICE, ENDPOINTS, KUBE_PROXY_CONFIGURATION, metadataOnlyShape, NODE } from './other-shapes';
import { POD } from './pod-shape';
import { SERVICE } from './service-shape';
import type { ObjectShape } from './shape';
import { TRAFFIC } from './traffic-shape';
import type { Scenario } from './types';
import { DAEMON_SET, DEPLOYMENT, REPLICA_SET } from './workload-shape';

/** The `Scenario` field an accepted object is added to. */
export type Bucket = keyof Scenario;

/** How the parser treats one kind. */
export interface KindSpec {
  /** Accepted apiVersions; the first is the current one, named in messages. */
  apiVersions: readonly string[];
  bucket: Bucket;
  /** Namespaced kinds get `metadata.namespace: default` when none is given. */
  namespaced: boolean;
  /** Kubernetes kinds need `metadata.name` (or `generateName`); playground kinds do not. */
  nameRequired: boolean;
  shape: ObjectShape;
  /** An `info` note attached to every object of this kind (e.g. why it is ignored). */
  note?: string;
}

/** The apiVersion of the playground kinds. */
export const HOPSCOPE_API_VERSION = 'hopscope/v1alpha1';

const IGNORED = 'has no effect on networking and is ignored';

function k8s(apiVersions: readonly string[], bucket: Bucket, namespaced: boolean, shape: ObjectShape, note?: string): KindSpec {
  return { apiVersions, bucket, namespaced, nameRequired: true, shape, ...(note ? { note } : {}) };
}

/** Every accepted kind except `List`, which is unpacked into its items before this lookup. */
export const KINDS: ReadonlyMap<string, KindSpec> = new Map<string, KindSpec>([
  ['Cluster', { apiVersions: [HOPSCOPE_API_VERSION], bucket: 'cluster', namespaced: false, nameRequired: false, shape: CLUSTER }],
  ['Traffic', { apiVersions: [HOPSCOPE_API_VERSION], bucket: 'traffic', namespaced: false, nameRequired: false, shape: TRAFFIC }],
  ['KubeProxyConfiguration', { apiVersions: ['kubeproxy.config.k8s.io/v1alpha1'], bucket: 'kubeProxyConfig', namespaced: false, nameRequired: false, shape: KUBE_PROXY_CONFIGURATION }],
  ['Pod', k8s(['v1'], 'pods', true, POD)],
  ['Deployment', k8s(['apps/v1', 'extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'], 'deployments', true, DEPLOYMENT)],
  ['ReplicaSet', k8s(['apps/v1', 'extensions/v1beta1', 'apps/v1beta2'], 'replicaSets', true, REPLICA_SET)],
  ['DaemonSet', k8s(['apps/v1', 'extensions/v1beta1', 'apps/v1beta2'], 'daemonSets', true, DAEMON_SET)],
  ['Service', k8s(['v1'], 'services', true, SERVICE)],
  ['EndpointSlice', k8s(['discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1'], 'endpointSlices', true, ENDPOINT_SLICE)],
  ['Endpoints', k8s(['v1'], 'others', true, ENDPOINTS)],
  ['Namespace', k8s(['v1'], 'namespaces', false, metadataOnlyShape(true))],
  ['Node', k8s(['v1'], 'nodes', false, NODE)],
  ['Ingress', k8s(['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'], 'others', true, metadataOnlyShape())],
  ['IngressClass', k8s(['networking.k8s.io/v1', 'networking.k8s.io/v1beta1'], 'others', false, metadataOnlyShape())],
  ['NetworkPolicy', k8s(['networking.k8s.io/v1'], 'others', true, metadataOnlyShape())],
  ['ConfigMap', k8s(['v1'], 'others', true, metadataOnlyShape(), `ConfigMap ${IGNORED}`)],
  ['Secret', k8s(['v1'], 'others', true, metadataOnlyShape(), `Secret ${IGNORED}`)],
  ['ServiceAccount', k8s(['v1'], 'others', true, metadataOnlyShape(), `ServiceAccount ${IGNORED}`)],
]);

/**
 * Real Kubernetes kinds the scenario does not model, with what leaving them out means for the
 * network: a student pasting the StatefulSet tutorial must learn that no pod comes of it (and
 * that its Service has no endpoints), not that "StatefulSet" is a typo.
 */
const NO_PODS = 'no pods are created from it, so a Service selecting them has no endpoints (a Deployment with the same pod template gives pods to trace)';
const NO_NETWORKING = 'it has no effect on networking';
export const UNMODELLED_KINDS: ReadonlyMap<string, string> = new Map([
  ['StatefulSet', NO_PODS],
  ['Job', NO_PODS],
  ['CronJob', NO_PODS],
  ['ReplicationController', NO_PODS],
  ...['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'LimitRange', 'ResourceQuota', 'PriorityClass', 'CustomResourceDefinition'].map((k): [string, string] => [k, NO_NETWORKING]),
]);
