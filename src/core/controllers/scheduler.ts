/**
 * The scheduler, reduced to what decides where a pod's packets start: `nodeName` binds
 * directly, `nodeSelector` filters nodes by label, and otherwise pods are spread to the node
 * with the fewest pods (ties go to the first node), as the default spreading score does.
 */
import type { ModelNode } from '../model/types';

export type Placement = { node: ModelNode } | { error: string };

export function schedule(
  nodes: ModelNode[],
  load: Map<string, number>,
  want: { nodeName?: string; nodeSelector?: Record<string, string>; preferNode?: string },
): Placement {
  if (want.nodeName !== undefined) {
    const n = nodes.find((x) => x.name === want.nodeName);
    return n ? { node: n } : { error: `spec.nodeName: node "${want.nodeName}" does not exist (nodes: ${nodes.map((x) => x.name).join(', ')})` };
  }
  let candidates = nodes.filter((n) => n.ready);
  if (want.nodeSelector) {
    const sel = Object.entries(want.nodeSelector);
    candidates = candidates.filter((n) => sel.every(([k, v]) => n.labels[k] === v));
    if (!candidates.length) return { error: `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector` };
  }
  if (!candidates.length) return { error: `0/${nodes.length} nodes are available` };
  if (want.preferNode) {
    const p = candidates.find((n) => n.name === want.preferNode);
    if (p) return { node: p };
  }
  let best = candidates[0]!;
  for (const n of candidates) if ((load.get(n.name) ?? 0) < (load.get(best.name) ?? 0)) best = n;
  return { node: best };
}
