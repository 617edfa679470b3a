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
  /** Per point: the packet is a reply / inside a tunnel here. */
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

function frames(points: Point[], on: boolean[] | undefined): Keyframe[] {
  const n = Math.max(1, points.length - 1);
  return points.map((p, i) => ({ offset: i / n, transform: `translate(${p.x}px, ${p.y}px)`, ...(on ? { opacity: on[i] ? 1 : 0 } : {}) }));
}

function dot(layer: HTMLElement, encap: boolean): { el: HTMLElement; reply: HTMLElement } {
  const el = document.createElement('div');
  // A packet whose path crosses a tunnel wears a dashed ring for the whole trip: one animation
  // fewer per packet than fading the ring in and out at the tunnel ends.
  el.className = encap ? 'hs-dot hs-dot-tunnel' : 'hs-dot';
  const reply = document.createElement('span');
  reply.className = 'hs-dot-reply';
  el.append(reply);
  layer.appendChild(el);
  return { el, reply };
}

function opacityFrames(points: Point[], on: boolean[]): Keyframe[] {
  const n = Math.max(1, points.length - 1);
  return on.map((v, i) => ({ offset: i / n, opacity: v ? 1 : 0 }));
}

/** Launches every packet, staggered; returns a handle to stop them all. */
export function startSwarm(packets: SwarmPacket[], o: SwarmOptions): Swarm {
  const anims: Animation[] = [];
  const timers: ReturnType<typeof setTimeout>[] = [];
  const nodes: HTMLElement[] = [];
  let left = packets.length;
  // Each packet is launched by its own timer rather than an animation `delay`: in Chromium a
  // delayed animation is ticked on the main thread until it starts (measured: 50 delayed dots
  // cost ~6 % of the main thread, 50 started ones ~0.2 %).
  const launch = (p: SwarmPacket) => {
    const d = dot(o.layer, p.encap.some(Boolean));
    nodes.push(d.el);
    const timing: KeyframeAnimationOptions = { duration: (p.points.length - 1) * o.stepMs, iterations: o.loop ? Infinity : 1, easing: 'linear' };
    // The dot itself is invisible outside its run (opacity 0 in CSS; 1 in every keyframe).
    const move = d.el.animate(frames(p.points, p.points.map(() => true)), timing);
    anims.push(move, d.reply.animate(opacityFrames(p.points, p.reply), timing));
    if (o.onArrive && p.endpoint && p.arriveAt > 0 && !o.loop) {
      const ep = p.endpoint;
      timers.push(setTimeout(() => o.onArrive!(ep), p.arriveAt * o.stepMs));
    }
    move.finished.then(
      () => {
        d.el.remove();
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
    },
  };
}
