/// <reference lib="webworker" />
/**
 * The fan-out painter: draws the flying packets on an OffscreenCanvas from this worker's own
 * animation frames, so the page's main thread does no per-frame work for them at all. (As Web
 * Animations on DOM dots, Chromium still restyled each dot on every main-thread frame: 50 dots
 * cost ~15 % of the main thread on the B4 canvas.) Frames run only while packets are in flight.
 */
import { drawSwarm } from './swarm-draw';
import type { Rect, SwarmStyle, View } from './swarm-draw';
import { endMs } from './swarm-timeline';
import type { PackedSwarm, SwarmTiming } from './swarm-timeline';
import type { PainterMessage } from './swarm-painter-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let ctx: OffscreenCanvasRenderingContext2D | null = null;
let canvas: OffscreenCanvas | null = null;
const size = { w: 0, h: 0, dpr: 1 };
let view: View = { x: 0, y: 0, zoom: 1 };
let run: { swarm: PackedSwarm; timing: SwarmTiming; style: SwarmStyle; t0: number; end: number } | null = null;
let frame = 0;
/** What the last frame drew; null: clear the whole canvas (first frame, new size or view). */
let dirty: Rect | null = null;

function clear(): void {
  dirty = null;
  ctx?.setTransform(1, 0, 0, 1, 0, 0);
  ctx?.clearRect(0, 0, canvas?.width ?? 0, canvas?.height ?? 0);
}

function paint(now: number): void {
  frame = 0;
  if (!run || !ctx) return;
  const ms = now - run.t0;
  // Cleared even when nothing is drawn now (dirty stays what is on the canvas).
  dirty = drawSwarm(ctx, run.swarm, ms, run.timing, view, size, run.style, dirty) ?? { x: 0, y: 0, w: 0, h: 0 };
  if (ms < run.end) frame = scope.requestAnimationFrame(paint);
  else {
    run = null;
    clear();
  }
}

/** Asks for a frame unless one is pending (a view or size change repaints a running swarm). */
function schedule(): void {
  if (run && !frame) frame = scope.requestAnimationFrame(paint);
}

scope.onmessage = (e: MessageEvent<PainterMessage>) => {
  const m = e.data;
  switch (m.type) {
    case 'init':
      canvas = m.canvas;
      ctx = canvas.getContext('2d');
      break;
    case 'size':
      Object.assign(size, { w: m.w, h: m.h, dpr: m.dpr });
      if (canvas) {
        canvas.width = Math.max(1, Math.round(m.w * m.dpr));
        canvas.height = Math.max(1, Math.round(m.h * m.dpr));
      }
      dirty = null;
      schedule();
      break;
    case 'view':
      view = m.view;
      dirty = null;
      schedule();
      break;
    case 'start':
      dirty = null;
      run = { swarm: m.swarm, timing: m.timing, style: m.style, t0: performance.now(), end: endMs(m.swarm, m.timing) };
      schedule();
      break;
    case 'style':
      if (run) run.style = m.style;
      dirty = null;
      schedule();
      break;
    case 'stop':
      run = null;
      if (frame) scope.cancelAnimationFrame(frame);
      frame = 0;
      clear();
      break;
  }
};
