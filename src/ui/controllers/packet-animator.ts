/**
 * The packet animator (STYLE §11): a framework-free controller that moves one absolutely
 * positioned element along the hop sequence with a CSS `transform` (never SVG attributes,
 * never React state per frame — ANCHORS §2.2). The whole flow is one Web Animation whose
 * keyframes sit exactly on the hops (offsets proportional to each segment's time), so the
 * compositor moves the packet and the main thread does nothing per frame; play, pause, step
 * and speed are the animation's `currentTime`, `pause()` and `playbackRate`. React hears about
 * a hop only when the packet arrives at it, through `onHop`, from one timer per hop.
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
  /** Injected for tests; default setTimeout / clearTimeout. */
  setTimer?: (cb: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
}

export interface PacketAnimator {
  play(speed: number): void;
  pause(): void;
  seek(i: number): void;
  setSpeed(speed: number): void;
  current(): number;
  destroy(): void;
}

/** Time to move between two devices, and to dwell on a hop that stays on the same device. */
export const MOVE_MS = 700;
export const DWELL_MS = 380;
/** Ease-in-out (quadratic) as a cubic Bézier, for each move between devices. */
const EASE = 'cubic-bezier(0.455, 0.03, 0.515, 0.955)';

export interface HopTimeline {
  /** One keyframe per hop, in hop order; keyframe i is exactly hop i's place. */
  keyframes: Keyframe[];
  /** When the packet is at hop i, ms from the start at speed 1 (times[0] = 0, increasing). */
  times: number[];
}

function translate(p: Point): string {
  return `translate(${p.x}px, ${p.y}px)`;
}

/**
 * The flow's timeline. A hop with no place stays where the last placed hop was (before the first
 * placed hop: at that one); a segment between two places moves (eased) for MOVE_MS, one that
 * stays in place dwells for DWELL_MS. With reduced motion the packet jumps at the end of each
 * segment instead of gliding. Null when no hop has a place.
 */
export function hopTimeline(points: (Point | null)[], reduced: boolean): HopTimeline | null {
  const firstPlaced = points.find((p): p is Point => p !== null);
  if (!firstPlaced) return null;
  const at: Point[] = [];
  let last = firstPlaced;
  for (const p of points) at.push((last = p ?? last));
  const times = [0];
  for (let i = 0; i + 1 < at.length; i++) {
    const moving = at[i]!.x !== at[i + 1]!.x || at[i]!.y !== at[i + 1]!.y;
    times.push(times[i]! + (moving ? MOVE_MS : DWELL_MS));
  }
  const total = times[times.length - 1]!;
  const keyframes = at.map((p, i) => ({
    offset: total > 0 ? times[i]! / total : 0,
    transform: translate(p),
    easing: reduced ? 'step-end' : EASE,
  }));
  return { keyframes, times };
}

export function createPacketAnimator(o: AnimatorOptions): PacketAnimator {
  const setTimer = o.setTimer ?? ((cb, ms) => setTimeout(cb, ms));
  const clearTimer = o.clearTimer ?? ((id) => clearTimeout(id as ReturnType<typeof setTimeout>));
  let i = 0;
  let speed = 1;
  let playing = false;
  let timer: unknown = null;
  let anim: Animation | null = null;
  let line: HopTimeline | null = null;

  function stopTimer(): void {
    if (timer !== null) clearTimer(timer);
    timer = null;
  }

  /** Rebuilds the flow's animation (new flow, new layout), paused on hop i. */
  function build(): void {
    anim?.cancel();
    anim = null;
    const n = o.count();
    const pts: (Point | null)[] = [];
    for (let k = 0; k < n; k++) pts.push(o.pointAt(k));
    line = hopTimeline(pts, o.reducedMotion());
    if (!line) return;
    const total = line.times[line.times.length - 1]!;
    if (total <= 0) {
      o.el.style.transform = line.keyframes[0]!.transform as string;
      return;
    }
    // `fill: both` holds the first and last places; the element's own style is never written
    // while the animation lives, so nothing but the animation moves it.
    anim = o.el.animate(line.keyframes, { duration: total, fill: 'both', easing: 'linear' });
    anim.pause();
    anim.currentTime = line.times[i]!;
    anim.playbackRate = speed;
  }

  /** Fires when the packet reaches hop i + 1, from where the animation is now. */
  function scheduleNext(): void {
    stopTimer();
    if (!playing || !anim || !line) return;
    const now = Number(anim.currentTime ?? 0);
    const wait = Math.max(0, (line.times[i + 1]! - now) / speed);
    timer = setTimer(arrive, wait);
  }

  function arrive(): void {
    timer = null;
    i++;
    o.onHop(i);
    if (i >= o.count() - 1) {
      playing = false;
      anim?.pause();
      if (anim && line) anim.currentTime = line.times[i]!;
      o.onEnd();
      return;
    }
    scheduleNext();
  }

  return {
    play(s) {
      speed = s;
      stopTimer();
      if (i >= o.count() - 1) return o.onEnd();
      if (!anim) build();
      if (!anim || !line) return o.onEnd();
      playing = true;
      // Each play starts from the hop the packet is on, as stepping leaves it.
      anim.currentTime = line.times[i]!;
      anim.playbackRate = speed;
      anim.play();
      scheduleNext();
    },
    pause() {
      playing = false;
      stopTimer();
      anim?.pause();
    },
    seek(k) {
      i = Math.max(0, Math.min(k, o.count() - 1));
      build();
      if (!playing) return;
      if (!anim || i >= o.count() - 1) {
        playing = false;
        stopTimer();
        return o.onEnd();
      }
      anim.play();
      scheduleNext();
    },
    setSpeed(s) {
      speed = s;
      if (!anim) return;
      anim.playbackRate = s;
      scheduleNext();
    },
    current: () => i,
    destroy() {
      playing = false;
      stopTimer();
      anim?.cancel();
      anim = null;
    },
  };
}
