import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SwarmPacket } from './swarm';
import { endMs, inFlight, packSwarm, positionAt } from './swarm-timeline';
import { drawSwarm } from './swarm-draw';
import type { Ctx2D } from './swarm-draw';
import { createSwarmController, lazyPost } from './swarm-painter';
import type { PainterMessage } from './swarm-painter-protocol';

const route = [
  { x: 0, y: 0 },
  { x: 100, y: 0 },
  { x: 100, y: 50 },
];
const packet = (points = route, encap = false, endpoint?: string): SwarmPacket => ({ points, reply: points.map(() => false), encap: points.map(() => encap), arriveAt: 1, ...(endpoint ? { endpoint } : {}) });
const timing = { stepMs: 100, staggerMs: 30, loop: false };

describe('swarm timeline', () => {
  it('stores a route shared by many packets once', () => {
    const shared = packet();
    const s = packSwarm([shared, { ...shared }, packet([{ x: 1, y: 2 }, { x: 3, y: 4 }], true)]);
    expect(Array.from(s.coords)).toEqual([0, 0, 100, 0, 100, 50, 1, 2, 3, 4]);
    expect(Array.from(s.first)).toEqual([0, 0, 3]);
    expect(Array.from(s.count)).toEqual([3, 3, 2]);
    expect(Array.from(s.tunnel)).toEqual([0, 0, 1]);
  });

  it('is exactly on each point at each step boundary, in between linearly', () => {
    const s = packSwarm([packet()]);
    const p = { x: NaN, y: NaN };
    const at = (ms: number) => (positionAt(s, 0, ms, timing, p) ? { ...p } : null);
    expect(at(0)).toEqual({ x: 0, y: 0 });
    expect(at(50)).toEqual({ x: 50, y: 0 });
    expect(at(100)).toEqual({ x: 100, y: 0 });
    expect(at(175)).toEqual({ x: 100, y: 37.5 });
    expect(at(199.999)!.y).toBeCloseTo(50, 2);
    expect(at(200)).toBeNull(); // landed: the DOM dot's animation has finished here too
    expect(at(-1)).toBeNull();
  });

  it('moves monotonically along the path (distance travelled never decreases)', () => {
    const s = packSwarm([packet()]);
    const p = { x: 0, y: 0 };
    let last = -1;
    for (let ms = 0; ms < 200; ms += 7) {
      expect(positionAt(s, 0, ms, timing, p)).toBe(true);
      const travelled = p.x + p.y; // the route goes right, then down
      expect(travelled).toBeGreaterThanOrEqual(last);
      last = travelled;
    }
  });

  it('launches packet k at k × stagger, loops when asked, and ends with the last landing', () => {
    const s = packSwarm([packet(), packet(), packet([{ x: 5, y: 5 }])]);
    const p = { x: 0, y: 0 };
    expect(positionAt(s, 1, 29, timing, p)).toBe(false);
    expect(positionAt(s, 1, 30, timing, p)).toBe(true);
    expect(p).toEqual({ x: 0, y: 0 });
    expect(positionAt(s, 2, 50, timing, p)).toBe(false); // one point: never flies
    expect(inFlight(s, 10, timing)).toBe(1);
    expect(inFlight(s, 40, timing)).toBe(2);
    expect(inFlight(s, 215, timing)).toBe(1);
    expect(endMs(s, timing)).toBe(230);
    const loop = { ...timing, loop: true };
    expect(positionAt(s, 0, 250, loop, p)).toBe(true);
    expect(p).toEqual({ x: 50, y: 0 });
    expect(inFlight(s, 10_000, loop)).toBe(2);
    expect(endMs(s, loop)).toBe(Infinity);
    expect(endMs(packSwarm([packet([{ x: 1, y: 1 }])]), timing)).toBe(0);
  });
});

/** Records the calls a 2D context receives. */
function fakeCtx() {
  const calls: string[] = [];
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (t, k: string) => (k in t ? t[k] : (...a: number[]) => calls.push(`${k}(${a.map((n) => (typeof n === 'number' ? Math.round(n * 10) / 10 : JSON.stringify(n))).join(',')})`)),
    set: (t, k: string, v) => {
      t[k] = v;
      calls.push(`${k}=${v}`);
      return true;
    },
  }) as unknown as Ctx2D;
  return { ctx, calls };
}

describe('drawSwarm', () => {
  const size = { w: 400, h: 300, dpr: 2 };
  const style = { fill: 'rgb(1, 2, 3)', border: 'white', tunnel: 'teal' };

  it('draws each dot where the viewport puts its flow point, scaled with the zoom', () => {
    const { ctx, calls } = fakeCtx();
    const s = packSwarm([packet(), packet(route, true)]);
    const box = drawSwarm(ctx, s, 50, timing, { x: 10, y: 20, zoom: 2 }, size, style, null);
    expect(calls[0]).toBe('setTransform(2,0,0,2,0,0)');
    expect(calls[1]).toBe('clearRect(0,0,400,300)');
    // packet 0 at flow (50, 0) → (110, 20); packet 1 at (20, 0) → (50, 20); radius 6 × 2.
    expect(calls).toContain('arc(110,20,12,0,6.3)');
    expect(calls).toContain('arc(50,20,12,0,6.3)');
    expect(calls).toContain('fillStyle=rgb(1, 2, 3)');
    // The tunnel ring (9 px out) only around the packet that crosses a tunnel.
    expect(calls.filter((c) => c.startsWith('arc(') && c.includes(',18,'))).toEqual(['arc(50,20,18,0,6.3)']);
    expect(box).not.toBeNull();
    expect(box!.x).toBeLessThanOrEqual(50 - 22);
    expect(box!.x + box!.w).toBeGreaterThanOrEqual(110 + 22);
  });

  it('clears only what the last frame drew, and draws nothing off the canvas or out of flight', () => {
    const { ctx, calls } = fakeCtx();
    const s = packSwarm([packet()]);
    expect(drawSwarm(ctx, s, 50, timing, { x: -10_000, y: 0, zoom: 1 }, size, style, { x: 5, y: 6, w: 7, h: 8 })).toBeNull();
    expect(calls).toContain('clearRect(5,6,7,8)');
    expect(calls.some((c) => c.startsWith('arc('))).toBe(false);
    expect(drawSwarm(fakeCtx().ctx, s, 500, timing, { x: 0, y: 0, zoom: 1 }, size, style, null)).toBeNull();
  });
});

describe('the painter controller (main thread)', () => {
  afterEach(() => vi.useRealTimers());

  it('posts the packed swarm once and keeps arrivals, the end and data-inflight on timers', () => {
    vi.useFakeTimers();
    const sent: PainterMessage[] = [];
    const el = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
    const c = createSwarmController((m) => sent.push(m), el, () => ({ fill: 'a', border: 'b', tunnel: 'c' }));
    c.setView({ x: 1, y: 2, zoom: 3 });
    const arrived: string[] = [];
    let done = 0;
    const swarm = c.start([packet(route, false, 'default/a'), packet(route, false, 'default/b')], { ...timing, onArrive: (e) => arrived.push(e), onDone: () => done++ });
    expect(sent.map((m) => m.type)).toEqual(['view', 'start']);
    const start = sent[1] as Extract<PainterMessage, { type: 'start' }>;
    expect(start.timing).toEqual(timing);
    expect(start.style).toEqual({ fill: 'a', border: 'b', tunnel: 'c' });
    expect(el.dataset.inflight).toBe('0');
    vi.advanceTimersByTime(0);
    expect(el.dataset.inflight).toBe('1');
    vi.advanceTimersByTime(30);
    expect(el.dataset.inflight).toBe('2');
    vi.advanceTimersByTime(100); // arriveAt 1: one step after each launch
    expect(arrived).toEqual(['default/a', 'default/b']);
    vi.advanceTimersByTime(70);
    expect(el.dataset.inflight).toBe('1');
    expect(done).toBe(0);
    vi.advanceTimersByTime(30);
    expect(el.dataset.inflight).toBe('0');
    expect(done).toBe(1);
    swarm.stop();
    expect(sent.at(-1)).toEqual({ type: 'stop' });
  });

  it('posts the theme colours again on restyle, and size changes as they come', () => {
    const sent: PainterMessage[] = [];
    let fill = 'blue';
    const c = createSwarmController((m) => sent.push(m), { dataset: {} } as unknown as HTMLElement, () => ({ fill, border: 'b', tunnel: 'c' }));
    fill = 'navy';
    c.restyle();
    c.setSize(300, 200, 2);
    expect(sent).toEqual([
      { type: 'style', style: { fill: 'navy', border: 'b', tunnel: 'c' } },
      { type: 'size', w: 300, h: 200, dpr: 2 },
    ]);
  });

  it('stop cancels what is still to come', () => {
    vi.useFakeTimers();
    const el = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
    const c = createSwarmController(() => undefined, el, () => ({ fill: 'a', border: 'b', tunnel: 'c' }));
    let done = 0;
    const arrived: string[] = [];
    c.start([packet(route, false, 'x')], { ...timing, onArrive: (e) => arrived.push(e), onDone: () => done++ }).stop();
    vi.advanceTimersByTime(1000);
    expect([done, arrived.length, el.dataset.inflight]).toEqual([0, 0, '0']);
  });
});

describe('lazy painter start', () => {
  it('opens the worker at the first start only, replaying the latest size and view first', () => {
    const got: PainterMessage[] = [];
    let opens = 0;
    const l = lazyPost(() => {
      opens++;
      return (m) => got.push(m);
    });
    l.post({ type: 'size', w: 1, h: 1, dpr: 1 });
    l.post({ type: 'view', view: { x: 0, y: 0, zoom: 1 } });
    l.post({ type: 'size', w: 2, h: 3, dpr: 1 });
    l.post({ type: 'stop' });
    l.post({ type: 'style', style: { fill: 'a', border: 'b', tunnel: 'c' } });
    expect([opens, l.opened(), got.length]).toEqual([0, false, 0]);
    const start: PainterMessage = { type: 'start', swarm: packSwarm([packet()]), timing, style: { fill: 'a', border: 'b', tunnel: 'c' } };
    l.post(start);
    expect(opens).toBe(1);
    expect(got).toEqual([{ type: 'size', w: 2, h: 3, dpr: 1 }, { type: 'view', view: { x: 0, y: 0, zoom: 1 } }, start]);
    l.post({ type: 'stop' });
    l.post({ type: 'view', view: { x: 5, y: 5, zoom: 2 } });
    expect(opens).toBe(1);
    expect(got.slice(3).map((m) => m.type)).toEqual(['stop', 'view']);
  });
});
