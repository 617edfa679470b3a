import { createStore, useStore } from 'zustand';
import type { StoreApi } from 'zustand';
import { flowsSlice, playbackSlice, resultSlice, scenarioSlice, selectionSlice, viewSlice } from './slices';
import type { AppState } from './types';

export function createAppStore(init: Partial<AppState> = {}): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...scenarioSlice(...a),
    ...resultSlice(...a),
    ...flowsSlice(...a),
    ...playbackSlice(...a),
    ...selectionSlice(...a),
    ...viewSlice(...a),
    ...init,
  }));
}

/** The app's one store; components read it through narrow selectors. */
export const appStore = createAppStore();

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
