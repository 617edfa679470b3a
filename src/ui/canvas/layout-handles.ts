/**
 * The handles a layout's edges attach to, given to React Flow twice: as `node.handles` (their
 * geometry, known from the layout's boxes) and as `data.ports` (which `<Handle>` elements the
 * node component draws).
 *
 * Why: the canvas renders only what is on screen (`onlyRenderVisibleElements`), so an edge
 * may be drawn to a node that was never mounted and measured; with its handles declared, React
 * Flow places the edge's end without the DOM. And a node draws a handle element only where an
 * edge attaches (a pod's group in detail has none: its devices carry the edges), so the canvas
 * holds a few hundred fewer elements that every frame's bookkeeping would walk.
 */
import { Position } from '@xyflow/react';
import type { Edge, NodeHandle } from '@xyflow/react';
import type { CanvasNode, Port } from './layout-types';

/** Side of the square handle element (`.hs-handle` in styles.css). */
export const HANDLE_SIZE = 4;

/** Top (`t`) and bottom (`b`) handle of a `w`×`h` node, centred on its edge as React Flow's CSS puts them. */
function handleAt(port: Port, w: number, h: number): NodeHandle {
  const s = HANDLE_SIZE;
  return { id: port, type: 'source', position: port === 't' ? Position.Top : Position.Bottom, x: w / 2 - s / 2, y: (port === 't' ? 0 : h) - s / 2, width: s, height: s };
}

/** `nodes` with the handles `edges` use declared on each (none on a node no edge touches). */
export function withHandles(nodes: CanvasNode[], edges: Edge[]): CanvasNode[] {
  const used = new Map<string, Set<Port>>();
  const use = (id: string, port: string | null | undefined) => {
    if (port !== 't' && port !== 'b') return;
    const s = used.get(id) ?? new Set<Port>();
    s.add(port);
    used.set(id, s);
  };
  for (const e of edges) {
    use(e.source, e.sourceHandle);
    use(e.target, e.targetHandle);
  }
  return nodes.map((n) => withPorts(n, [...(used.get(n.id) ?? [])]));
}

/** `n` with exactly `ports` declared, top first. */
export function withPorts(n: CanvasNode, ports: Port[]): CanvasNode {
  const sorted = (['t', 'b'] as const).filter((p) => ports.includes(p));
  const w = n.width ?? 0;
  const h = n.height ?? 0;
  return { ...n, handles: sorted.map((p) => handleAt(p, w, h)), data: { ...n.data, ports: sorted } } as CanvasNode;
}

/** The ports a node declares. */
export function portsOf(n: CanvasNode): Port[] {
  return n.data.ports ?? [];
}
