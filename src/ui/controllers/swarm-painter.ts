/**
 * The main thread's side of the painted fan-out: hands the layer's canvas to the painter worker
 * once, forwards size and viewport changes, and keeps the swarm's events that the page needs —
 * arrivals (the live chart), the end, `data-inflight` — on timers from the same schedule the
 * worker draws from (swarm-timeline.ts). Nothing here runs per frame.
 */
import type { Swarm, SwarmOptions, SwarmPacket } from './swarm';
import type { SwarmStyle, View } from './swarm-draw';
import { endMs, inFlight, launchAt, packSwarm, runMs } from './swarm-timeline';
import type { PainterMessage } from './swarm-painter-protocol';

export type SwarmStart = (packets: SwarmPacket[], o: Omit<SwarmOptions, 'layer'>) => Swarm;

export interface SwarmPainter {
  setSize(w: number, h: number, dpr: number): void;
  setView(v: View): void;
  /** Re-reads the theme's colours (after a theme change) for the dots in flight. */
  restyle(): void;
  start: SwarmStart;
  destroy(): void;
}

/** OffscreenCanvas 2D in a worker (Chromium 69+, Firefox 105+, Safari 17+); else the DOM swarm. */
export function canPaintOffscreen(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && typeof HTMLCanvasElement !== 'undefined' && 'transferControlToOffscreen' in HTMLCanvasElement.prototype;
}

const FALLBACK: SwarmStyle = { fill: '#1f6feb', border: '#ffffff', tunnel: '#0b7285' };

/** The theme's colours as the dots' CSS draws them (custom properties resolved to rgb()). */
export function readSwarmStyle(host: Element): SwarmStyle {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  host.appendChild(probe);
  const resolve = (name: string, fallback: string) => {
    probe.style.color = `var(${name}, ${fallback})`;
    return getComputedStyle(probe).color || fallback;
  };
  const style = { fill: resolve('--packet', FALLBACK.fill), border: resolve('--panel', FALLBACK.border), tunnel: resolve('--tunnel', FALLBACK.tunnel) };
  probe.remove();
  return style;
}

/** `post` is the worker's postMessage (injected in tests); `el` carries `data-inflight`. */
export function createSwarmController(post: (m: PainterMessage, transfer?: Transferable[]) => void, el: HTMLElement, style: () => SwarmStyle): Omit<SwarmPainter, 'destroy'> {
  el.dataset.inflight = '0';
  return {
    setSize: (w, h, dpr) => post({ type: 'size', w, h, dpr }),
    setView: (view) => post({ type: 'view', view: { x: view.x, y: view.y, zoom: view.zoom } }),
    restyle: () => post({ type: 'style', style: style() }),
    start(packets, o) {
      const swarm = packSwarm(packets);
      const timing = { stepMs: o.stepMs, staggerMs: o.staggerMs, loop: !!o.loop };
      const timers: ReturnType<typeof setTimeout>[] = [];
      const t0 = performance.now();
      const count = () => (el.dataset.inflight = String(inFlight(swarm, performance.now() - t0, timing)));
      post({ type: 'start', swarm, timing, style: style() });
      packets.forEach((p, k) => {
        const dur = runMs(swarm, k, timing);
        if (dur <= 0) return;
        const at = launchAt(k, timing);
        timers.push(setTimeout(count, at));
        if (!timing.loop) timers.push(setTimeout(count, at + dur));
        if (o.onArrive && p.endpoint && p.arriveAt > 0 && !timing.loop) {
          const ep = p.endpoint;
          timers.push(setTimeout(() => o.onArrive!(ep), at + p.arriveAt * timing.stepMs));
        }
      });
      const end = endMs(swarm, timing);
      if (end === 0) queueMicrotask(() => o.onDone?.());
      else if (Number.isFinite(end)) timers.push(setTimeout(() => o.onDone?.(), end));
      return {
        stop() {
          for (const t of timers) clearTimeout(t);
          el.dataset.inflight = '0';
          post({ type: 'stop' });
        },
      };
    },
  };
}

/**
 * A post that starts its target only when the first swarm starts: until then the latest size and
 * view are kept and replayed, so opening the app spawns no painter worker (most visits never fan
 * out). `open` returns the real post.
 */
export function lazyPost(open: () => (m: PainterMessage) => void): { post: (m: PainterMessage) => void; opened: () => boolean } {
  let target: ((m: PainterMessage) => void) | null = null;
  const kept = new Map<PainterMessage['type'], PainterMessage>();
  return {
    post(m) {
      if (!target) {
        if (m.type === 'size' || m.type === 'view') kept.set(m.type, m);
        if (m.type !== 'start') return; // a style or a stop with nothing in flight
        target = open();
        for (const k of kept.values()) target(k);
        kept.clear();
      }
      target(m);
    },
    opened: () => target !== null,
  };
}

/** Hands `canvas` to a painter worker at the first fan-out; a canvas can be handed over only once. */
export function createSwarmPainter(canvas: HTMLCanvasElement): SwarmPainter {
  let worker: Worker | null = null;
  const lazy = lazyPost(() => {
    const w = new Worker(new URL('./swarm-painter.worker.ts', import.meta.url), { type: 'module', name: 'hopscope-swarm' });
    worker = w;
    const offscreen = canvas.transferControlToOffscreen();
    const init: PainterMessage = { type: 'init', canvas: offscreen };
    w.postMessage(init, [offscreen]);
    return (m) => w.postMessage(m);
  });
  const c = createSwarmController(lazy.post, canvas, () => readSwarmStyle(canvas.parentElement ?? document.body));
  return { ...c, destroy: () => worker?.terminate() };
}
