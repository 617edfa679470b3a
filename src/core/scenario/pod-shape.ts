/**
 * Shapes for Pod and the pod template (k8s.io/api core/v1 PodSpec and Container). The fields we
 * model are checked; every other real PodSpec or Container field is listed in `known` so a
 * manifest from a real cluster reads without warnings, while a typo still gets one.
 */
import { IPV4, LABELS, metadataShape, PORT, STRING_LIST } from './common-shapes';
import type { FieldAt, ObjectShape } from './shape';
import { dns1123LabelErrors, portNameErrors } from './names';

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

/**
 * The API server's rules on container and port names (pkg/apis/core/validation validateContainers,
 * validateInitContainers, validateContainerPorts), in its words: a container name is a DNS-1123
 * label, unique among the pod's containers and init containers ("Duplicate value"); a port name is
 * an IANA_SVC_NAME, unique within its container. The same port name in two containers is accepted
 * with a warning (pkg/api/pod/warnings.go): a Service's named targetPort takes the first.
 */
function checkNames(spec: Record<string, unknown>, at: FieldAt): void {
  const names = new Set<string>();
  const portNames = new Map<string, string>();
  for (const field of ['containers', 'initContainers'] as const) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: unknown, i) => {
      if (!c || typeof c !== 'object') return;
      const { name, ports } = c as { name?: unknown; ports?: unknown };
      const nameAt = [field, i, 'name'];
      const namePath = apiPath([...at.path, ...nameAt]);
      if (name === '') at.error('missing-field', `${namePath}: Required value`, nameAt);
      else if (typeof name === 'string') {
        for (const e of dns1123LabelErrors(name)) at.error('invalid-name', `${namePath}: Invalid value: ${JSON.stringify(name)}: ${e}`, nameAt);
        if (names.has(name)) at.error('duplicate-name', `${namePath}: Duplicate value: ${JSON.stringify(name)}`, nameAt);
        else names.add(name);
      }
      if (!Array.isArray(ports)) return;
      const own = new Set<string>();
      ports.forEach((p: unknown, j) => {
        const portName = p && typeof p === 'object' ? (p as { name?: unknown }).name : undefined;
        if (typeof portName !== 'string' || !portName) return;
        const sub = [field, i, 'ports', j, 'name'];
        const path = apiPath([...at.path, ...sub]);
        const errs = portNameErrors(portName);
        for (const e of errs) at.error('invalid-port-name', `${path}: Invalid value: ${JSON.stringify(portName)}: ${e}`, sub);
        if (errs.length) return;
        if (own.has(portName)) {
          at.error('duplicate-port', `${path}: Duplicate value: ${JSON.stringify(portName)}`, sub);
          return;
        }
        own.add(portName);
        if (field !== 'containers') return;
        const here = apiPath([...at.path, field, i, 'ports', j]);
        const first = portNames.get(portName);
        if (first === undefined) portNames.set(portName, here);
        else at.warning('duplicate-port-name', `${here}: duplicate port name ${JSON.stringify(portName)} with ${first}, services and probes that select ports by name will use ${first}`, sub);
      });
    });
  }
}

function checkPodSpec(spec: Record<string, unknown>, at: FieldAt): void {
  checkNames(spec, at);
  checkDuplicatePorts(spec, at);
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
  check: checkPodSpec,
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
