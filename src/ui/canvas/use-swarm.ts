/** Wraps the fan-out controller: when the store asks for it, every traced path flies at once. */
import { useEffect, useRef } from 'react';
import { appStore } from '../store/store';
import type { AppState } from '../store/types';
import type { FlowPaths } from '../../worker/protocol';
import type { Swarm, SwarmPacket } from '../controllers/swarm';
import type { SwarmStart } from '../controllers/swarm-painter';
import type { Point } from '../controllers/packet-animator';
import type { CanvasLayout } from './layout-types';
import { anchorFor } from './layout';

const STEP_MS = 170;
const LAUNCH_WINDOW_MS = 3000;

/** Resolves interned routes to canvas points once, merging steps that land on the same box. */
export function swarmPackets(l: CanvasLayout, paths: FlowPaths, max: number): SwarmPacket[] {
  const routes = paths.routes.map((steps) => {
    const out: SwarmPacket = { points: [], reply: [], encap: [], arriveAt: -1 };
    let lastId: string | undefined;
    steps.forEach((s) => {
      const id = anchorFor(l, s.at.includes('#') ? s.at : undefined, s.netns);
      const b = id ? l.boxes[id] : undefined;
      if (!b || id === lastId) return;
      lastId = id;
      if (s.reply && out.arriveAt < 0) out.arriveAt = Math.max(0, out.points.length - 1);
      out.points.push({ x: b.x + b.w / 2, y: b.y + b.h / 2 } satisfies Point);
      out.reply.push(!!s.reply);
      out.encap.push(!!s.encap);
    });
    if (out.arriveAt < 0) out.arriveAt = out.points.length - 1;
    return out;
  });
  return paths.flows.slice(0, max).map((f) => ({ ...routes[f.route]!, ...(f.verdict === 'delivered' && f.endpoint ? { endpoint: f.endpoint } : {}) }));
}

/** `start` flies packets (the painter worker's, or DOM dots'); null until the layer is mounted. */
export function useSwarm(start: SwarmStart | null, layout: CanvasLayout | null): void {
  const lref = useRef(layout);
  lref.current = layout;
  useEffect(() => {
    if (!start) return;
    let swarm: Swarm | null = null;
    let pending: Record<string, number> = {};
    let flush: ReturnType<typeof setTimeout> | undefined;
    const arrive = (ep: string) => {
      pending[ep] = (pending[ep] ?? 0) + 1;
      flush ??= setTimeout(() => {
        const arrived = { ...appStore.getState().arrived };
        for (const [k, v] of Object.entries(pending)) arrived[k] = (arrived[k] ?? 0) + v;
        pending = {};
        flush = undefined;
        appStore.setState({ arrived });
      }, 150);
    };
    const sync = (s: AppState, p?: AppState) => {
      if (s.fanout === p?.fanout && s.paths === p?.paths) return;
      swarm?.stop();
      swarm = null;
      const l = lref.current;
      if (!s.fanout || !s.paths || !l) return;
      const packets = swarmPackets(l, s.paths, s.fanout.max);
      const stagger = Math.min(60, LAUNCH_WINDOW_MS / Math.max(1, packets.length));
      swarm = start(packets, { stepMs: STEP_MS, staggerMs: stagger, loop: s.fanout.loop, onArrive: arrive, onDone: () => appStore.setState({ fanout: null }) });
    };
    sync(appStore.getState());
    const unsub = appStore.subscribe(sync);
    return () => {
      unsub();
      clearTimeout(flush);
      swarm?.stop();
    };
  }, [start]);
}
