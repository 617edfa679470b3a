/**
 * The tunnel mesh at scale. Flannel VXLAN (one FDB entry per peer) and Calico IPIP (one route
 * per peer) give every node a tunnel to every other: n·(n−1)/2 links, 4,950 at 100 nodes. Drawn
 * as labelled edges they freeze the page (React Flow measures each label with `getBBox`: 669 ms
 * at load, and the page stays saturated) and tell a student nothing beyond "every node has a
 * tunnel to every other". Packets do not need them: a hop moves between its anchors
 * (`anchorFor`) whether or not an edge joins them. So above `MESH_MAX` edges the layout keeps
 * the tunnel edges aside, the canvas draws only those the selected flow crosses, and a note says
 * how many are not drawn.
 */
import type { Edge } from '@xyflow/react';
import type { CanvasLayout, CanvasNode, Port } from './layout-types';
import { portsOf, withPorts } from './layout-handles';

/**
 * The most tunnel edges drawn as a full mesh: 10 nodes' (45). Up to there the mesh is a readable
 * fan under the nodes and costs a few milliseconds of label measuring; the UI bench's 10-node
 * cluster keeps its drawing. At 11 nodes it would be 55, at 20 already 190.
 */
export const MESH_MAX = 45;

export interface TunnelMesh {
  /** Tunnel edges not drawn (all of them: the canvas adds back the flow's). */
  count: number;
  /** The first tunnel's label, e.g. "VXLAN VNI 1 udp/8472". */
  label: string;
  /** How many Kubernetes nodes the mesh joins. */
  nodes: number;
  /** `a|b` (the link's two tunnel devices, sorted) → the edge the full mesh would draw. */
  edges: Record<string, Edge>;
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * The mesh edges a flow crosses: in each direction's hops (device ids in order), every tunnel
 * device followed by another node's tunnel device is one encap → decap crossing.
 */
export function crossedTunnels(mesh: TunnelMesh, directions: (string | undefined)[][]): Edge[] {
  const ends = new Set(Object.keys(mesh.edges).flatMap((k) => k.split('|')));
  const out = new Map<string, Edge>();
  for (const ids of directions) {
    let last: string | undefined;
    for (const id of ids) {
      if (!id || !ends.has(id)) continue;
      const e = last && last !== id ? mesh.edges[pairKey(last, id)] : undefined;
      if (e) out.set(e.id, e);
      last = id;
    }
  }
  return [...out.values()];
}

/**
 * `l` with the mesh edges the flow crosses drawn. Only the nodes those edges end on get new
 * objects (with the handle they need), so React Flow re-processes two nodes, not the cluster.
 */
export function withFlowTunnels(l: CanvasLayout, directions: (string | undefined)[][]): CanvasLayout {
  if (!l.mesh) return l;
  const extra = crossedTunnels(l.mesh, directions);
  if (!extra.length) return l;
  const need = new Map<string, Set<Port>>();
  for (const e of extra)
    for (const [id, p] of [
      [e.source, e.sourceHandle],
      [e.target, e.targetHandle],
    ] as const) {
      if (p !== 't' && p !== 'b') continue;
      const s = need.get(id) ?? new Set<Port>();
      s.add(p);
      need.set(id, s);
    }
  const nodes = l.nodes.map((n): CanvasNode => {
    const want = need.get(n.id);
    const has = portsOf(n);
    if (!want || [...want].every((p) => has.includes(p))) return n;
    return withPorts(n, [...new Set([...has, ...want])]);
  });
  return { ...l, nodes, edges: [...l.edges, ...extra] };
}

/** The note under a hidden mesh: nothing is silently missing. */
export function meshNote(mesh: TunnelMesh, drawn: number): string {
  const n = mesh.count.toLocaleString('en-US');
  const shown = drawn ? (drawn === 1 ? "the selected flow's tunnel is drawn" : `the selected flow's ${drawn} tunnels are drawn`) : 'a flow that crosses one draws it';
  return `${n} ${mesh.label} tunnels (full mesh of ${mesh.nodes} nodes) not drawn; ${shown}`;
}
