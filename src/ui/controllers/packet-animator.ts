/**
 * The packet animator (STYLE §11): a framework-free controller that moves one absolutely
 * positioned element along the hop sequence with a CSS `transform` (never SVG attributes,
 * never React state per frame — ANCHORS §2.2). React hears about a hop only when the packet
 * arrives at it, through `onHop`.
 */
export interface Point {
  x: number;
  y: number;
}

export interface AnimatorOptions {
  el: HTMLElement;
  /** Where hop i sits, in flow coordinates; null when it has no place on the canvas. */
  pointAt: (i: number) => Point | null;
  count: () => number;
  onHop: (i: number) => void;
  onEnd: () => void;
  reducedMotion: () => boolean;
  /** Injected for tests; defaults to requestAnimationFrame. */
  raf?: (cb: (t: number) => void) => number;
  caf?: (id: number) => void;
}

export interface PacketAnimator {
  play(speed: number): void;
  pause(): void;
  seek(i: number): void;
  setSpeed(speed: number): void;
  current(): number;
  destroy(): void;
}

const MOVE_MS = 700;
const DWELL_MS = 380;

function ease(p: number): number {
  return p < 0.5 ? 2 * p * p : 1 - (-2 * p + 2) ** 2 / 2;
}

export function createPacketAnimator(o: AnimatorOptions): PacketAnimator {
  const raf = o.raf ?? ((cb) => requestAnimationFrame(cb));
  const caf = o.caf ?? ((id) => cancelAnimationFrame(id));
  let i = 0;
  let speed = 1;
  let frame = 0;
  let segStart = -1;

  function put(p: Point | null): void {
    if (p) o.el.style.transform = `translate(${p.x}px, ${p.y}px)`;
  }

  function nearest(k: number): Point | null {
    for (let j = k; j >= 0; j--) {
      const p = o.pointAt(j);
      if (p) return p;
    }
    return null;
  }

  function tick(t: number): void {
    if (segStart < 0) segStart = t;
    const a = nearest(i);
    const b = o.pointAt(i + 1) ?? a;
    const moving = !!a && !!b && (a.x !== b.x || a.y !== b.y);
    const duration = (moving ? MOVE_MS : DWELL_MS) / speed;
    const p = Math.min(1, (t - segStart) / duration);
    if (moving && !o.reducedMotion()) put({ x: a.x + (b.x - a.x) * ease(p), y: a.y + (b.y - a.y) * ease(p) });
    if (p >= 1) {
      i++;
      segStart = t;
      put(nearest(i));
      o.onHop(i);
      if (i >= o.count() - 1) {
        frame = 0;
        o.onEnd();
        return;
      }
    }
    frame = raf(tick);
  }

  function stop(): void {
    if (frame) caf(frame);
    frame = 0;
  }

  return {
    play(s) {
      speed = s;
      stop();
      if (i >= o.count() - 1) return o.onEnd();
      segStart = -1;
      frame = raf(tick);
    },
    pause: stop,
    seek(k) {
      i = Math.max(0, Math.min(k, o.count() - 1));
      segStart = -1;
      put(nearest(i));
    },
    setSpeed(s) {
      speed = s;
    },
    current: () => i,
    destroy: stop,
  };
}
