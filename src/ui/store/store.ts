import { createStore, useStore } from 'zustand';
import type { StoreApi } from 'zustand';
import { flowsSlice, playbackSlice, resultSlice, scenarioSlice, selectionSlice, viewSlice } from './slices';
import type { AppState } from './types';
import { workspaceSlice } from '../share/workspace-slice';
import { lessonSlice } from '../lessons/lesson-slice';
import { reachSlice } from '../reach/reach-slice'; // issue 8: Reachability view

export function createAppStore(init: Partial<AppState> = {}): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...scenarioSlice(...a),
    ...resultSlice(...a),
    ...flowsSlice(...a),
    ...playbackSlice(...a),
    ...selectionSlice(...a),
    ...viewSlice(...a),
    ...workspaceSlice(...a),
    ...lessonSlice(...a),
    ...reachSlice(...a),
    ...init,
  }));
}

/** The app's one store; components read it through narrow selectors. */
export const appStore = createAppStore();

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
