// The B4 baseline (ANCHORS §2.2, rig/rf): a bare React Flow page — default nodes on a grid,
// default edges, no packets, no custom components — with ?n=NODES&e=EDGES to match our canvas.
// Bundled by bench/ui-bench.mjs with esbuild; no JSX so the bench folder needs no JSX tooling.
import { createElement as h, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { ReactFlow, ReactFlowProvider } from '@xyflow/react';

const q = new URLSearchParams(location.search);
const N = Number(q.get('n')) || 100;
const E = Number(q.get('e')) || 180;
const cols = Math.ceil(Math.sqrt(N));
const nodes = Array.from({ length: N }, (_, i) => ({ id: String(i), position: { x: (i % cols) * 180, y: Math.floor(i / cols) * 90 }, data: { label: `node-${i}` } }));
const edges = [];
for (let k = 0; edges.length < E && k < E * 4; k++) {
  const a = k % N;
  const b = (a + 1 + ((k * 7) % (N - 1))) % N;
  if (a !== b) edges.push({ id: `e${k}`, source: String(a), target: String(b) });
}
window.__counts = { nodes: nodes.length, edges: edges.length };

function App() {
  useEffect(() => {
    requestAnimationFrame(() => requestAnimationFrame(() => (window.__mountedAt = performance.now())));
  }, []);
  return h('div', { style: { width: '100vw', height: '100vh' } }, h(ReactFlow, { defaultNodes: nodes, defaultEdges: edges, defaultViewport: { x: 0, y: 0, zoom: 0.7 }, minZoom: 0.05 }));
}

createRoot(document.getElementById('root')).render(h(ReactFlowProvider, null, h(App)));
