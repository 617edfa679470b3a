/**
 * Draws one frame of the fan-out on a 2D canvas: the dots of `.hs-dot` (14 px, a 2 px border in
 * the panel colour, the packet colour inside; a dashed tunnel ring 1 px outside), placed by the
 * React Flow viewport transform and scaled with its zoom as the DOM dots were.
 */
import type { Point } from './packet-animator';
import type { PackedSwarm, SwarmTiming } from './swarm-timeline';
import { positionAt } from './swarm-timeline';

export interface SwarmStyle {
  fill: string;
  border: string;
  tunnel: string;
}

/** React Flow's viewport: flow point p is drawn at (p.x × zoom + x, p.y × zoom + y). */
export interface View {
  x: number;
  y: number;
  zoom: number;
}

/** The part of CanvasRenderingContext2D the painter uses (a fake one in tests). */
export type Ctx2D = Pick<CanvasRenderingContext2D, 'setTransform' | 'clearRect' | 'beginPath' | 'moveTo' | 'arc' | 'fill' | 'stroke' | 'setLineDash'> & {
  fillStyle: CanvasRenderingContext2D['fillStyle'];
  strokeStyle: CanvasRenderingContext2D['strokeStyle'];
  lineWidth: number;
};

/** Sizes of `.hs-dot` in CSS px at zoom 1. */
const OUTER = 7;
const BORDER = 2;
const RING = 9;
const RING_W = 2;

/** A rectangle on the canvas, in CSS px. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Draws the packets in flight `ms` after the start. Clears only `dirty` (what the previous frame
 * drew; the whole canvas when null), so the frame handed to the compositor is damaged only
 * where dots were or are: the compositor then redraws that part of the page, not all of it.
 * Returns the area this frame drew (null when it drew nothing).
 */
export function drawSwarm(ctx: Ctx2D, s: PackedSwarm, ms: number, t: SwarmTiming, view: View, size: { w: number; h: number; dpr: number }, style: SwarmStyle, dirty: Rect | null): Rect | null {
  ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
  if (dirty) ctx.clearRect(dirty.x, dirty.y, dirty.w, dirty.h);
  else ctx.clearRect(0, 0, size.w, size.h);
  const z = view.zoom;
  const r = (OUTER - BORDER / 2) * z;
  const margin = (RING + RING_W) * z;
  const p: Point = { x: 0, y: 0 };
  const dots: number[] = [];
  const rings: number[] = [];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let k = 0; k < s.count.length; k++) {
    if (!positionAt(s, k, ms, t, p)) continue;
    const x = p.x * z + view.x;
    const y = p.y * z + view.y;
    if (x < -margin || y < -margin || x > size.w + margin || y > size.h + margin) continue;
    dots.push(x, y);
    if (s.tunnel[k]) rings.push(x, y);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  if (!dots.length) return null;
  // One path for all dots: fill it, then stroke it for the border (half inside, half outside r).
  ctx.beginPath();
  for (let i = 0; i < dots.length; i += 2) {
    ctx.moveTo(dots[i]! + r, dots[i + 1]!);
    ctx.arc(dots[i]!, dots[i + 1]!, r, 0, 2 * Math.PI);
  }
  ctx.fillStyle = style.fill;
  ctx.fill();
  ctx.lineWidth = BORDER * z;
  ctx.strokeStyle = style.border;
  ctx.setLineDash([]);
  ctx.stroke();
  if (rings.length) {
    ctx.beginPath();
    for (let i = 0; i < rings.length; i += 2) {
      ctx.moveTo(rings[i]! + RING * z, rings[i + 1]!);
      ctx.arc(rings[i]!, rings[i + 1]!, RING * z, 0, 2 * Math.PI);
    }
    ctx.lineWidth = RING_W * z;
    ctx.strokeStyle = style.tunnel;
    ctx.setLineDash([3 * z, 3 * z]);
    ctx.stroke();
  }
  // Whole pixels around every mark, antialiasing included.
  const m = Math.ceil(margin) + 2;
  const bx = Math.floor(x0) - m;
  const by = Math.floor(y0) - m;
  return { x: bx, y: by, w: Math.ceil(x1) + m - bx, h: Math.ceil(y1) + m - by };
}
