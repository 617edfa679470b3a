import { describe, expect, it } from 'vitest';
import { GLIDE_MS, glide } from './ring-glide';

/** A stand-in for the ring's element: records the animations asked of it, and which are running. */
function ring() {
  const started: { keyframes: Keyframe[]; options: KeyframeAnimationOptions; cancelled: boolean }[] = [];
  let nowCalls = 0;
  const el = {
    getAnimations: () =>
      started
        .filter((a) => !a.cancelled)
        .map((a) => ({
          cancel: () => {
            a.cancelled = true;
          },
        })),
    animate: (keyframes: Keyframe[], options: KeyframeAnimationOptions) => started.push({ keyframes, options, cancelled: false }),
  };
  const now = (at: string) => () => {
    nowCalls++;
    return at;
  };
  return { el, started, now, nowCalls: () => nowCalls };
}

const A = 'translate(10px, 20px)';
const B = 'translate(300px, 40px)';
const C = 'translate(50px, 500px)';

describe('glide', () => {
  it('moves the ring from its previous place to the new one, without fill (its style already holds the end)', () => {
    const r = ring();
    glide(r.el, A, B, { reduced: false, now: r.now('unused') });
    expect(r.started).toEqual([{ keyframes: [{ transform: A }, { transform: B }], options: { duration: GLIDE_MS, easing: 'ease' }, cancelled: false }]);
    expect(r.started[0]!.options.fill).toBeUndefined();
    expect(r.nowCalls()).toBe(0);
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
    expect(r.started[1]!.keyframes).toEqual([{ transform: mid }, { transform: C }]);
    expect(r.el.getAnimations()).toHaveLength(1);
  });

  it('jumps with reduced motion, stopping a glide that was running', () => {
    const r = ring();
    glide(r.el, A, B, { reduced: false, now: r.now('unused') });
    glide(r.el, B, C, { reduced: true, now: r.now('matrix(1, 0, 0, 1, 150, 30)') });
    expect(r.started).toHaveLength(1);
    expect(r.el.getAnimations()).toHaveLength(0);
  });
});
