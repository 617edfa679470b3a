/**
 * The API server's NamespaceLifecycle admission: a namespaced object can only be created in a
 * namespace that exists (plugin/pkg/admission/namespace/lifecycle/admission.go answers
 * `errors.NewNotFound(namespaces, ns)`, which kubectl prints as `namespaces "foo" not found`).
 * A scenario is a set of objects, so a Namespace doc anywhere in it counts, whatever its order.
 *
 * Such an object is an error and is left out of the scenario: it would not exist in a real
 * cluster, so it must not get pods, endpoints or rules here, and a warning alone would leave a
 * student tracing to a pod that silently is not there.
 */
import { didYouMean } from './did-you-mean';
import type { Reporter } from './diagnostics';
import { KINDS } from './kinds';
import type { Located, Scenario } from './types';

/**
 * Namespaces every cluster has without a Namespace doc: the apiserver's immortal ones (default,
 * kube-system, kube-public) and kube-node-lease, which its system-namespaces controller creates.
 */
export const BUILT_IN_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * ingress-nginx's install manifest creates its own namespace, and Hopscope installs that
 * controller when the scenario has Ingresses (ingress/controller.ts).
 */
const INGRESS_NAMESPACE = 'ingress-nginx';

type Namespaced = Located<{ kind?: string; metadata?: { name?: unknown; namespace?: unknown } }>;

/** The namespaces that exist: the built-in ones and those the scenario creates. */
function existingNamespaces(scenario: Scenario): Set<string> {
  const names = new Set(BUILT_IN_NAMESPACES);
  for (const ns of scenario.namespaces) if (typeof ns.value.metadata?.name === 'string') names.add(ns.value.metadata.name);
  if (scenario.others.some((o) => o.value.kind === 'Ingress')) names.add(INGRESS_NAMESPACE);
  return names;
}

/**
 * Reports every namespaced object whose namespace does not exist, with the apiserver's wording,
 * and removes it from the scenario (in place: the builder's lists are the parse's own).
 */
export function admitNamespaces(scenario: Scenario, out: Reporter): void {
  // Without a Cluster doc the objects are read as a controller's fixtures (kube-proxy's upstream
  // test cases, a NetworkPolicy on its own): no API server admits them, as none allocates their
  // ClusterIPs (compile/service-network.ts).
  if (!scenario.cluster) return;
  const existing = existingNamespaces(scenario);
  const keep = <T extends Namespaced>(list: T[], kind: string | null): T[] =>
    list.filter((o) => {
      const k = kind ?? o.value.kind ?? '';
      if (!KINDS.get(k)?.namespaced) return true;
      const ns = o.value.metadata?.namespace;
      if (typeof ns !== 'string' || existing.has(ns)) return true;
      const name = typeof o.value.metadata?.name === 'string' ? o.value.metadata.name : '';
      out.error(
        'namespace-not-found',
        `namespaces "${ns}" not found: the API server refuses ${k} ${ns}/${name}, so it is left out (add a Namespace doc named ${ns}${didYouMean(ns, existing)})`,
        o.fieldPos('metadata.namespace'),
      );
      return false;
    });
  scenario.pods = keep(scenario.pods, 'Pod');
  scenario.deployments = keep(scenario.deployments, 'Deployment');
  scenario.replicaSets = keep(scenario.replicaSets, 'ReplicaSet');
  scenario.daemonSets = keep(scenario.daemonSets, 'DaemonSet');
  scenario.services = keep(scenario.services, 'Service');
  scenario.endpointSlices = keep(scenario.endpointSlices, 'EndpointSlice');
  scenario.others = keep(scenario.others, null);
}
