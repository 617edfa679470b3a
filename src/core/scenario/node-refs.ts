/**
 * Node names a scenario defines, and pods that name a node that does not exist. The check needs
 * the whole scenario, so `compile` calls it (the parser does not); it lives here because it
 * speaks in positions and diagnostics like the rest of this layer.
 */
import { CLUSTER_DEFAULTS } from './cluster-defaults';
import type { ClusterDocument, Diagnostic, Located, Scenario } from './types';
import type { Pod } from '../k8s/types';

/** The node names of a Cluster: `node-1 … node-N` for a count, or the listed names. */
export function clusterNodeNames(cluster: ClusterDocument | null): string[] {
  const nodes = cluster?.spec?.nodes ?? CLUSTER_DEFAULTS.nodes;
  if (Array.isArray(nodes)) return nodes.map((n) => n.name);
  return Array.from({ length: nodes }, (_, i) => `node-${i + 1}`);
}

/**
 * An error for each Pod whose `spec.nodeName` is neither a Cluster node nor a `Node` object,
 * positioned at the nodeName value. Empty when every reference resolves.
 */
export function findMissingNodeNames(scenario: Scenario): Diagnostic[] {
  const known = new Set(clusterNodeNames(scenario.cluster?.value ?? null));
  for (const n of scenario.nodes) if (n.value.metadata.name) known.add(n.value.metadata.name);
  const out: Diagnostic[] = [];
  const check = (pod: Located<Pod>): void => {
    const name = pod.value.spec.nodeName;
    if (name === undefined || known.has(name)) return;
    out.push({
      severity: 'error',
      code: 'unknown-node',
      message: `spec.nodeName ${name} is not a node of the cluster (nodes: ${[...known].join(', ')})`,
      pos: pod.fieldPos('spec.nodeName'),
    });
  };
  scenario.pods.forEach(check);
  return out;
}
