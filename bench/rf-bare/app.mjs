// The B4 and B4p baseline (ANCHORS §2.2, rig/rf): a bare React Flow page — default nodes on a
// grid, default edges, no custom components — sized by the query to match our canvas:
//   ?n=NODES&e=EDGES       B4: as many nodes and edges as our picture, static, no packets
//   &d=DASHED              B4p: that many of the edges dashed (spread evenly), as our
//                          Service→endpoint and tunnel edges are
//   &fit=1                 B4p: the whole graph fitted on screen, since our canvas mounts only
//                          what is on screen and B4p sizes this page by what ours mounted
//   &packet=1              B4p: window.__bare.play(hopMs) / stop(): one div packet moved by a
//                          transform animation from node to node every hopMs, and a highlight
//                          (border and box-shadow, a repaint) moved onto the node it reaches —
//                          the bare minimum of what our page does per hop while a flow plays
// Bundled by bench/ui-bench.mjs with esbuild; no JSX so the bench folder needs no JSX tooling.
import { createElement as h, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { ReactFlow, ReactFlowProvider, ViewportPortal } from '@xyflow/react';

const q = new URLSearchParams(location.search);
const N = Number(q.get('n')) || 100;
const E = Number(q.get('e')) || 180;
const D = Math.min(E, Number(q.get('d')) || 0);
const FIT = q.get('fit') === '1';
const PACKET = q.get('packet') === '1';
const cols = Math.ceil(Math.sqrt(N));
const W = 150;
const H = 40; // React Flow's default node is 150 px wide, about 40 px tall with its label
const nodes = Array.from({ length: N }, (_, i) => ({ id: String(i), position: { x: (i % cols) * 180, y: Math.floor(i / cols) * 90 }, data: { label: `node-${i}` } }));
const edges = [];
for (let k = 0; edges.length < E && k < E * 4; k++) {
  const a = k % N;
  const b = (a + 1 + ((k * 7) % (N - 1))) % N;
  if (a !== b) edges.push({ id: `e${k}`, source: String(a), target: String(b) });
}
// Dashed edges spread evenly over the list, like ours are spread over the picture.
const dashed = new Set(Array.from({ length: D }, (_, j) => Math.floor((j * edges.length) / D)));
edges.forEach((e, j) => dashed.has(j) && (e.style = { strokeDasharray: '5 5' }));
window.__counts = { nodes: nodes.length, edges: edges.length, dashed: D };

const style = document.createElement('style');
style.textContent = `.react-flow__node.bare-hl { border-color: #e8590c; box-shadow: 0 0 0 5px rgb(232 89 12 / 30%); }
.bare-packet { position: absolute; left: 0; top: 0; z-index: 1000; pointer-events: none; padding: 2px 7px; border-radius: 10px; background: #1c7ed6; color: #fff; font-size: 11px; white-space: nowrap; }`;
document.head.append(style);

/** The packet's run: each hop the highlight moves to the next node and the packet glides there. */
function player(packet) {
  let timer = null;
  let step = 0;
  let lit = null;
  // A stride through the grid so that consecutive hops are far apart, as hops across nodes are.
  const at = (s) => nodes[(s * 7) % N];
  const centre = (n) => `translate(${n.position.x + W / 2}px, ${n.position.y + H / 2}px)`;
  return {
    play(hopMs) {
      this.stop();
      const hop = () => {
        const from = at(step);
        const to = at(++step);
        packet.animate([{ transform: centre(from) }, { transform: centre(to) }], { duration: hopMs, fill: 'forwards', easing: 'ease-in-out' });
        lit?.classList.remove('bare-hl');
        lit = document.querySelector(`.react-flow__node[data-id="${to.id}"]`);
        lit?.classList.add('bare-hl');
      };
      hop();
      timer = setInterval(hop, hopMs);
    },
    stop() {
      clearInterval(timer);
      timer = null;
      packet.getAnimations().forEach((a) => a.pause());
    },
  };
}

function App() {
  useEffect(() => {
    requestAnimationFrame(() => requestAnimationFrame(() => (window.__mountedAt = performance.now())));
  }, []);
  const view = FIT ? { fitView: true, fitViewOptions: { padding: 0.02 } } : { defaultViewport: { x: 0, y: 0, zoom: 0.7 } };
  return h(
    'div',
    { style: { width: '100vw', height: '100vh' } },
    h(
      ReactFlow,
      { defaultNodes: nodes, defaultEdges: edges, minZoom: 0.05, ...view },
      PACKET && h(ViewportPortal, null, h('div', { className: 'bare-packet', ref: (el) => el && !window.__bare && (window.__bare = player(el)) }, 'TCP 80')),
    ),
  );
}

createRoot(document.getElementById('root')).render(h(ReactFlowProvider, null, h(App)));
