/**
 * Structural sharing between two layouts: after a recompile most of the picture is what it was
 * (one pod renamed, one replica added), so every node, edge and map equal to the previous one
 * keeps the previous object. React Flow then skips the nodes it already knows (it compares node
 * objects by identity) and the memoised node components do not re-render; an edit that changes
 * nothing drawn gives back the previous layout itself.
 */
import type { CanvasLayout } from './layout-types';

/** Deep equality of JSON-like values (what layouts are made of). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** `next` with every element equal to one in `prev` (same id) replaced by `prev`'s object. */
function share<T extends { id: string }>(prev: T[], next: T[]): T[] {
  const old = new Map(prev.map((x) => [x.id, x]));
  let all = prev.length === next.length;
  const out = next.map((x, i) => {
    const p = old.get(x.id);
    const kept = p && same(p, x) ? p : x;
    if (kept !== prev[i]) all = false;
    return kept;
  });
  return all ? prev : out;
}

export function reuseLayout(prev: CanvasLayout | null, next: CanvasLayout): CanvasLayout {
  if (!prev) return next;
  const nodes = share(prev.nodes, next.nodes);
  const edges = share(prev.edges, next.edges);
  const anchors = same(prev.anchors, next.anchors) ? prev.anchors : next.anchors;
  const boxes = same(prev.boxes, next.boxes) ? prev.boxes : next.boxes;
  const mesh = same(prev.mesh, next.mesh) ? prev.mesh : next.mesh;
  if (nodes === prev.nodes && edges === prev.edges && anchors === prev.anchors && boxes === prev.boxes && mesh === prev.mesh) return prev;
  return { nodes, edges, anchors, boxes, ...(mesh ? { mesh } : {}) };
}

/** A layout memo for one canvas: each call returns `next` sharing what it can with the last result. */
export function createLayoutReuser(): (next: CanvasLayout | null) => CanvasLayout | null {
  let last: CanvasLayout | null = null;
  return (next) => (last = next ? reuseLayout(last, next) : null);
}
