/**
 * The scheduler, reduced to what decides where a pod's packets start: `nodeName` binds
 * directly, `nodeSelector` filters nodes by label, the NodePorts filter keeps a pod off a node
 * where another pod holds one of its host ports, and otherwise pods are spread to the node
 * with the fewest pods (ties go to the first node), as the default spreading score does.
 */
import type { ModelNode } from '../model/types';
import type { PodSpec } from '../k8s/types';

/**
 * Where a pod goes: a node; `unschedulable` when no node passes the filters (the pod is accepted
 * and stays Pending with no node, the message its FailedScheduling event); or an `error` for a
 * pod bound by `spec.nodeName`, which skips the scheduler, to a node that does not exist or
 * whose kubelet rejects it.
 */
export type Placement = { node: ModelNode } | { unschedulable: string } | { error: string };

/** A host port a pod takes on its node: the NodePorts filter's key (protocol, host IP, port). */
export interface HostPortClaim {
  protocol: string;
  /** `0.0.0.0` (every address) unless the port names a hostIP. */
  hostIP: string;
  port: number;
}

/** nodeports.ErrReason, the scheduler's and the kubelet's words for a clash. */
const PORTS_TAKEN = "node(s) didn't have free ports for the requested pod ports";

/**
 * The host ports a pod claims: every `hostPort`, and for a hostNetwork pod every containerPort
 * (the API server defaults hostPort to containerPort there: pkg/apis/core/v1/defaults.go).
 */
export function hostPortClaims(spec: PodSpec): HostPortClaim[] | undefined {
  let out: HostPortClaim[] | undefined;
  for (const c of spec.containers ?? [])
    for (const p of c.ports ?? []) {
      const port = p.hostPort || (spec.hostNetwork ? p.containerPort : 0);
      if (!port) continue;
      (out ??= []).push({ protocol: p.protocol ?? 'TCP', hostIP: p.hostIP || '0.0.0.0', port });
    }
  return out;
}

/**
 * Two claims clash on the same protocol and port when their host IPs overlap: the same IP, or
 * either is 0.0.0.0 (framework.HostPortInfo.CheckConflict).
 */
function clash(a: HostPortClaim, b: HostPortClaim): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.hostIP === b.hostIP || a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0');
}

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
  /** Host ports held on each node by the pods bound there (only nodes that have any). */
  private readonly ports = new Map<string, HostPortClaim[]>();

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

  /** Whether none of `want` clashes with a host port already held on `name`. */
  portsFree(name: string, want: readonly HostPortClaim[]): boolean {
    const held = this.ports.get(name);
    return !held || !want.some((w) => held.some((h) => clash(w, h)));
  }

  /** A pod was bound to `name`, holding `ports` there. */
  bind(name: string, ports?: readonly HostPortClaim[]): void {
    if (ports?.length) {
      const held = this.ports.get(name);
      if (held) held.push(...ports);
      else this.ports.set(name, [...ports]);
    }
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
 * node counted under its first failing filter, in the framework's order (TaintToleration, where a
 * NotReady node's node.kubernetes.io/not-ready taint fails; NodeAffinity; NodePorts), the counts
 * sorted as strings, then the preemption post-filter's verdict per node: a node failing an
 * unresolvable filter (taint, affinity) is "not helpful"; one whose ports are taken could be freed
 * only by evicting a lower-priority pod, and every pod here has the same priority.
 */
function noNodeFits(nodes: readonly ModelNode[], load: NodeLoad, nodeSelector: Record<string, string> | undefined, ports: readonly HostPortClaim[] | undefined): string {
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  const add = (m: Map<string, number>, r: string) => m.set(r, (m.get(r) ?? 0) + 1);
  const sel = Object.entries(nodeSelector ?? {});
  for (const n of nodes) {
    if (!n.ready) add(reasons, 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
    else if (!sel.every(([k, v]) => n.labels[k] === v)) add(reasons, "node(s) didn't match Pod's node affinity/selector");
    else if (ports && !load.portsFree(n.name, ports)) {
      add(reasons, PORTS_TAKEN);
      add(preemption, 'No preemption victims found for incoming pod');
      continue;
    } else continue;
    add(preemption, 'Preemption is not helpful for scheduling');
  }
  const counts = (m: Map<string, number>) => [...m].map(([r, c]) => `${c} ${r}`).sort().join(', ');
  const head = `0/${nodes.length} nodes are available`;
  return `${head}: ${counts(reasons)}. preemption: ${head}: ${counts(preemption)}.`;
}

/**
 * A DaemonSet pod: the controller does not bind it (since 1.12 the default scheduler places
 * DaemonSet pods) but gives it a required node affinity on `metadata.name` (daemon/util
 * ReplaceDaemonSetPodNodeNameNodeAffinity). NodeAffinity's PreFilter narrows the candidates to
 * that one node, and every other node is counted as "didn't satisfy plugin(s) [NodeAffinity]"
 * (schedule_one.go findNodesThatFitPod, SetAbsentNodesStatus), unresolvable by preemption. The
 * one node still goes through the filters: a host port another pod holds there leaves the pod
 * Pending, not rejected.
 */
function scheduleDaemonPod(nodes: readonly ModelNode[], load: NodeLoad, node: ModelNode, ports: readonly HostPortClaim[] | undefined): Placement {
  if (!ports || load.portsFree(node.name, ports)) return { node };
  const others = nodes.length - 1;
  const head = `0/${nodes.length} nodes are available`;
  const reasons = [`1 ${PORTS_TAKEN}`, ...(others ? [`${others} node(s) didn't satisfy plugin(s) [NodeAffinity]`] : [])].sort();
  const preemption = ['1 No preemption victims found for incoming pod', ...(others ? [`${others} Preemption is not helpful for scheduling`] : [])].sort();
  return { unschedulable: `${head}: ${reasons.join(', ')}. preemption: ${head}: ${preemption.join(', ')}.` };
}

export function schedule(nodes: ModelNode[], load: NodeLoad, want: { nodeName?: string; daemonNode?: string; nodeSelector?: Record<string, string>; preferNode?: string; hostPorts?: readonly HostPortClaim[] }): Placement {
  const ports = want.hostPorts?.length ? want.hostPorts : undefined;
  if (want.daemonNode !== undefined) {
    const n = nodes.find((x) => x.name === want.daemonNode);
    if (n) return scheduleDaemonPod(nodes, load, n, ports);
  }
  if (want.nodeName !== undefined) {
    const n = nodes.find((x) => x.name === want.nodeName);
    if (!n) return { error: `spec.nodeName: node "${want.nodeName}" does not exist (nodes: ${nodes.map((x) => x.name).join(', ')})` };
    // A pod bound by name skips the scheduler; the kubelet's admission runs the same NodePorts
    // check and rejects it (lifecycle/predicate.go: reason NodePorts, "Pod was rejected: …").
    if (ports && !load.portsFree(n.name, ports)) return { error: `Pod was rejected: Predicate NodePorts failed: ${PORTS_TAKEN} (on ${n.name})` };
    return { node: n };
  }
  if (!nodes.length) return { unschedulable: '0/0 nodes are available' };
  if (!want.nodeSelector && !want.preferNode && !ports) {
    const best = load.leastLoaded();
    return best ? { node: best } : { unschedulable: noNodeFits(nodes, load, undefined, undefined) };
  }
  let candidates = nodes.filter((n) => n.ready);
  if (want.nodeSelector) {
    const sel = Object.entries(want.nodeSelector);
    candidates = candidates.filter((n) => sel.every(([k, v]) => n.labels[k] === v));
  }
  if (ports) candidates = candidates.filter((n) => load.portsFree(n.name, ports));
  if (!candidates.length) return { unschedulable: noNodeFits(nodes, load, want.nodeSelector, ports) };
  if (want.preferNode) {
    const p = candidates.find((n) => n.name === want.preferNode);
    if (p) return { node: p };
  }
  let best = candidates[0]!;
  for (const n of candidates) if (load.get(n.name) < load.get(best.name)) best = n;
  return { node: best };
}
