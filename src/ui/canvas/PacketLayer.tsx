/** The packet overlay: one absolutely positioned element moved by `transform`, plus a ring on the hop's device. */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ViewportPortal, useStore, useStoreApi } from '@xyflow/react';
import { appStore, useApp } from '../store/store';
import { selectCurrentHop, selectFlow } from '../store/selectors';
import { describePacket, isDropHop, isNatHop } from '../packet/describe';
import type { CanvasLayout } from './layout-types';
import { anchorFor } from './layout';
import { prefersReducedMotion, usePacketAnimator } from './use-packet-animator';
import { glide } from '../controllers/ring-glide';
import { useSwarm } from './use-swarm';
import { startSwarm } from '../controllers/swarm';
import { canPaintOffscreen, createSwarmPainter } from '../controllers/swarm-painter';
import type { SwarmPainter, SwarmStart } from '../controllers/swarm-painter';

function PacketBadge() {
  const cur = useApp(selectCurrentHop);
  const flow = useApp(selectFlow);
  const hopCount = useApp((s) => (s.flows[s.flowIndex]?.flow?.hops.length ?? 0) + (s.flows[s.flowIndex]?.flow?.reply?.hops.length ?? 0));
  if (!cur) return null;
  const d = describePacket(cur.hop.packet);
  const last = cur.i === hopCount - 1;
  const dropped = isDropHop(cur.hop) || (last && flow?.flow?.verdict === 'dropped');
  const cls = `hs-packet hs-proto-${d.proto}${cur.dir === 'reply' ? ' hs-reply' : ''}${isNatHop(cur.hop) ? ' hs-nat' : ''}${dropped ? ' hs-dropped' : ''}`;
  return (
    <div className={cls} data-testid="packet">
      {d.outer ? (
        <div className="hs-envelope">
          <span className="hs-envelope-label">{d.outer}</span>
          <span className="hs-inner">{d.inner}</span>
        </div>
      ) : (
        <span className="hs-inner">{d.inner}</span>
      )}
      {dropped && <span className="hs-drop-marker">✕ dropped: {flow?.flow?.reason ?? cur.hop.stage}</span>}
    </div>
  );
}

/** A ring on the hop's device; it glides there from the previous device (ring-glide.ts). */
function HopRing({ layout }: { layout: CanvasLayout }) {
  const cur = useApp(selectCurrentHop);
  const id = cur ? anchorFor(layout, cur.hop.deviceId, cur.hop.netns) : undefined;
  const box = id ? layout.boxes[id] : undefined;
  const transform = box ? `translate(${box.x - 4}px, ${box.y - 4}px)` : null;
  const el = useRef<HTMLDivElement>(null);
  const last = useRef<string | null>(null);
  useLayoutEffect(() => {
    const ring = el.current;
    if (ring && transform) glide(ring, last.current, transform, { reduced: prefersReducedMotion(), now: () => getComputedStyle(ring).transform });
    last.current = transform;
  }, [transform]);
  if (!box || !transform) return null;
  return <div ref={el} className="hs-ring" style={{ transform, width: box.w + 8, height: box.h + 8 }} />;
}

export const PacketLayer = memo(function PacketLayer({ layout }: { layout: CanvasLayout }) {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const fanout = useApp((s) => s.fanout !== null);
  usePacketAnimator(el, layout);
  return (
    <ViewportPortal>
      {!fanout && <HopRing layout={layout} />}
      <div ref={setEl} className="hs-packet-pos" hidden={fanout}>
        <PacketBadge />
      </div>
    </ViewportPortal>
  );
});

/**
 * The fan-out's layer with DOM dots (browsers without OffscreenCanvas): a sibling of React
 * Flow's viewport rather than a child, following its transform (updated only when the view pans
 * or zooms). Inside the viewport, every moving dot overlapped the node layers it crossed, and the
 * main thread's share grew with the node count (measured: ~20 % at 350 nodes with 50 dots);
 * above it, the dots composite on their own.
 */
function DomSwarmLayer({ layout }: { layout: CanvasLayout }) {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const transform = useStore((s) => `translate(${s.transform[0]}px, ${s.transform[1]}px) scale(${s.transform[2]})`);
  const start = useMemo<SwarmStart | null>(() => (el ? (packets, o) => startSwarm(packets, { ...o, layer: el }) : null), [el]);
  useSwarm(start, layout);
  return (
    <div className="hs-swarm-clip">
      <div ref={setEl} className="hs-swarm" data-testid="fanout" style={{ transform }} />
    </div>
  );
}

/** Painters by canvas: a canvas is handed to its worker once, and StrictMode mounts effects twice. */
const painters = new WeakMap<HTMLCanvasElement, { painter: SwarmPainter; refs: number }>();

function acquirePainter(canvas: HTMLCanvasElement): SwarmPainter {
  const held = painters.get(canvas) ?? { painter: createSwarmPainter(canvas), refs: 0 };
  held.refs++;
  painters.set(canvas, held);
  return held.painter;
}

function releasePainter(canvas: HTMLCanvasElement): void {
  const held = painters.get(canvas);
  if (!held) return;
  held.refs--;
  // Let a remount that follows at once (StrictMode, a moved subtree) take it back first.
  setTimeout(() => {
    if (held.refs > 0 || painters.get(canvas) !== held) return;
    painters.delete(canvas);
    held.painter.destroy();
  }, 0);
}

/**
 * The fan-out's layer drawn by a worker on an OffscreenCanvas (swarm-painter.worker.ts): the
 * main thread tells it the layer's size and React Flow's viewport when they change, and nothing
 * per frame.
 */
function PaintedSwarmLayer({ layout }: { layout: CanvasLayout }) {
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);
  const [painter, setPainter] = useState<SwarmPainter | null>(null);
  const rf = useStoreApi();
  useEffect(() => {
    if (!canvas) return;
    const p = acquirePainter(canvas);
    const follow = (s: ReturnType<typeof rf.getState>, prev?: ReturnType<typeof rf.getState>) => {
      if (s.width !== prev?.width || s.height !== prev?.height) p.setSize(s.width, s.height, window.devicePixelRatio || 1);
      const [x, y, zoom] = s.transform;
      if (!prev || x !== prev.transform[0] || y !== prev.transform[1] || zoom !== prev.transform[2]) p.setView({ x, y, zoom });
    };
    follow(rf.getState());
    const unsub = rf.subscribe(follow);
    // The theme's colours apply once the new theme is on the document (the app sets it in an effect).
    let restyle = 0;
    const unsubTheme = appStore.subscribe((s, prev) => {
      if (s.theme === prev.theme) return;
      cancelAnimationFrame(restyle);
      restyle = requestAnimationFrame(() => p.restyle());
    });
    setPainter(p);
    return () => {
      unsub();
      unsubTheme();
      cancelAnimationFrame(restyle);
      setPainter(null);
      releasePainter(canvas);
    };
  }, [canvas, rf]);
  useSwarm(painter ? painter.start : null, layout);
  return (
    <div className="hs-swarm-clip">
      <canvas ref={setCanvas} className="hs-swarm-canvas" data-testid="fanout" />
    </div>
  );
}

const PAINTED = canPaintOffscreen();

/** The fan-out: every traced path at once, each packet a dot flying along its hops. */
export const SwarmLayer = memo(function SwarmLayer({ layout }: { layout: CanvasLayout }) {
  return PAINTED ? <PaintedSwarmLayer layout={layout} /> : <DomSwarmLayer layout={layout} />;
});
