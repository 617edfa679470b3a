/**
 * A tiny handle for benchmarks and e2e (bench/ui-bench.mjs): start a looping fan-out of N
 * packets, read store figures. Reads and writes only UI state; the model stays in the worker.
 */
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/types';

declare global {
  interface Window {
    __hopscope?: { fanout(max: number, loop?: boolean): void; stop(): void; counts(): { flows: number; paths: number; services: number; netns: number; appliedEdit: number; compiling: boolean; compileMs: number } };
  }
}

export function installBenchHooks(store: StoreApi<AppState>): void {
  if (typeof window === 'undefined') return;
  window.__hopscope = {
    fanout: (max, loop = true) => store.setState({ fanout: { max, loop }, arrived: {}, playing: false }),
    stop: () => store.setState({ fanout: null }),
    counts: () => {
      const s = store.getState();
      return { flows: s.flows.length, paths: s.paths?.flows.length ?? 0, services: s.summary?.services?.length ?? 0, netns: s.summary?.netns.length ?? 0, appliedEdit: s.appliedEdit, compiling: s.compiling, compileMs: s.compileMs };
    },
  };
}
