import { describe, expect, it } from 'vitest';
import { DWELL_MS, MOVE_MS, createPacketAnimator, hopTimeline } from './packet-animator';
import type { Point } from './packet-animator';

/** A stand-in for a Web Animation: records what the animator asks of it. */
class FakeAnimation {
  currentTime = 0;
  playbackRate = 1;
  playState: 'paused' | 'running' | 'idle' = 'running';
  constructor(
    readonly keyframes: Keyframe[],
    readonly options: KeyframeAnimationOptions,
  ) {}
  play() {
    this.playState = 'running';
  }
  pause() {
    this.playState = 'paused';
  }
  cancel() {
    this.playState = 'idle';
  }
}

function rig(points: (Point | null)[], reduced = false) {
  const anims: FakeAnimation[] = [];
  const el = {
    style: { transform: '' },
    animate: (k: Keyframe[], o: KeyframeAnimationOptions) => {
      const a = new FakeAnimation(k, o);
      anims.push(a);
      return a;
    },
  } as unknown as HTMLElement;
  const hops: number[] = [];
  let ended = 0;
  let timer: { cb: () => void; ms: number } | null = null;
  const a = createPacketAnimator({
    el,
    pointAt: (i) => points[i] ?? null,
    count: () => points.length,
    onHop: (i) => hops.push(i),
    onEnd: () => ended++,
    reducedMotion: () => reduced,
    setTimer: (cb, ms) => (timer = { cb, ms }),
    clearTimer: () => (timer = null),
  });
  /** Lets the pending hop timer fire, moving the fake animation's clock as the browser would. */
  const fire = () => {
    const t = timer!;
    timer = null;
    const anim = anims.at(-1)!;
    anim.currentTime += t.ms * anim.playbackRate;
    t.cb();
    return t.ms;
  };
  return { a, el, hops, anims, fire, timer: () => timer, ended: () => ended };
}

const P = (x: number, y: number) => ({ x, y });

describe('hop timeline', () => {
  it('puts a keyframe exactly on every hop, offsets proportional to time and increasing', () => {
    const t = hopTimeline([P(0, 0), P(100, 0), null, P(100, 100), P(100, 100)], false)!;
    expect(t.times).toEqual([0, MOVE_MS, MOVE_MS + DWELL_MS, 2 * MOVE_MS + DWELL_MS, 2 * MOVE_MS + 2 * DWELL_MS]);
    expect(t.keyframes.map((k) => k.transform)).toEqual(['translate(0px, 0px)', 'translate(100px, 0px)', 'translate(100px, 0px)', 'translate(100px, 100px)', 'translate(100px, 100px)']);
    const offsets = t.keyframes.map((k) => k.offset!);
    expect(offsets[0]).toBe(0);
    expect(offsets.at(-1)).toBe(1);
    for (let k = 1; k < offsets.length; k++) expect(offsets[k]!).toBeGreaterThan(offsets[k - 1]!);
    expect(offsets[1]).toBeCloseTo(MOVE_MS / (2 * MOVE_MS + 2 * DWELL_MS));
  });

  it('holds hops without a place at the first placed one before it, or after it at the start', () => {
    const t = hopTimeline([null, P(5, 5), null], false)!;
    expect(t.keyframes.map((k) => k.transform)).toEqual(['translate(5px, 5px)', 'translate(5px, 5px)', 'translate(5px, 5px)']);
    expect(hopTimeline([null, null], false)).toBeNull();
  });

  it('jumps at the end of each segment with reduced motion', () => {
    const t = hopTimeline([P(0, 0), P(10, 0)], true)!;
    expect(t.keyframes.every((k) => k.easing === 'step-end')).toBe(true);
    expect(hopTimeline([P(0, 0), P(10, 0)], false)!.keyframes[0]!.easing).toMatch(/^cubic-bezier/);
  });
});

describe('packet animator', () => {
  it('plays one compositor animation and reports each hop once, on time, then ends', () => {
    const r = rig([P(0, 0), P(100, 0), null, P(100, 100)]);
    r.a.seek(0);
    r.a.play(1);
    expect(r.anims.at(-1)!.playState).toBe('running');
    expect(r.anims.at(-1)!.options).toMatchObject({ duration: 2 * MOVE_MS + DWELL_MS, fill: 'both' });
    const waits: number[] = [];
    while (r.timer()) waits.push(r.fire());
    expect(waits).toEqual([MOVE_MS, DWELL_MS, MOVE_MS]);
    expect(r.hops).toEqual([1, 2, 3]);
    expect(r.ended()).toBe(1);
    expect(r.a.current()).toBe(3);
    expect(r.anims.at(-1)!.playState).toBe('paused');
    expect(r.anims.at(-1)!.currentTime).toBe(2 * MOVE_MS + DWELL_MS);
  });

  it('seek lands exactly on the hop, paused, and play continues from it', () => {
    const r = rig([P(0, 0), P(100, 0), P(100, 100)]);
    r.a.seek(1);
    const anim = r.anims.at(-1)!;
    expect(anim.playState).toBe('paused');
    expect(anim.currentTime).toBe(MOVE_MS);
    r.a.play(2);
    expect(anim.playbackRate).toBe(2);
    expect(r.timer()!.ms).toBe(MOVE_MS / 2);
    r.a.pause();
    expect(anim.playState).toBe('paused');
    expect(r.timer()).toBeNull();
    r.a.seek(0);
    expect(r.anims.at(-1)!.currentTime).toBe(0);
  });

  it('a speed change re-times the next hop from where the packet is', () => {
    const r = rig([P(0, 0), P(100, 0)]);
    r.a.seek(0);
    r.a.play(1);
    r.anims.at(-1)!.currentTime = 300;
    r.a.setSpeed(4);
    expect(r.anims.at(-1)!.playbackRate).toBe(4);
    expect(r.timer()!.ms).toBe((MOVE_MS - 300) / 4);
  });

  it('a flow with one place only puts the packet there', () => {
    const r = rig([P(5, 5), null]);
    r.a.seek(1);
    expect(r.anims.at(-1)!.keyframes[1]!.transform).toBe('translate(5px, 5px)');
    expect(r.anims.at(-1)!.currentTime).toBe(DWELL_MS);
  });

  it('play at the last hop ends at once', () => {
    const r = rig([P(0, 0), P(1, 1)]);
    r.a.seek(1);
    r.a.play(1);
    expect(r.ended()).toBe(1);
    expect(r.timer()).toBeNull();
  });
});
