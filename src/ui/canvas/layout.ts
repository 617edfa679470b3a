/**
 * `layout(summary, detail)`: the model summary as React Flow nodes and edges (STYLE §10).
 *
 * Why a hand-written deterministic layout instead of elkjs: the picture always has the same
 * shape — Kubernetes nodes side by side holding their pods, veths under their pods, the bridge
 * under the veths, the host devices at the bottom, the underlay beneath everything — so a
 * fixed grid gives a stable, readable drawing that does not jump when the user edits one pod.
 * It is synchronous and takes well under a millisecond, while `elk.bundled.js` would add
 * ~1.4 MB to the initial bundle (budget: 350 KB gzip) or another worker round trip per edit.
 */
import type { Edge } from '@xyflow/react';
import type { DeviceSummary, LinkSummary, ModelSummary, NetnsSummary, PendingPodSummary } from '../../core/index';
import type { Detail } from '../store/types';
import type { Box, CanvasLayout } from './layout-types';
import { Builder, COL_GAP, DH, DW, GAP, HEAD, LINE, PAD, ROW_GAP, drawnDevices } from './layout-builder';
import { placeServices } from './layout-services';
import { withHandles } from './layout-handles';
import { MESH_MAX, pairKey } from './tunnel-mesh';
import type { TunnelMesh } from './tunnel-mesh';

export { DH, DW } from './layout-builder';

function podSize(ns: NetnsSummary, detail: Detail): { w: number; h: number } {
  const lines = (ns.pod?.containers.length ?? 0) + 1;
  if (detail === 'overview') return { w: 190, h: HEAD + LINE * lines + PAD };
  const n = drawnDevices(ns).length;
  return { w: Math.max(190, PAD * 2 + n * DW + (n - 1) * GAP), h: HEAD + LINE * lines + DH + PAD * 2 };
}

/**
 * A Pending pod (ContainerCreating, or unscheduled). In detail it has a running pod's size, its reason where
 * the devices would be (it has no eth0), so the rows below do not move; in overview it takes one
 * more line for the reason.
 */
function pendingSize(p: PendingPodSummary, detail: Detail): { w: number; h: number } {
  const lines = p.containers.length + 1;
  return { w: 190, h: detail === 'overview' ? HEAD + LINE * (lines + 1) + PAD : HEAD + LINE * lines + DH + PAD * 2 };
}

function placePod(b: Builder, ns: NetnsSummary, parent: string | undefined, x: number, y: number, detail: Detail): Box {
  const s = podSize(ns, detail);
  const box = { x, y, w: s.w, h: s.h };
  b.group(ns, 'pod', box, parent, detail === 'overview');
  if (detail === 'detail') drawnDevices(ns).forEach((d, k) => b.device(d, ns.id, PAD + k * (DW + GAP), s.h - PAD - DH));
  return box;
}

/** Places a Kubernetes node group, its pods and (in detail) its host devices; returns its size. */
function placeNode(b: Builder, ns: NetnsSummary, pods: NetnsSummary[], pending: PendingPodSummary[], links: LinkSummary[], x: number, detail: Detail): Box {
  const inner: { pod: NetnsSummary; x: number; w: number }[] = [];
  let cx = PAD;
  const podsH = Math.max(0, ...pods.map((p) => podSize(p, detail).h), ...pending.map((p) => pendingSize(p, detail).h));
  for (const p of pods) {
    const s = podSize(p, detail);
    inner.push({ pod: p, x: cx, w: s.w });
    cx += s.w + GAP;
  }
  // Pods without a sandbox follow the running ones, in creation order.
  const waiting: { pod: PendingPodSummary; x: number }[] = [];
  for (const p of pending) {
    waiting.push({ pod: p, x: cx });
    cx += pendingSize(p, detail).w + GAP;
  }
  const devs = drawnDevices(ns);
  const hostRow = devs.filter((d) => d.kind !== 'bridge' && !(d.kind === 'veth' && vethPod(d, links)));
  const width = Math.max(cx - GAP + PAD, PAD * 2 + hostRow.length * (DW + GAP) - GAP, 220);
  const vethY = HEAD + podsH + ROW_GAP;
  const bridgeY = vethY + DH + ROW_GAP;
  const hostY = detail === 'detail' ? bridgeY + DH + ROW_GAP : HEAD + podsH + PAD;
  const height = detail === 'detail' ? hostY + DH + PAD : hostY + LINE;
  b.group(ns, 'k8sNode', { x, y: 0, w: width, h: height }, undefined, detail === 'overview');
  for (const it of inner) placePod(b, it.pod, ns.id, it.x, HEAD, detail);
  for (const it of waiting) b.pendingPod(it.pod, ns.id, { x: it.x, y: HEAD, ...pendingSize(it.pod, detail) }, detail === 'overview');
  if (detail === 'detail') {
    for (const d of devs.filter((v) => v.kind === 'veth' && vethPod(v, links))) {
      const it = inner.find((i) => i.pod.id === vethPod(d, links));
      // A veth to a pod not drawn (kube-system hidden) is not drawn either: it anchors to the node.
      if (it) b.device(d, ns.id, it.x + (it.w - DW) / 2, vethY);
    }
    const bridges = devs.filter((d) => d.kind === 'bridge');
    bridges.forEach((d, k) => b.device(d, ns.id, (width - bridges.length * (DW + GAP) + GAP) / 2 + k * (DW + GAP), bridgeY));
    hostRow.forEach((d, k) => b.device(d, ns.id, PAD + k * (DW + GAP), hostY));
  }
  return { x, y: 0, w: width, h: height };
}

/** The canvas id of the tray holding the pods no node took. */
export const UNSCHEDULED_ID = 'unscheduled';

/**
 * The pods no node took, in a tray beside the nodes: they run on no node, so drawing them in
 * one would mislead, and leaving them out would hide why a Service has fewer endpoints than
 * replicas. Side by side, in creation order; the tray itself is not focusable, its pods are.
 */
function placeUnscheduled(b: Builder, pods: PendingPodSummary[], x: number, detail: Detail): Box {
  const h = HEAD + Math.max(...pods.map((p) => pendingSize(p, detail).h)) + PAD;
  const w = Math.max(220, PAD * 2 + pods.reduce((sum, p) => sum + pendingSize(p, detail).w + GAP, -GAP));
  const box = { x, y: 0, w, h };
  b.boxes[UNSCHEDULED_ID] = box;
  b.nodes.push({ id: UNSCHEDULED_ID, type: 'unscheduled', position: { x, y: 0 }, width: w, height: h, data: { count: pods.length }, selectable: false, focusable: false });
  let cx = PAD;
  for (const p of pods) {
    const s = pendingSize(p, detail);
    b.pendingPod(p, UNSCHEDULED_ID, { x: cx, y: HEAD, ...s }, detail === 'overview');
    cx += s.w + GAP;
  }
  return box;
}

/** The pod netns a host-side veth leads to, if any. */
function vethPod(d: DeviceSummary, links: LinkSummary[]): string | undefined {
  const l = links.find((k) => k.kind === 'veth' && (k.a === d.id || k.b === d.id));
  const other = l ? (l.a === d.id ? l.b : l.a) : undefined;
  return other?.startsWith('pod:') ? other.slice(0, other.indexOf('#')) : undefined;
}

function placeHost(b: Builder, ns: NetnsSummary, x: number, y: number, detail: Detail): Box {
  const devs = drawnDevices(ns);
  const w = detail === 'detail' ? Math.max(170, PAD * 2 + devs.length * (DW + GAP) - GAP) : 170;
  const h = detail === 'detail' ? HEAD + LINE + DH + PAD * 2 : HEAD + LINE + PAD;
  b.group(ns, 'host', { x, y, w, h }, undefined, detail === 'overview');
  if (detail === 'detail') devs.forEach((d, k) => b.device(d, ns.id, PAD + k * (DW + GAP), h - PAD - DH));
  return { x, y, w, h };
}

/** Lays out the model summary at a detail level. Pure and deterministic. */
export interface LayoutOptions {
  /**
   * Draw the kube-system pods (CoreDNS …). Off, they are left out as `kubectl get pods` leaves
   * them out without `-A`: their hops and endpoints anchor to their node's group instead.
   */
  systemPods?: boolean;
}

function isHidden(ns: NetnsSummary, o: LayoutOptions): boolean {
  return o.systemPods === false && ns.kind === 'pod' && ns.pod?.namespace === 'kube-system';
}

/** Hidden pods' devices and namespace anchor to their node's group. */
function anchorHidden(b: Builder, hidden: NetnsSummary[], nodes: NetnsSummary[]): void {
  for (const p of hidden) {
    const node = nodes.find((n) => n.name === p.node);
    if (!node || !b.boxes[node.id]) continue;
    b.anchors[p.id] = node.id;
    for (const d of p.devices) b.anchors[d.id] = node.id;
  }
}

export function layout(summary: ModelSummary, detail: Detail, opts: LayoutOptions = {}): CanvasLayout {
  const b = new Builder();
  const nodes = summary.netns.filter((n) => n.kind === 'node');
  const hidden = summary.netns.filter((n) => isHidden(n, opts));
  let x = 0;
  let top = 0;
  for (const n of nodes) {
    const pending = (summary.pendingPods ?? []).filter((p) => p.node === n.name && !(opts.systemPods === false && p.namespace === 'kube-system'));
    const box = placeNode(b, n, summary.netns.filter((p) => p.kind === 'pod' && p.node === n.name && !isHidden(p, opts)), pending, summary.links, x, detail);
    x += box.w + COL_GAP;
    top = Math.max(top, box.h);
  }
  anchorHidden(b, hidden, nodes);
  const others = summary.netns.filter((n) => n.kind === 'pod' && !nodes.some((k) => k.name === n.node) && !isHidden(n, opts));
  for (const p of others) x += placePod(b, p, undefined, x, 0, detail).w + COL_GAP;
  const unscheduled = (summary.pendingPods ?? []).filter((p) => p.node === undefined && !(opts.systemPods === false && p.namespace === 'kube-system'));
  if (unscheduled.length) {
    const tray = placeUnscheduled(b, unscheduled, x, detail);
    x += tray.w + COL_GAP;
    top = Math.max(top, tray.h);
  }
  const span = Math.max(x - COL_GAP, 400);
  let y = top + ROW_GAP * 2;
  const segs = [...summary.segments].sort((a, c) => Number(a.id === 'internet') - Number(c.id === 'internet'));
  const routers = summary.netns.filter((n) => n.kind === 'router');
  segs.forEach((s, k) => {
    if (k > 0 && routers.length) {
      let rx = span / 2 - 100;
      for (const r of routers.splice(0)) rx += placeHost(b, r, rx, y, detail).w + COL_GAP;
      y += (detail === 'detail' ? HEAD + LINE + DH + PAD * 2 : HEAD + LINE + PAD) + ROW_GAP * 2;
    }
    const box = { x: 0, y, w: s.id === 'internet' ? 260 : span, h: 40 };
    if (s.id === 'internet') box.x = span / 2 - 130;
    b.boxes[`segment:${s.id}`] = box;
    b.nodes.push({ id: `segment:${s.id}`, type: 'segment', position: { x: box.x, y: box.y }, width: box.w, height: box.h, data: { id: s.id, cidr: s.cidr } });
    y += box.h + ROW_GAP * 2;
  });
  let hx = span + COL_GAP;
  for (const r of routers) hx += placeHost(b, r, hx, top + ROW_GAP * 2, detail).w + COL_GAP;
  for (const h of summary.netns.filter((n) => n.kind === 'host')) hx += placeHost(b, h, hx, 0, detail).w + COL_GAP;
  const svcEdges = placeServices(b, summary.services ?? [], summary.serviceCIDR, span, detail);
  const built = buildEdges(summary.links, b);
  const mesh = sparseMesh(built.edges, built.tunnels, summary.links, nodes.length);
  const edges = [...(mesh ? built.edges.filter((e) => e.className !== 'edge-tunnel') : built.edges), ...svcEdges];
  return { nodes: withHandles(b.nodes, edges), edges, anchors: b.anchors, boxes: b.boxes, ...(mesh ? { mesh } : {}) };
}

/** The tunnel mesh kept aside when drawing it whole would exceed `MESH_MAX` edges (tunnel-mesh.ts). */
function sparseMesh(edges: Edge[], tunnels: Record<string, Edge>, links: LinkSummary[], nodes: number): TunnelMesh | undefined {
  const count = edges.filter((e) => e.className === 'edge-tunnel').length;
  if (count <= MESH_MAX) return undefined;
  const label = links.find((l) => l.kind === 'tunnel' && l.label)?.label ?? 'tunnel';
  return { count, label, nodes, edges: tunnels };
}

const EDGE_TYPE: Record<LinkSummary['kind'], string> = { veth: 'straight', 'bridge-port': 'straight', segment: 'smoothstep', tunnel: 'default' };

/** The drawn edges, and each tunnel link's edge by its two devices (`pairKey`). */
function buildEdges(links: LinkSummary[], b: Builder): { edges: Edge[]; tunnels: Record<string, Edge> } {
  const seen = new Map<string, Edge>();
  const edges: Edge[] = [];
  const tunnels: Record<string, Edge> = {};
  const parents = new Map(b.nodes.map((n) => [n.id, n.parentId]));
  for (const l of links) {
    const a = b.anchors[l.a] ?? (b.boxes[l.a] ? l.a : undefined);
    const c = b.anchors[l.b] ?? (b.boxes[l.b] ? l.b : undefined);
    if (!a || !c || a === c || parents.get(a) === c || parents.get(c) === a) continue;
    const key = `${l.kind}:${a}:${c}`;
    const known = seen.get(key);
    if (known) {
      if (l.kind === 'tunnel') tunnels[pairKey(l.a, l.b)] = known;
      continue;
    }
    const [upper, lower] = b.boxes[a]!.y <= b.boxes[c]!.y ? [a, c] : [c, a];
    const tunnel = l.kind === 'tunnel';
    const edge: Edge = {
      id: key,
      source: upper,
      target: lower,
      sourceHandle: 'b',
      targetHandle: tunnel ? 'b' : 't',
      type: EDGE_TYPE[l.kind],
      className: `edge-${l.kind}`,
      ...(tunnel && l.label ? { label: l.label } : {}),
      selectable: false,
      focusable: false,
    };
    seen.set(key, edge);
    edges.push(edge);
    if (tunnel) tunnels[pairKey(l.a, l.b)] = edge;
  }
  return { edges, tunnels };
}

/**
 * The canvas node a hop sits on at this detail level: its device (or the group that hides it),
 * a segment for a hop on the wire (`segment-id#a>b`), else its namespace's group.
 */
export function anchorFor(l: Pick<CanvasLayout, 'anchors' | 'boxes'>, deviceId: string | undefined, netns: string): string | undefined {
  if (deviceId && l.anchors[deviceId]) return l.anchors[deviceId];
  const head = deviceId ? deviceId.slice(0, deviceId.indexOf('#')) : netns;
  if (l.boxes[`segment:${head}`]) return `segment:${head}`;
  if (l.boxes[netns]) return netns;
  if (l.anchors[netns]) return l.anchors[netns];
  return l.boxes[`segment:${netns}`] ? `segment:${netns}` : undefined;
}
