import { describe, expect, it } from 'vitest';
import { createPacketAnimator } from './packet-animator';

function rig(points: ({ x: number; y: number } | null)[]) {
  const el = { style: { transform: '' } } as unknown as HTMLElement;
  const hops: number[] = [];
  let ended = 0;
  let queued: ((t: number) => void) | null = null;
  const a = createPacketAnimator({
    el,
    pointAt: (i) => points[i] ?? null,
    count: () => points.length,
    onHop: (i) => hops.push(i),
    onEnd: () => ended++,
    reducedMotion: () => false,
    raf: (cb) => {
      queued = cb;
      return 1;
    },
    caf: () => {
      queued = null;
    },
  });
  const run = (t: number) => {
    const cb = queued;
    queued = null;
    cb?.(t);
  };
  return { a, el, hops, run, ended: () => ended };
}

describe('packet animator', () => {
  it('moves by transform and reports each hop once, then ends', () => {
    const r = rig([{ x: 0, y: 0 }, { x: 100, y: 0 }, null, { x: 100, y: 100 }]);
    r.a.seek(0);
    r.a.play(1);
    let t = 0;
    for (let k = 0; k < 200 && r.ended() === 0; k++) r.run((t += 16));
    expect(r.hops).toEqual([1, 2, 3]);
    expect(r.ended()).toBe(1);
    expect(r.el.style.transform).toBe('translate(100px, 100px)');
  });

  it('interpolates between devices mid-segment', () => {
    const r = rig([{ x: 0, y: 0 }, { x: 100, y: 0 }]);
    r.a.seek(0);
    r.a.play(1);
    r.run(0);
    r.run(350);
    expect(r.el.style.transform).toBe('translate(50px, 0px)');
  });

  it('seek places the packet at the nearest placed hop', () => {
    const r = rig([{ x: 5, y: 5 }, null]);
    r.a.seek(1);
    expect(r.el.style.transform).toBe('translate(5px, 5px)');
  });
});
