/** The React Flow canvas: nodes and edges from the pure layout, the packet overlay on top. */
import { useCallback, useEffect, useMemo } from 'react';
import { Background, ConnectionMode, Controls, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Node, NodeMouseHandler } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { appStore, useApp } from '../store/store';
import { selectCurrentHop } from '../store/selectors';
import { nodeTypes } from './nodes';
import { anchorFor, layout } from './layout';
import { PacketLayer } from './PacketLayer';
import type { CanvasLayout } from './layout-types';

const FIT = { padding: 0.08 };

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

function Flow() {
  const summary = useApp((s) => s.summary);
  const detail = useApp((s) => s.detail);
  const theme = useApp((s) => s.theme);
  const hasErrors = useApp((s) => s.hasErrors);
  const l = useMemo(() => (summary ? layout(summary, detail) : null), [summary, detail]);
  const rf = useReactFlow();
  useFocusOnHop(l);
  useEffect(() => {
    const id = requestAnimationFrame(() => void rf.fitView(FIT));
    return () => cancelAnimationFrame(id);
  }, [detail, rf, summary?.netns.length]);
  const onNodeClick: NodeMouseHandler<Node> = useCallback((_e, n) => appStore.getState().select(n.id), []);
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
      fitView
      fitViewOptions={FIT}
      minZoom={0.15}
      maxZoom={2.5}
      aria-label="Cluster canvas"
    >
      <Background gap={24} />
      <Controls showInteractive={false} />
      <PacketLayer layout={l} />
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
