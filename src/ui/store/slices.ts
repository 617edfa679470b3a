import type { StateCreator } from 'zustand';
import type { FlowEntry } from '../../worker/protocol';
import type { AppState, FlowsSlice, PlaybackSlice, ResultSlice, ScenarioSlice, SelectionSlice, ViewSlice } from './types';

type Slice<T> = StateCreator<AppState, [], [], T>;

/** Hops of a flow, request then reply (the same order as selectHops). */
function hopKeys(f: FlowEntry | undefined): string[] {
  const hs = [...(f?.flow?.hops ?? []), ...(f?.flow?.reply?.hops ?? [])];
  return hs.map((h) => `${h.stage}@${h.deviceId ?? h.netns}`);
}

/**
 * After a recompile, stay on the same flow (same from, to and repetition) and the same hop (same
 * stage at the same place, the nearest occurrence to where we were) when they still exist.
 */
export function keepSelection(s: Pick<AppState, 'flows' | 'flowIndex' | 'hop'>, flows: FlowEntry[]): Pick<AppState, 'flows' | 'flowIndex' | 'hop'> {
  const old = s.flows[s.flowIndex];
  const idx = old ? flows.findIndex((f) => f.from === old.from && f.to === old.to && f.index === old.index) : -1;
  if (idx < 0) return { flows, flowIndex: Math.min(s.flowIndex, Math.max(0, flows.length - 1)), hop: 0 };
  const key = hopKeys(old)[s.hop];
  const keys = hopKeys(flows[idx]);
  let hop = 0;
  let best = Number.POSITIVE_INFINITY;
  keys.forEach((k, i) => {
    if (k === key && Math.abs(i - s.hop) < best) {
      best = Math.abs(i - s.hop);
      hop = i;
    }
  });
  return { flows, flowIndex: idx, hop };
}

export const scenarioSlice: Slice<ScenarioSlice> = (set) => ({
  text: '',
  setText: (text) => set({ text }),
});

export const resultSlice: Slice<ResultSlice> = (set) => ({
  summary: null,
  diagnostics: [],
  hasErrors: false,
  stale: false,
  renderings: {},
  pods: '',
  compiling: false,
  compileMs: 0,
  appliedEdit: 0,
  notice: null,
  applyLoad: (r) => set({ summary: r.summary, diagnostics: r.diagnostics, hasErrors: r.hasErrors, stale: r.stale, renderings: r.renderings, pods: r.pods, compileMs: r.compileMs, compiling: false }),
  setCompiling: (compiling) => set({ compiling }),
  setNotice: (notice) => set({ notice }),
});

export const flowsSlice: Slice<FlowsSlice> = (set, get) => ({
  flows: [],
  tallies: [],
  paths: null,
  flowIndex: 0,
  setFlows: (flows) => set(keepSelection(get(), flows)),
  selectFlow: (flowIndex) => set({ flowIndex, hop: 0 }),
});

export const playbackSlice: Slice<PlaybackSlice> = (set) => ({
  fanout: null,
  arrived: {},
  hop: 0,
  playing: false,
  speed: 1,
  setHop: (hop) => set({ hop }),
  setPlaying: (playing) => set({ playing }),
  setSpeed: (speed) => set({ speed }),
});

export const selectionSlice: Slice<SelectionSlice> = (set) => ({
  selected: null,
  tab: 'packet',
  select: (selected) => set(selected ? { selected, tab: 'details' } : { selected }),
  focusNonce: 0,
  focusHop: (hop) => set((s) => ({ hop, playing: false, focusNonce: s.focusNonce + 1 })),
  setTab: (tab) => set({ tab }),
});

export const viewSlice: Slice<ViewSlice> = (set) => ({
  detail: 'detail',
  systemPods: false,
  setSystemPods: (systemPods) => set({ systemPods }),
  theme: 'light',
  largeText: false,
  setDetail: (detail) => set({ detail }),
  setTheme: (theme) => set({ theme }),
  setLargeText: (largeText) => set({ largeText }),
});
