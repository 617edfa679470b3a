/**
 * The fan-out animation (STYLE §11): many packets in flight at once, one absolutely positioned
 * div each, moved by the Web Animations API along its path's points. Transform and opacity
 * animations run on the compositor, so the main thread does no per-frame work however many
 * packets fly (ANCHORS §2.2: div + transform held 60 fps at 1k nodes; B4 measures our cost).
 * The main thread hears only about arrivals, through one timer chain.
 */
import type { Point } from './packet-animator';

export interface SwarmPacket {
  /** Places in order; consecutive duplicates already merged. */
  points: Point[];
  /** Per point: the packet is a reply / inside a tunnel here (the dot shows whether any point is). */
  reply: boolean[];
  encap: boolean[];
  /** Index of the point where the request reached its endpoint (−1: dropped). */
  arriveAt: number;
  endpoint?: string;
}

export interface SwarmOptions {
  layer: HTMLElement;
  /** Time per step between two points. */
  stepMs: number;
  /** Time between two packets leaving. */
  staggerMs: number;
  /** Start again when done (benchmarks keep N packets in flight). */
  loop?: boolean;
  onArrive?: (endpoint: string) => void;
  onDone?: () => void;
}

export interface Swarm {
  stop(): void;
}

/** The dot is invisible outside its run (opacity 0 in CSS, 1 in every keyframe). */
function frames(points: Point[]): Keyframe[] {
  const n = Math.max(1, points.length - 1);
  return points.map((p, i) => ({ offset: i / n, transform: `translate(${p.x}px, ${p.y}px)`, opacity: 1 }));
}

/**
 * One element and one transform animation per packet. Measured on a 100-pod canvas: a second,
 * opacity-only animation per dot (the reply colour, the tunnel ring fading in and out) doubled
 * the main thread's share, so a packet whose path crosses a tunnel wears a dashed ring for the
 * whole trip, and the reply is told by its direction (the single-flow view colours it).
 */
function dot(layer: HTMLElement, encap: boolean): HTMLElement {
  const el = document.createElement('div');
  el.className = encap ? 'hs-dot hs-dot-tunnel' : 'hs-dot';
  layer.appendChild(el);
  return el;
}

/** Launches every packet, staggered; returns a handle to stop them all. */
export function startSwarm(packets: SwarmPacket[], o: SwarmOptions): Swarm {
  const anims: Animation[] = [];
  const timers: ReturnType<typeof setTimeout>[] = [];
  const nodes: HTMLElement[] = [];
  let left = packets.length;
  let flying = 0;
  const inflight = (d: number) => (o.layer.dataset.inflight = String((flying += d)));
  o.layer.dataset.inflight = '0';
  // Each packet is launched by its own timer rather than an animation `delay`: in Chromium a
  // delayed animation is ticked on the main thread until it starts (measured: 50 delayed dots
  // cost ~6 % of the main thread, 50 started ones ~0.2 %).
  const launch = (p: SwarmPacket) => {
    const el = dot(o.layer, p.encap.some(Boolean));
    nodes.push(el);
    const timing: KeyframeAnimationOptions = { duration: (p.points.length - 1) * o.stepMs, iterations: o.loop ? Infinity : 1, easing: 'linear' };
    // The dot itself is invisible outside its run (opacity 0 in CSS; 1 in every keyframe).
    const move = el.animate(frames(p.points), timing);
    anims.push(move);
    inflight(1);
    if (o.onArrive && p.endpoint && p.arriveAt > 0 && !o.loop) {
      const ep = p.endpoint;
      timers.push(setTimeout(() => o.onArrive!(ep), p.arriveAt * o.stepMs));
    }
    move.finished.then(
      () => {
        el.remove();
        inflight(-1);
        if (--left === 0) o.onDone?.();
      },
      () => undefined,
    );
  };
  packets.forEach((p, k) => {
    if (p.points.length < 2) {
      left--;
      return;
    }
    if (k === 0) launch(p);
    else timers.push(setTimeout(() => launch(p), k * o.staggerMs));
  });
  if (left === 0) queueMicrotask(() => o.onDone?.());
  return {
    stop() {
      for (const t of timers) clearTimeout(t);
      for (const a of anims) a.cancel();
      for (const n of nodes) n.remove();
      o.layer.dataset.inflight = '0';
    },
  };
}
