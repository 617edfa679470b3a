/**
 * Shapes for Pod and the pod template (k8s.io/api core/v1 PodSpec and Container). The fields we
 * model are checked; every other real PodSpec or Container field is listed in `known` so a
 * manifest from a real cluster reads without warnings, while a typo still gets one.
 */
import { IPV4, LABELS, metadataShape, PORT, STRING_LIST } from './common-shapes';
import type { FieldAt, ObjectShape } from './shape';

const PROTOCOL = { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] } as const;

const CONTAINER_PORT: ObjectShape = {
  type: 'object',
  fields: {
    name: { type: 'string' },
    containerPort: PORT,
    protocol: PROTOCOL,
    hostPort: PORT,
    hostIP: IPV4,
  },
  required: ['containerPort'],
};

const CONTAINER_KNOWN = [
  'workingDir', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'restartPolicyRules',
  'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle',
  'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin',
  'stdinOnce', 'tty',
] as const;

const CONTAINER: ObjectShape = {
  type: 'object',
  fields: {
    name: { type: 'string' },
    image: { type: 'string' },
    ports: { type: 'list', items: CONTAINER_PORT },
    command: STRING_LIST,
    args: STRING_LIST,
  },
  required: ['name'],
  known: CONTAINER_KNOWN,
};

const POD_SPEC_KNOWN = [
  'volumes', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds',
  'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'hostPID', 'hostIPC',
  'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'affinity', 'schedulerName', 'tolerations',
  'hostAliases', 'priorityClassName', 'priority', 'readinessGates', 'runtimeClassName', 'enableServiceLinks',
  'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers',
  'schedulingGates', 'resourceClaims', 'resources', 'hostnameOverride',
] as const;

/** `spec.containers[1].ports[0]`: a field path as the API server prints it in warnings. */
function apiPath(path: readonly (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * The API server's warning for a containerPort/protocol declared twice in a pod (pkg/api/pod/
 * warnings.go: "duplicate port definition with …"), and what follows when two containers
 * declare it: they share the pod's network namespace, so the later one's bind fails
 * (EADDRINUSE) and it crash-loops, which keeps the pod out of Ready and out of every Service's
 * endpoints (compile marks the container, compile.ts containerSockets).
 */
function checkDuplicatePorts(spec: Record<string, unknown>, at: FieldAt): void {
  const containers = spec['containers'];
  if (!Array.isArray(containers)) return;
  const first = new Map<string, { container: number; port: number; name: unknown }>();
  containers.forEach((c: unknown, i) => {
    const ports = c && typeof c === 'object' ? (c as { ports?: unknown }).ports : undefined;
    if (!Array.isArray(ports)) return;
    ports.forEach((p: unknown, j) => {
      if (!p || typeof p !== 'object') return;
      const { containerPort, protocol } = p as { containerPort?: unknown; protocol?: unknown };
      if (typeof containerPort !== 'number') return;
      const key = `${containerPort}/${typeof protocol === 'string' ? protocol : 'TCP'}`;
      const prior = first.get(key);
      if (!prior) {
        first.set(key, { container: i, port: j, name: (c as { name?: unknown }).name });
        return;
      }
      const here = apiPath([...at.path, 'containers', i, 'ports', j]);
      const there = apiPath([...at.path, 'containers', prior.container, 'ports', prior.port]);
      const name = String((c as { name?: unknown }).name ?? i);
      const why = prior.container === i
        ? ''
        : `: containers of a pod share one network namespace, so container ${name} fails to bind ${key} (bind: address already in use) held by container ${String(prior.name ?? prior.container)}, crash-loops (CrashLoopBackOff), and the pod is never Ready, so Services leave it out of their endpoints`;
      at.warning('port-in-use', `${here}: duplicate port definition with ${there}${why}`, ['containers', i, 'ports', j]);
    });
  });
}

/** PodSpec: containers are required and need at least one entry. */
export const POD_SPEC: ObjectShape = {
  type: 'object',
  fields: {
    nodeName: { type: 'string' },
    nodeSelector: LABELS,
    hostNetwork: { type: 'boolean' },
    containers: { type: 'list', items: CONTAINER, minItems: 1 },
    initContainers: { type: 'list', items: CONTAINER },
    dnsPolicy: { type: 'string', enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] },
    dnsConfig: {
      type: 'object',
      fields: {
        nameservers: { type: 'list', items: IPV4 },
        searches: STRING_LIST,
        options: { type: 'list', items: { type: 'object', fields: { name: { type: 'string' }, value: { type: 'string' } } } },
      },
    },
    hostname: { type: 'string' },
    subdomain: { type: 'string' },
  },
  required: ['containers'],
  known: POD_SPEC_KNOWN,
  check: checkDuplicatePorts,
};

/** Status is usually absent; when pasted from `kubectl get -o yaml` it is passed through. */
const POD_STATUS: ObjectShape = { type: 'object', fields: { podIP: IPV4, hostIP: IPV4 }, open: true };

/** A whole Pod object. */
export const POD: ObjectShape = {
  type: 'object',
  fields: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: metadataShape(), spec: POD_SPEC, status: POD_STATUS },
  required: ['metadata', 'spec'],
};

/** The pod template of a workload (Deployment, ReplicaSet, DaemonSet). */
export const POD_TEMPLATE: ObjectShape = {
  type: 'object',
  fields: { metadata: metadataShape(), spec: POD_SPEC },
  required: ['spec'],
};
