/**
 * The ingress controller, modelled on ingress-nginx (spec/dns-and-ingress.md §6).
 *
 * When the scenario holds Ingresses of the nginx class — `ingressClassName: nginx`, an
 * IngressClass whose controller is `k8s.io/ingress-nginx`, the default IngressClass, or the
 * legacy `kubernetes.io/ingress.class: nginx` annotation — the add-on objects are the
 * `ingress-nginx-controller` Deployment (1 replica, ports http 80 and https 443) in namespace
 * `ingress-nginx` and its Service. The Service is a LoadBalancer on a `cloud` underlay and a
 * NodePort otherwise, as ingress-nginx's cloud and bare-metal manifests are.
 *
 * After the service network exists, `setupIngress` validates the Ingresses, merges their
 * rules into one route table, computes the address the controller publishes in each
 * Ingress's status (the LoadBalancer address, or on bare metal the IP of the node running the
 * controller) and registers every rule host in the upstream DNS zone at that address.
 */
import type { ClusterModel } from '../model/types';
import type { Deployment, EndpointSlice, Service } from '../k8s/types';
import type { Located, Scenario, Severity, SourcePos } from '../scenario/types';
import type { ResolvedCluster } from '../compile/resolved';
import type { Ingress, IngressBackend, IngressClass } from './types';
import type { Route, RouteTable } from './routing';
import { validateIngress } from './validate';
import { getDnsState } from '../dns/cluster-dns';

export const CONTROLLER_NAMESPACE = 'ingress-nginx';
export const CONTROLLER_NAME = 'ingress-nginx-controller';
export const CONTROLLER_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.11.3';
export const NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
export const NGINX_CLASS = 'nginx';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const LABELS = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };

type Report = (severity: Severity, message: string, code: string, pos: SourcePos) => void;

/** What the controller knows after a sync. */
export interface IngressState {
  serviceType: 'LoadBalancer' | 'NodePort';
  /** The Ingresses this controller serves, with `status.loadBalancer` filled in. */
  ingresses: Ingress[];
  /** Ingresses of another class, left alone (for `kubectl get ingress`). */
  others: Ingress[];
  table: RouteTable;
  /** The address published in the Ingresses' status, if any. */
  address: string | null;
  /** Host → TLS Secret that terminates it ('' when the Ingress names no Secret). */
  tls: Map<string, string>;
}

const STATE_KEY = 'ingress';

export function ingressesOf(scenario: Scenario): Located<Ingress>[] {
  return scenario.others.filter((o) => o.value.kind === 'Ingress') as unknown as Located<Ingress>[];
}

function classesOf(scenario: Scenario): IngressClass[] {
  return scenario.others.filter((o) => o.value.kind === 'IngressClass').map((o) => o.value as unknown as IngressClass);
}

/** True when ingress-nginx (class `nginx`) serves this Ingress. */
export function servedByNginx(ing: Ingress, classes: readonly IngressClass[]): boolean {
  const name = ing.spec?.ingressClassName ?? ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (name !== undefined) {
    const cls = classes.find((c) => c.metadata.name === name);
    return cls ? cls.spec?.controller === NGINX_CONTROLLER : name === NGINX_CLASS;
  }
  const def = classes.find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  return def?.spec?.controller === NGINX_CONTROLLER;
}

function controllerDeployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: CONTROLLER_NAME, namespace: CONTROLLER_NAMESPACE, labels: { ...LABELS } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...LABELS } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          containers: [
            {
              name: 'controller',
              image: CONTROLLER_IMAGE,
              args: ['/nginx-ingress-controller', `--publish-service=$(POD_NAMESPACE)/${CONTROLLER_NAME}`, `--ingress-class=${NGINX_CLASS}`, `--controller-class=${NGINX_CONTROLLER}`],
              ports: [
                { name: 'http', containerPort: 80, protocol: 'TCP' },
                { name: 'https', containerPort: 443, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    },
  };
}

function controllerService(type: 'LoadBalancer' | 'NodePort'): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: CONTROLLER_NAME, namespace: CONTROLLER_NAMESPACE, labels: { ...LABELS } },
    spec: {
      type,
      selector: { ...LABELS },
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http' },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' },
      ],
    },
  };
}

/** LoadBalancer where the modelled cloud provides one, NodePort on bare metal (l2, routed). */
export function controllerServiceType(cluster: ResolvedCluster): 'LoadBalancer' | 'NodePort' {
  return cluster.underlay.type === 'cloud' ? 'LoadBalancer' : 'NodePort';
}

/** The controller's Deployment and Service when some Ingress needs ingress-nginx. */
export function ingressAddonObjects(scenario: Scenario, cluster: ResolvedCluster): { deployments: Deployment[]; services: Service[] } {
  const classes = classesOf(scenario);
  if (!ingressesOf(scenario).some((i) => servedByNginx(i.value, classes))) return { deployments: [], services: [] };
  return { deployments: [controllerDeployment()], services: [controllerService(controllerServiceType(cluster))] };
}

function keyOf(i: Ingress): string {
  return `${i.metadata.namespace ?? 'default'}/${i.metadata.name ?? ''}`;
}

/** Flattens the Ingresses' rules (namespace/name order) into the controller's route table. */
export function buildRouteTable(ingresses: readonly Ingress[]): RouteTable {
  const table: RouteTable = { routes: [], defaults: [], owners: new Map() };
  for (const ing of [...ingresses].sort((a, b) => keyOf(a).localeCompare(keyOf(b)))) {
    const namespace = ing.metadata.namespace ?? 'default';
    const hosts: string[] = [];
    for (const rule of ing.spec?.rules ?? []) {
      const host = (rule.host ?? '').toLowerCase();
      hosts.push(host);
      if (host && !table.owners.has(host)) table.owners.set(host, keyOf(ing));
      for (const p of rule.http?.paths ?? []) {
        if (!p.backend) continue;
        const route: Route = { ingress: keyOf(ing), namespace, host, path: p.path || '/', pathType: p.pathType === 'Exact' ? 'Exact' : p.pathType === 'ImplementationSpecific' ? 'ImplementationSpecific' : 'Prefix', backend: p.backend };
        table.routes.push(route);
      }
    }
    if (ing.spec?.defaultBackend) table.defaults.push({ ingress: keyOf(ing), namespace, backend: ing.spec.defaultBackend, hosts });
  }
  return table;
}

/** The address ingress-nginx publishes: the LoadBalancer's, else the controller pod's node IP. */
function publishedAddress(model: ClusterModel): string | null {
  const svc = model.services.find((s) => s.metadata.name === CONTROLLER_NAME && s.metadata.namespace === CONTROLLER_NAMESPACE);
  const lb = svc?.status?.loadBalancer?.ingress?.find((i) => i.ip)?.ip;
  if (svc?.spec.type === 'LoadBalancer' && lb) return lb;
  const pod = model.pods.find((p) => p.namespace === CONTROLLER_NAMESPACE && p.owner?.startsWith(`ReplicaSet/${CONTROLLER_NAME}-`));
  return pod ? (model.nodes.find((n) => n.name === pod.node)?.ip ?? null) : null;
}

/**
 * The Ingress as the API server stores it: the DefaultIngressClass admission plugin
 * (plugin/pkg/admission/network/defaultingressclass) writes the default IngressClass's name into
 * `spec.ingressClassName` when neither it nor the legacy annotation is set. Of several default
 * classes the newest wins, then the first by name; all of a scenario's are created together.
 */
function admitted(ing: Ingress, classes: readonly IngressClass[]): Ingress {
  const copy = JSON.parse(JSON.stringify(ing)) as Ingress;
  if (copy.spec?.ingressClassName !== undefined || copy.metadata.annotations?.[LEGACY_CLASS_ANNOTATION] !== undefined) return copy;
  const def = classes
    .filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
    .map((c) => c.metadata.name ?? '')
    .sort()[0];
  if (def) copy.spec = { ...copy.spec, ingressClassName: def };
  return copy;
}

/** Validates the Ingresses, builds the route table and publishes hosts in the upstream zone. */
export function setupIngress(model: ClusterModel, scenario: Scenario, cluster: ResolvedCluster, report: Report): void {
  const all = ingressesOf(scenario);
  if (!all.length) return;
  const classes = classesOf(scenario);
  const served: Ingress[] = [];
  const others: Ingress[] = [];
  for (const ing of all) {
    validateIngress(ing, model.services, report);
    const stored = admitted(ing.value, classes);
    if (servedByNginx(stored, classes)) served.push(stored);
    else {
      others.push(stored);
      const given = ing.value.spec?.ingressClassName;
      const cls = stored.spec?.ingressClassName;
      report('info', `Ingress ${keyOf(ing.value)}: ${cls ? `class "${cls}"${given ? '' : ' (the default IngressClass)'} is not implemented by ingress-nginx` : 'no ingressClassName and no default IngressClass'}; no modelled controller serves it`, 'ingress-unclaimed', ing.fieldPos(given ? 'spec.ingressClassName' : 'metadata.name'));
    }
  }
  const address = scenario.cluster ? publishedAddress(model) : null;
  const tls = new Map<string, string>();
  for (const ing of served) {
    if (address) ing.status = { loadBalancer: { ingress: [{ ip: address }] } };
    for (const t of ing.spec?.tls ?? []) for (const h of t.hosts ?? []) if (!tls.has(h.toLowerCase())) tls.set(h.toLowerCase(), t.secretName ?? '');
  }
  const state: IngressState = { serviceType: controllerServiceType(cluster), ingresses: served, others, table: buildRouteTable(served), address, tls };
  model.pluginState.set(STATE_KEY, state);
  if (address) {
    const dns = getDnsState(model);
    for (const r of state.table.routes) if (r.host && !r.host.startsWith('*.') && !dns.publicNames.some((n) => n.name === r.host)) dns.publicNames.push({ name: r.host, address });
  }
}

/** The controller's state, when the model has Ingresses. */
export function getIngressState(model: ClusterModel): IngressState | undefined {
  return model.pluginState.get(STATE_KEY) as IngressState | undefined;
}

/** A backend's endpoints as the controller reads them from EndpointSlices: ready `ip:port`s. */
export function backendEndpoints(model: ClusterModel, namespace: string, backend: IngressBackend): { service: Service | undefined; endpoints: string[]; portName: string | undefined } {
  const ref = backend.service;
  const service = ref ? model.services.find((s) => s.metadata.name === ref.name && (s.metadata.namespace ?? 'default') === namespace) : undefined;
  if (!ref || !service) return { service, endpoints: [], portName: undefined };
  const sp = (service.spec.ports ?? []).find((p) => (ref.port?.number !== undefined ? p.port === ref.port.number : p.name === ref.port?.name));
  if (!sp) return { service, endpoints: [], portName: undefined };
  const portName = sp.name ?? '';
  const out: string[] = [];
  const slices: EndpointSlice[] = model.endpointSlices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === ref.name && (s.metadata.namespace ?? 'default') === namespace);
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
    if (port?.port === undefined) continue;
    for (const e of slice.endpoints ?? []) if (e.conditions?.ready !== false && e.addresses[0]) out.push(`${e.addresses[0]}:${port.port}`);
  }
  return { service, endpoints: out, portName };
}
