import type { StateCreator } from 'zustand';
import type { AppState, FlowsSlice, PlaybackSlice, ResultSlice, ScenarioSlice, SelectionSlice, ViewSlice } from './types';

type Slice<T> = StateCreator<AppState, [], [], T>;

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
  notice: null,
  applyLoad: (r) => set({ summary: r.summary, diagnostics: r.diagnostics, hasErrors: r.hasErrors, stale: r.stale, renderings: r.renderings, pods: r.pods, compileMs: r.compileMs, compiling: false }),
  setCompiling: (compiling) => set({ compiling }),
  setNotice: (notice) => set({ notice }),
});

export const flowsSlice: Slice<FlowsSlice> = (set, get) => ({
  flows: [],
  tallies: [],
  flowIndex: 0,
  setFlows: (flows) => set({ flows, flowIndex: Math.min(get().flowIndex, Math.max(0, flows.length - 1)), hop: 0 }),
  selectFlow: (flowIndex) => set({ flowIndex, hop: 0 }),
});

export const playbackSlice: Slice<PlaybackSlice> = (set) => ({
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
  theme: 'light',
  largeText: false,
  setDetail: (detail) => set({ detail }),
  setTheme: (theme) => set({ theme }),
  setLargeText: (largeText) => set({ largeText }),
});
