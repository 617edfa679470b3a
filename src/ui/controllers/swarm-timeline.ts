/**
 * The fan-out's schedule as plain numbers, shared by the main thread (arrival and end timers) and
 * the painter worker (where each dot is on a frame): packet k leaves at k × stagger and moves
 * from point to point at one step per `stepMs`, linearly — the same timing the DOM swarm gives
 * its Web Animations (keyframe offsets i / (n − 1), linear easing, duration (n − 1) × stepMs).
 */
import type { Point } from './packet-animator';
import type { SwarmPacket } from './swarm';

/** Every packet's path in flat typed arrays (one transferable message, however many packets). */
export interface PackedSwarm {
  /** x, y of every distinct route's points, routes one after another. */
  coords: Float32Array;
  /** Per packet: index of its first point in `coords` (in points, not numbers) and its point count. */
  first: Uint32Array;
  count: Uint32Array;
  /** Per packet: 1 when its path crosses a tunnel (the dot wears a dashed ring for the whole trip). */
  tunnel: Uint8Array;
}

export interface SwarmTiming {
  stepMs: number;
  staggerMs: number;
  loop: boolean;
}

/** Packs paths, storing a route shared by many packets (the same `points` array) once. */
export function packSwarm(packets: SwarmPacket[]): PackedSwarm {
  const seen = new Map<Point[], number>();
  const xy: number[] = [];
  const first = new Uint32Array(packets.length);
  const count = new Uint32Array(packets.length);
  const tunnel = new Uint8Array(packets.length);
  packets.forEach((p, k) => {
    let at = seen.get(p.points);
    if (at === undefined) {
      at = xy.length / 2;
      seen.set(p.points, at);
      for (const q of p.points) xy.push(q.x, q.y);
    }
    first[k] = at;
    count[k] = p.points.length;
    tunnel[k] = p.encap.some(Boolean) ? 1 : 0;
  });
  return { coords: Float32Array.from(xy), first, count, tunnel };
}

/** When packet k leaves, ms after the swarm started. */
export function launchAt(k: number, t: SwarmTiming): number {
  return k * t.staggerMs;
}

/** How long packet k's run lasts (0 for a path with fewer than two points: it never flies). */
export function runMs(s: PackedSwarm, k: number, t: SwarmTiming): number {
  return s.count[k]! < 2 ? 0 : (s.count[k]! - 1) * t.stepMs;
}

/**
 * Where packet k is `ms` after the swarm started, written into `out` (flow coordinates); false
 * when it is not in flight (not yet launched, finished, or never flying).
 */
export function positionAt(s: PackedSwarm, k: number, ms: number, t: SwarmTiming, out: Point): boolean {
  const dur = runMs(s, k, t);
  if (dur <= 0) return false;
  let local = ms - launchAt(k, t);
  if (local < 0) return false;
  if (t.loop) local %= dur;
  else if (local >= dur) return false;
  const seg = Math.min(s.count[k]! - 2, Math.floor(local / t.stepMs));
  const f = (local - seg * t.stepMs) / t.stepMs;
  const i = 2 * (s.first[k]! + seg);
  const c = s.coords;
  out.x = c[i]! + (c[i + 2]! - c[i]!) * f;
  out.y = c[i + 1]! + (c[i + 3]! - c[i + 1]!) * f;
  return true;
}

/** Packets in flight at `ms` (what the layer reports as `data-inflight`). */
export function inFlight(s: PackedSwarm, ms: number, t: SwarmTiming): number {
  let n = 0;
  for (let k = 0; k < s.count.length; k++) {
    const dur = runMs(s, k, t);
    const local = ms - launchAt(k, t);
    if (dur > 0 && local >= 0 && (t.loop || local < dur)) n++;
  }
  return n;
}

/** When the last packet lands (ms after the start); Infinity when looping, 0 when none flies. */
export function endMs(s: PackedSwarm, t: SwarmTiming): number {
  let end = 0;
  for (let k = 0; k < s.count.length; k++) {
    const dur = runMs(s, k, t);
    if (dur > 0) end = t.loop ? Infinity : Math.max(end, launchAt(k, t) + dur);
  }
  return end;
}
