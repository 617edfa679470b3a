/**
 * The EndpointSlice controller (spec/services-and-proxy.md §3): for every Service with a
 * selector, the pods of its namespace whose labels match become endpoints, with conditions from
 * readiness (KEP 1672: serving = ready, terminating = being deleted, ready = serving and not
 * terminating), nodeName and a targetRef; each Service port's targetPort is resolved per pod
 * (a name is looked up among the pod's container ports). Slices given in the scenario are kept
 * as they are (Services without selectors are the user's to describe).
 *
 * Read first: pkg/controller/endpointslice (reconciler.go, utils.go `podToEndpoint`,
 * `getEndpointPorts`). Pods whose named ports resolve differently land in separate slices, as
 * upstream groups endpoints by their port list. Names are `<service>-<5 seeded chars>`.
 * Pure and total.
 */
import type { Endpoint, EndpointPort, EndpointSlice, Service } from '../k8s/types';
import type { ModelPod, PendingPod } from '../model/types';
import type { Located, SourcePos } from '../scenario/types';
import type { ServiceReport, StoredService } from './services';
import { randomSuffix } from './names';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** Upstream's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

const ORIGIN: SourcePos = { line: 1, col: 1, offset: 0, end: 0 };

/** True if every `key: value` of the selector is among the labels. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function selectorText(selector: Record<string, string> | undefined): string {
  const entries = Object.entries(selector ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** The container port a targetPort names on this pod (protocol must match), or undefined. */
export function resolveTargetPort(pod: ModelPod, target: number | string | undefined, port: number, protocol: string): number | undefined {
  if (target === undefined) return port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.containers) for (const p of c.ports) if (p.name === target && p.protocol === protocol) return p.containerPort;
  return undefined;
}

/**
 * podToEndpoint's conditions: serving is the pod's readiness alone, terminating its deletion
 * timestamp, and ready "never true for a terminating pod unless publishNotReadyAddresses".
 */
function podEndpoint(pod: ModelPod, publishNotReady: boolean): Endpoint {
  const serving = pod.ready;
  const terminating = pod.terminating === true;
  return {
    addresses: [pod.ip],
    conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
    nodeName: pod.node,
    targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name },
  };
}

interface Group {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

function endpointPorts(svc: Service, pod: ModelPod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const p of svc.spec.ports ?? []) {
    const protocol = p.protocol ?? 'TCP';
    const port = resolveTargetPort(pod, p.targetPort, p.port, protocol);
    if (port !== undefined) out.push({ name: p.name ?? '', port, protocol });
  }
  return out;
}

function sliceFor(seed: number, svc: Service, g: Group, index: number): EndpointSlice {
  const ns = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name ?? '';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-${randomSuffix(seed, 5, 'endpointslice', ns, name, index)}`,
      namespace: ns,
      labels: { [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: CONTROLLER_NAME },
      ownerReferences: [{ kind: 'Service', name, controller: true }],
    },
    addressType: 'IPv4',
    ports: g.ports,
    endpoints: g.endpoints,
  };
}

/** The endpoints of one selector Service, grouped by their resolved port list. */
function groupsFor(svc: Service, pods: ModelPod[]): Group[] {
  const byPorts = new Map<string, Group[]>();
  const all: Group[] = [];
  const publish = svc.spec.publishNotReadyAddresses === true;
  for (const pod of pods) {
    const ports = endpointPorts(svc, pod);
    const key = JSON.stringify(ports);
    const list = byPorts.get(key) ?? [];
    byPorts.set(key, list);
    let g = list[list.length - 1];
    if (!g || g.endpoints.length >= MAX_ENDPOINTS_PER_SLICE) {
      g = { ports, endpoints: [] };
      list.push(g);
      all.push(g);
    }
    g.endpoints.push(podEndpoint(pod, publish));
  }
  return all;
}

function warnUnresolvedPorts(svc: StoredService, pods: ModelPod[], report: ServiceReport): void {
  (svc.service.spec.ports ?? []).forEach((p, i) => {
    if (typeof p.targetPort !== 'string' || /^\d+$/.test(p.targetPort)) return;
    const protocol = p.protocol ?? 'TCP';
    const missing = pods.filter((pod) => resolveTargetPort(pod, p.targetPort, p.port, protocol) === undefined);
    if (!missing.length) return;
    const pos = svc.source ? svc.source.fieldPos(`spec.ports.${i}.targetPort`) : ORIGIN;
    const who = missing.length === pods.length ? 'no selected pod declares' : `pod${missing.length === 1 ? '' : 's'} ${missing.map((m) => m.name).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not declare`;
    report('warning', `spec.ports[${i}].targetPort "${p.targetPort}": ${who} a ${protocol} container port named "${p.targetPort}"; ${missing.length === pods.length ? 'the port has no endpoints' : 'those pods get no endpoint for this port'}`, 'targetport-unresolved', pos);
  });
}

/**
 * A numeric targetPort no container of a selected pod declares. On a real node the process
 * listens wherever it binds (containerPort is informational: a manifest's nginx without
 * `ports:` still answers on 80), but here a container listens only on the ports it declares, so
 * every connection to such an endpoint is refused: say so, and how to model the listener.
 */
function warnUndeclaredPorts(svc: StoredService, pods: ModelPod[], report: ServiceReport): void {
  (svc.service.spec.ports ?? []).forEach((p, i) => {
    const protocol = p.protocol ?? 'TCP';
    const candidates = pods.filter((pod) => !pod.hostNetwork);
    const target = candidates.length ? resolveTargetPort(candidates[0]!, p.targetPort, p.port, protocol) : undefined;
    if (target === undefined || (typeof p.targetPort === 'string' && !/^\d+$/.test(p.targetPort))) return;
    const missing = candidates.filter((pod) => !pod.containers.some((c) => c.ports.some((cp) => cp.containerPort === target && cp.protocol === protocol)));
    if (!missing.length) return;
    // The stored port has its targetPort defaulted to port; point at what the user wrote.
    const written = svc.source?.value.spec?.ports?.[i]?.targetPort !== undefined;
    const pos = svc.source ? svc.source.fieldPos(`spec.ports.${i}.${written ? 'targetPort' : 'port'}`) : ORIGIN;
    const who = missing.length === 1 ? `pod ${missing[0]!.name} declares` : missing.length === candidates.length ? `the ${missing.length} selected pods declare` : `pods ${missing.map((m) => m.name).join(', ')} declare`;
    report(
      'warning',
      `spec.ports[${i}].targetPort ${target}: ${who} no ${protocol} containerPort ${target}, and a simulated container listens only on the ports it declares, so connections are refused (on a real node containerPort is informational: a process that binds ${target} answers whether or not it is declared); add \`ports: [{containerPort: ${target}}]\` to its container`,
      'targetport-undeclared',
      pos,
    );
  });
}

/**
 * What the apiserver stores for a slice the user wrote: every port gets `name: ""` and
 * `protocol: TCP` when absent (discovery/v1 SetDefaults_EndpointPort). kube-proxy ignores a
 * port without a name, so without this a hand-written slice for an unnamed Service port would
 * give the Service no endpoints.
 */
function withApiDefaults(slice: EndpointSlice): EndpointSlice {
  if (Array.isArray(slice.ports)) slice.ports = slice.ports.map((p) => (p && typeof p === 'object' ? { ...p, name: p.name ?? '', protocol: p.protocol ?? 'TCP' } : p));
  return slice;
}

/** A pod the selector may match that has no IP (model/types.ts PendingPod): `node` unset when unscheduled. */
type WaitingPod = Pick<PendingPod, 'namespace' | 'labels' | 'node'>;

/** Why the matching pods give no endpoint: how many wait on a node for a sandbox, and how many no node took. */
function waitingWords(waiting: readonly WaitingPod[]): string {
  const creating = waiting.filter((p) => p.node !== undefined).length;
  const unscheduled = waiting.length - creating;
  const parts: string[] = [];
  if (creating) parts.push(`${creating} waiting in ContainerCreating: their sandbox was not created`);
  if (unscheduled) parts.push(`${unscheduled} Pending: no node could take ${unscheduled === 1 ? 'it' : 'them'}`);
  return parts.join('; ');
}

/**
 * Reconciles EndpointSlices: the controller's for selector Services, followed by the slices the
 * scenario gives. Warns when a selector matches no pod and when a targetPort is not declared.
 */
export function reconcileEndpointSlices(seed: number, services: StoredService[], pods: ModelPod[], given: Located<EndpointSlice>[], report: ServiceReport, waiting: readonly WaitingPod[] = []): EndpointSlice[] {
  const out: EndpointSlice[] = [];
  for (const s of services) {
    const svc = s.service;
    const selector = svc.spec.selector;
    if (svc.spec.type === 'ExternalName' || !selector || Object.keys(selector).length === 0) continue;
    const ns = svc.metadata.namespace ?? 'default';
    const selected = pods.filter((p) => p.namespace === ns && p.ip && selectorMatches(selector, p.labels));
    if (!selected.length && s.source) {
      // Pods without a sandbox have no IP, so the controller skips them; say so rather than "no pod".
      const stuck = waiting.filter((p) => p.namespace === ns && selectorMatches(selector, p.labels));
      const which = stuck.length ? `matches only pods without an IP in namespace ${ns} (${waitingWords(stuck)})` : `matches no pod in namespace ${ns}`;
      report('warning', `Service ${ns}/${svc.metadata.name ?? ''}: selector ${selectorText(selector)} ${which}; the Service has no endpoints (connections are refused)`, 'selector-no-match', s.source.fieldPos('spec.selector'));
    }
    warnUnresolvedPorts(s, selected, report);
    if (s.source) warnUndeclaredPorts(s, selected, report);
    const groups = selected.length ? groupsFor(svc, selected) : [{ ports: [], endpoints: [] }];
    groups.forEach((g, i) => out.push(sliceFor(seed, svc, g, i)));
  }
  for (const g of given) out.push(withApiDefaults(JSON.parse(JSON.stringify(g.value)) as EndpointSlice));
  return out;
}

/** The slice the API server keeps for default/kubernetes: the apiserver on the first node. */
export function kubernetesEndpointSlice(nodeName: string, nodeIp: string, port: number): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { [LABEL_SERVICE_NAME]: 'kubernetes', 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    addressType: 'IPv4',
    ports: [{ name: 'https', port, protocol: 'TCP' }],
    endpoints: [{ addresses: [nodeIp], conditions: { ready: true, serving: true, terminating: false }, nodeName }],
  };
}
