import { describe, expect, it } from 'vitest';
import { GLIDE_MS, HOLD_MS, glide } from './ring-glide';

/**
 * A stand-in for the ring's element: records the animations asked of it; `tick(ms)` moves the
 * last one's clock on, and it finishes at its duration. It has no getAnimations: the element's list of running animations
 * brings style and layout up to date first, and the glide runs in the middle of React's commit.
 */
function ring() {
  const started: { keyframes: Keyframe[]; options: KeyframeAnimationOptions; playState: string; currentTime: number; cancelled: boolean }[] = [];
  let nowCalls = 0;
  const el = {
    getAnimations: () => {
      throw new Error('getAnimations forces a style and layout update');
    },
    animate: (keyframes: Keyframe[], options: KeyframeAnimationOptions) => {
      const a = {
        keyframes,
        options,
        playState: 'running',
        currentTime: 0,
        cancelled: false,
        cancel() {
          a.cancelled = true;
          a.playState = 'idle';
        },
      };
      started.push(a);
      return a;
    },
  };
  const now = (at: string) => () => {
    nowCalls++;
    return at;
  };
  const tick = (ms: number) => {
    const a = started[started.length - 1]!;
    a.currentTime = Math.min(a.currentTime + ms, Number(a.options.duration));
    if (a.currentTime >= Number(a.options.duration)) a.playState = 'finished';
  };
  const running = () => started.filter((a) => a.playState === 'running');
  return { el, started, now, tick, running, nowCalls: () => nowCalls };
}

const A = 'translate(10px, 20px)';
const B = 'translate(300px, 40px)';
const C = 'translate(50px, 500px)';

describe('glide', () => {
  it('moves the ring from its previous place to the new one, then holds it there; without fill (its style already holds the end)', () => {
    const r = ring();
    glide(r.el, A, B, { reduced: false, now: r.now('unused') });
    const total = GLIDE_MS + HOLD_MS;
    expect(r.started.map(({ keyframes, options }) => ({ keyframes, options }))).toEqual([
      { keyframes: [{ transform: A, offset: 0, easing: 'ease' }, { transform: B, offset: GLIDE_MS / total }, { transform: B, offset: 1 }], options: { duration: total } },
    ]);
    expect(r.started[0]!.options.fill).toBeUndefined();
    expect(r.nowCalls()).toBe(0);
  });

  it('holds long enough that the next hop at the slowest speed (a 700 ms move at 0.5×) replaces it before it finishes', () => {
    expect(GLIDE_MS + HOLD_MS).toBeGreaterThan(700 / 0.5);
  });

  it('does not move on its first place, nor when the place is the same', () => {
    const r = ring();
    glide(r.el, null, A, { reduced: false, now: r.now('unused') });
    glide(r.el, A, A, { reduced: false, now: r.now('unused') });
    expect(r.started).toEqual([]);
  });

  it('restarts an unfinished glide from where the ring has got to, and cancels the old one', () => {
    const r = ring();
    glide(r.el, A, B, { reduced: false, now: r.now('unused') });
    const mid = 'matrix(1, 0, 0, 1, 150, 30)';
    glide(r.el, B, C, { reduced: false, now: r.now(mid) });
    expect(r.nowCalls()).toBe(1);
    expect(r.started[0]!.cancelled).toBe(true);
    expect(r.started[1]!.keyframes.map((k) => k.transform)).toEqual([mid, C, C]);
    expect(r.running()).toHaveLength(1);
  });

  it('replaces a glide that has arrived and holds its place from there, without reading the ring’s style', () => {
    const r = ring();
    glide(r.el, A, B, { reduced: false, now: r.now('unused') });
    r.tick(GLIDE_MS + 100);
    glide(r.el, B, C, { reduced: false, now: r.now('matrix(1, 0, 0, 1, 150, 30)') });
    expect(r.nowCalls()).toBe(0);
    expect(r.started[0]!.cancelled).toBe(true);
    expect(r.started[1]!.keyframes.map((k) => k.transform)).toEqual([B, C, C]);
    expect(r.running()).toHaveLength(1);
  });

  it('after a finished glide (a long pause), starts from the previous place without reading the ring’s style', () => {
    const r = ring();
    glide(r.el, A, B, { reduced: false, now: r.now('unused') });
    r.tick(GLIDE_MS + HOLD_MS);
    glide(r.el, B, C, { reduced: false, now: r.now('matrix(1, 0, 0, 1, 150, 30)') });
    expect(r.nowCalls()).toBe(0);
    expect(r.started[0]!.cancelled).toBe(false);
    expect(r.started[1]!.keyframes.map((k) => k.transform)).toEqual([B, C, C]);
  });

  it('jumps with reduced motion, stopping a glide that was running', () => {
    const r = ring();
    glide(r.el, A, B, { reduced: false, now: r.now('unused') });
    glide(r.el, B, C, { reduced: true, now: r.now('matrix(1, 0, 0, 1, 150, 30)') });
    expect(r.started).toHaveLength(1);
    expect(r.running()).toHaveLength(0);
  });

  it('keeps each ring’s glide apart', () => {
    const r1 = ring();
    const r2 = ring();
    glide(r1.el, A, B, { reduced: false, now: r1.now('unused') });
    glide(r2.el, A, C, { reduced: false, now: r2.now('unused') });
    expect(r1.started[0]!.cancelled).toBe(false);
    expect(r2.nowCalls()).toBe(0);
  });
});
