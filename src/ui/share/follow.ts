/**
 * The canvas follows a share link or a lesson: when traced flows arrive, select the flow and hop
 * the link asked for, or the open lesson step's. Applied after the bridge has finished writing
 * its result (a microtask later), so its first-load autoplay does not run past the selection.
 */
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/types';
import { resolveStep } from '../../lessons/resolve';

/** The store patch that shows a flow and hop (clamped to what exists), paused and centred. */
export function selectPatch(s: AppState, flow: number, hop: number): Partial<AppState> {
  const f = Math.max(0, Math.min(flow, s.flows.length - 1));
  const e = s.flows[f];
  const n = e?.flow ? e.flow.hops.length + (e.flow.reply?.hops.length ?? 0) : 0;
  return { flowIndex: f, hop: Math.max(0, Math.min(hop, n - 1)), playing: false, focusNonce: s.focusNonce + 1 };
}

/** The selection for the open lesson's current step, or nothing when it cannot be resolved. */
export function lessonPatch(s: AppState, step = s.lessonStep): Partial<AppState> {
  const st = s.lesson?.steps[step];
  if (!st) return {};
  const t = resolveStep(st, s.flows);
  return t.ok ? selectPatch(s, t.flow, t.hop) : { playing: false };
}

export function followSelections(store: StoreApi<AppState>): () => void {
  return store.subscribe((s, p) => {
    if (s.flows === p.flows || s.flows.length === 0) return;
    queueMicrotask(() => {
      const now = store.getState();
      if (now.flows !== s.flows) return;
      if (now.pendingSelect) store.setState({ ...selectPatch(now, now.pendingSelect.flow, now.pendingSelect.hop), pendingSelect: null });
      else if (now.lesson && now.source === 'lesson') store.setState(lessonPatch(now));
    });
  });
}
