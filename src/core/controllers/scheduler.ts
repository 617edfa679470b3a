/**
 * The scheduler, reduced to what decides where a pod's packets start: `nodeName` binds
 * directly, `nodeSelector` filters nodes by label, and otherwise pods are spread to the node
 * with the fewest pods (ties go to the first node), as the default spreading score does.
 */
import type { ModelNode } from '../model/types';

export type Placement = { node: ModelNode } | { error: string };

/**
 * How many pods each node runs, as the scheduler's cache knows it. Besides the counts it keeps
 * a min-tree over the ready nodes (in node order), so "the least loaded node, first on ties"
 * is one descent instead of a scan of every node for every pod.
 */
export class NodeLoad {
  private readonly counts = new Map<string, number>();
  /** Ready nodes in order, and the leaves that hold each name's count. */
  private readonly ready: ModelNode[];
  private readonly leaves = new Map<string, number[]>();
  private readonly size: number;
  /** tree[1] is the minimum count; leaf i is tree[size + i] (Infinity past the last node). */
  private readonly tree: Float64Array;

  constructor(nodes: readonly ModelNode[]) {
    this.ready = nodes.filter((n) => n.ready);
    let size = 1;
    while (size < this.ready.length) size *= 2;
    this.size = size;
    this.tree = new Float64Array(2 * size).fill(Infinity);
    this.ready.forEach((n, i) => {
      const own = this.leaves.get(n.name);
      if (own) own.push(i);
      else this.leaves.set(n.name, [i]);
      this.tree[size + i] = 0;
    });
    for (let i = size - 1; i >= 1; i--) this.tree[i] = Math.min(this.tree[2 * i]!, this.tree[2 * i + 1]!);
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  /** A pod was bound to `name`. */
  bind(name: string): void {
    const c = this.get(name) + 1;
    this.counts.set(name, c);
    // The count is per name, as the cache keys it: every ready node of that name shows it.
    for (const i of this.leaves.get(name) ?? []) {
      let t = this.size + i;
      this.tree[t] = c;
      for (t >>= 1; t >= 1; t >>= 1) this.tree[t] = Math.min(this.tree[2 * t]!, this.tree[2 * t + 1]!);
    }
  }

  /** The ready node with the fewest pods, the first in node order on ties. */
  leastLoaded(): ModelNode | undefined {
    if (!this.ready.length) return undefined;
    const min = this.tree[1]!;
    let t = 1;
    while (t < this.size) t = this.tree[2 * t] === min ? 2 * t : 2 * t + 1;
    return this.ready[t - this.size];
  }
}

/**
 * kube-scheduler's FailedScheduling message when no node fits (framework FitError.Error): each
 * node's first failing filter, counted per reason, sorted as strings, then the preemption
 * post-filter's verdict. A NotReady node carries the node.kubernetes.io/not-ready taint, which the
 * TaintToleration filter (run before NodeAffinity) rejects.
 */
function noNodeFits(nodes: readonly ModelNode[], nodeSelector: Record<string, string> | undefined): string {
  const reasons = new Map<string, number>();
  const add = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
  const sel = Object.entries(nodeSelector ?? {});
  for (const n of nodes) {
    if (!n.ready) add('node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
    else if (!sel.every(([k, v]) => n.labels[k] === v)) add("node(s) didn't match Pod's node affinity/selector");
  }
  const histogram = [...reasons].map(([r, c]) => `${c} ${r}`).sort();
  const head = `0/${nodes.length} nodes are available`;
  return `${head}: ${histogram.join(', ')}. preemption: ${head}: ${nodes.length} Preemption is not helpful for scheduling.`;
}

export function schedule(nodes: ModelNode[], load: NodeLoad, want: { nodeName?: string; nodeSelector?: Record<string, string>; preferNode?: string }): Placement {
  if (want.nodeName !== undefined) {
    const n = nodes.find((x) => x.name === want.nodeName);
    return n ? { node: n } : { error: `spec.nodeName: node "${want.nodeName}" does not exist (nodes: ${nodes.map((x) => x.name).join(', ')})` };
  }
  if (!nodes.length) return { error: '0/0 nodes are available' };
  if (!want.nodeSelector && !want.preferNode) {
    const best = load.leastLoaded();
    return best ? { node: best } : { error: noNodeFits(nodes, undefined) };
  }
  let candidates = nodes.filter((n) => n.ready);
  if (want.nodeSelector) {
    const sel = Object.entries(want.nodeSelector);
    candidates = candidates.filter((n) => sel.every(([k, v]) => n.labels[k] === v));
  }
  if (!candidates.length) return { error: noNodeFits(nodes, want.nodeSelector) };
  if (want.preferNode) {
    const p = candidates.find((n) => n.name === want.preferNode);
    if (p) return { node: p };
  }
  let best = candidates[0]!;
  for (const n of candidates) if (load.get(n.name) < load.get(best.name)) best = n;
  return { node: best };
}
