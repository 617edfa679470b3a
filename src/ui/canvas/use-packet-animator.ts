/** Wraps the packet animator controller: feeds it positions and keeps it in step with the store. */
import { useEffect, useRef } from 'react';
import { useReactFlow } from '@xyflow/react';
import { appStore } from '../store/store';
import { selectHops } from '../store/selectors';
import { createPacketAnimator } from '../controllers/packet-animator';
import type { PacketAnimator, Point } from '../controllers/packet-animator';
import type { CanvasLayout } from './layout-types';
import { anchorFor } from './layout';

export const prefersReducedMotion = (): boolean => typeof matchMedia !== 'undefined' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Centre of the canvas node a hop sits on, from React Flow's internal positions (layout as fallback). */
export function useHopPoint(layout: CanvasLayout | null): (i: number) => Point | null {
  const rf = useReactFlow();
  const ref = useRef(layout);
  ref.current = layout;
  return (i) => {
    const l = ref.current;
    const h = selectHops(appStore.getState())[i]?.hop;
    const id = l && h ? anchorFor(l, h.deviceId, h.netns) : undefined;
    if (!l || !id) return null;
    const n = rf.getInternalNode(id);
    const box = l.boxes[id]!;
    const pos = n?.internals.positionAbsolute ?? box;
    return { x: pos.x + (n?.measured.width ?? box.w) / 2, y: pos.y + (n?.measured.height ?? box.h) / 2 };
  };
}

/** `el` arrives through a callback ref: ViewportPortal mounts its children only once React Flow's viewport exists. */
export function usePacketAnimator(el: HTMLDivElement | null, layout: CanvasLayout | null): void {
  const pointAt = useHopPoint(layout);
  const anim = useRef<PacketAnimator | null>(null);
  const pointRef = useRef(pointAt);
  pointRef.current = pointAt;

  useEffect(() => {
    if (!el) return;
    const a = createPacketAnimator({
      el,
      pointAt: (i) => pointRef.current(i),
      count: () => selectHops(appStore.getState()).length,
      onHop: (i) => appStore.setState({ hop: i }),
      onEnd: () => appStore.setState({ playing: false }),
      reducedMotion: prefersReducedMotion,
    });
    anim.current = a;
    const sync = (s = appStore.getState(), prev?: typeof s) => {
      if (s.hop !== a.current() || s.flows !== prev?.flows || s.flowIndex !== prev?.flowIndex) a.seek(s.hop);
      if (s.speed !== prev?.speed) a.setSpeed(s.speed);
      if (s.playing === prev?.playing && s.flows === prev?.flows) return;
      if (s.playing) a.play(s.speed);
      else a.pause();
    };
    sync();
    const unsub = appStore.subscribe((s, p) => sync(s, p));
    return () => {
      unsub();
      a.destroy();
    };
  }, [el]);

  // A new layout (detail toggle, recompile) moves the devices: put the packet where it belongs.
  useEffect(() => {
    const id = requestAnimationFrame(() => anim.current?.seek(appStore.getState().hop));
    return () => cancelAnimationFrame(id);
  }, [layout]);
}
