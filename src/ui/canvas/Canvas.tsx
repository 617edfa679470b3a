/** The React Flow canvas: nodes and edges from the pure layout, the packet overlay on top. */
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { Background, ConnectionMode, Controls, Panel, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Node, NodeChange, NodeMouseHandler } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { appStore, useApp } from '../store/store';
import { selectCurrentHop, selectFlow } from '../store/selectors';
import { nodeTypes } from './nodes';
import { anchorFor, layout } from './layout';
import { createLayoutReuser } from './layout-reuse';
import { PacketLayer, SwarmLayer } from './PacketLayer';
import type { CanvasLayout } from './layout-types';
import { installBenchHooks } from '../controllers/bench-hooks';
import { meshNote, withFlowTunnels } from './tunnel-mesh';
import type { TunnelMesh } from './tunnel-mesh';

installBenchHooks(appStore);

const FIT = { padding: 0.08 };
/** Never open smaller than this: below it the 12 px labels are unreadable on a 1280×720 screen. */
const MIN_FIT_ZOOM = 0.7;
/** Large-text mode (projectors) opens closer. */
const MIN_FIT_ZOOM_LARGE = 0.95;

/** How far a fit may zoom in: more on a big stage (a 4K screen), so the cluster fills it. */
function maxFitZoom(): number {
  const w = document.querySelector('.hs-canvas')?.clientWidth ?? 800;
  return Math.min(2.5, Math.max(1.25, w / 1100));
}

/**
 * The nodes the view opens on: the service network, the Kubernetes nodes and their underlay.
 * Routers, external hosts and the internet stay reachable by panning or "fit view"; fitting
 * them too would shrink the cluster below readable size on a laptop screen.
 */
function fitTargets(l: CanvasLayout): { id: string }[] {
  return l.nodes.filter((n) => !n.parentId && n.type !== 'host' && n.id !== 'segment:internet').map((n) => ({ id: n.id }));
}

function podCount(l: CanvasLayout): number {
  return l.nodes.reduce((n, x) => n + Number(x.type === 'pod'), 0);
}

/** Marks when a compiled edit reaches the screen (B5: keystroke → canvas updated). */
function useCanvasMark(l: CanvasLayout | null): void {
  const seq = useApp((s) => s.appliedEdit);
  useLayoutEffect(() => {
    if (!l || !seq) return;
    const id = requestAnimationFrame(() => {
      performance.mark(`hs:canvas:${seq}`);
      if (performance.getEntriesByName(`hs:edit:${seq}`).length) performance.measure('hs:keystroke-to-canvas', `hs:edit:${seq}`, `hs:canvas:${seq}`);
    });
    return () => cancelAnimationFrame(id);
  }, [l, seq]);
}

function useFocusOnHop(l: CanvasLayout | null): void {
  const rf = useReactFlow();
  const nonce = useApp((s) => s.focusNonce);
  useEffect(() => {
    if (!nonce || !l) return;
    const cur = selectCurrentHop(appStore.getState());
    const id = cur ? anchorFor(l, cur.hop.deviceId, cur.hop.netns) : undefined;
    const b = id ? l.boxes[id] : undefined;
    if (b) void rf.setCenter(b.x + b.w / 2, b.y + b.h / 2, { zoom: Math.max(rf.getZoom(), 0.9), duration: 300 });
  }, [nonce, l, rf]);
}

/** Canvas view options that only change the drawing (never the model). */
function CanvasOptions() {
  const systemPods = useApp((s) => s.systemPods);
  return (
    <Panel position="top-right">
      <label className="hs-canvas-options">
        <input type="checkbox" checked={systemPods} onChange={(e) => appStore.getState().setSystemPods(e.target.checked)} />
        kube-system pods
      </label>
    </Panel>
  );
}

/** Says how many tunnels a large cluster's canvas leaves out, and whether the flow's is drawn. */
function MeshNote({ mesh, drawn }: { mesh: TunnelMesh; drawn: number }) {
  return (
    <Panel position="top-left">
      <div className="hs-mesh-note" role="note" data-testid="mesh-note">
        {meshNote(mesh, drawn)}
      </div>
    </Panel>
  );
}

/** The selected flow's hops as device ids, request then reply (where its tunnels are crossed). */
function useFlowDevices(): (string | undefined)[][] {
  const flow = useApp(selectFlow)?.flow;
  return useMemo(() => (flow ? [flow.hops.map((h) => h.deviceId), (flow.reply?.hops ?? []).map((h) => h.deviceId)] : []), [flow]);
}

function Flow() {
  const summary = useApp((s) => s.summary);
  const detail = useApp((s) => s.detail);
  const systemPods = useApp((s) => s.systemPods);
  const theme = useApp((s) => s.theme);
  const hasErrors = useApp((s) => s.hasErrors);
  // Each recompile keeps the node and edge objects whose drawing did not change (layout-reuse.ts).
  const [reuse] = useState(createLayoutReuser);
  const base = useMemo(() => reuse(summary ? layout(summary, detail, { systemPods }) : null), [reuse, summary, detail, systemPods]);
  // A large cluster's tunnel mesh is not drawn, but the selected flow's tunnels are (tunnel-mesh.ts).
  const devices = useFlowDevices();
  const l = useMemo(() => (base ? withFlowTunnels(base, devices) : null), [base, devices]);
  const rf = useReactFlow();
  useFocusOnHop(l);
  useCanvasMark(l);
  const large = useApp((s) => s.largeText);
  const shape = l ? l.nodes.filter((n) => !n.parentId).length * 1000 + l.nodes.length : 0;
  useEffect(() => {
    if (!l) return;
    const id = requestAnimationFrame(() => void rf.fitView({ ...FIT, nodes: fitTargets(l), minZoom: large ? MIN_FIT_ZOOM_LARGE : MIN_FIT_ZOOM, maxZoom: maxFitZoom() }));
    return () => cancelAnimationFrame(id);
    // Refit when the picture's shape changes (detail level, nodes or pods added), not on every edit.
  }, [detail, rf, shape, large]);
  const onNodeClick: NodeMouseHandler<Node> = useCallback((_e, n) => appStore.getState().select(n.id), []);
  // Keyboard: Tab to a node, Enter selects it (React Flow), and the details follow. The nodes are
  // controlled (the layout's), so React Flow only proposes the selection as a change: it never
  // reaches the nodes, and onSelectionChange never fired; the proposal itself is taken here.
  const onNodesChange = useCallback((changes: NodeChange[]) => {
    for (const c of changes) if (c.type === 'select' && c.selected && c.id !== appStore.getState().selected) appStore.getState().select(c.id);
  }, []);
  if (!l) return <div className="hs-canvas-empty">{hasErrors ? 'The scenario has errors: fix them to draw the cluster.' : 'Compiling the scenario…'}</div>;
  return (
    <ReactFlow
      nodes={l.nodes}
      edges={l.edges}
      nodeTypes={nodeTypes}
      colorMode={theme}
      connectionMode={ConnectionMode.Loose}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable
      onNodeClick={onNodeClick}
      onNodesChange={onNodesChange}
      // Mount only the nodes and edges on screen: at the opening zoom a 10-node, 100-pod cluster
      // is mostly off screen, and every mounted node is a resize observation and a few elements
      // the browser walks each frame (B4). Edges still reach unmounted nodes: their handles are
      // declared in the layout (layout-handles.ts).
      onlyRenderVisibleElements
      minZoom={0.15}
      maxZoom={2.5}
      aria-label="Cluster canvas"
      // The picture's size, whatever is mounted (benches size the bare React Flow page by it).
      data-nodes={l.nodes.length}
      data-edges={l.edges.length}
      data-pods={podCount(l)}
    >
      <Background gap={24} />
      <Controls showInteractive={false} />
      <CanvasOptions />
      {l.mesh && <MeshNote mesh={l.mesh} drawn={l.edges.length - (base?.edges.length ?? 0)} />}
      <PacketLayer layout={l} />
      <SwarmLayer layout={l} />
    </ReactFlow>
  );
}

export default function Canvas() {
  return (
    <ReactFlowProvider>
      <Flow />
    </ReactFlowProvider>
  );
}
