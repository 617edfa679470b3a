/**
 * Which document is on screen and what the share machinery has to say (STYLE §10: UI state
 * only). The user's own scenario and a shared one are both kept (see `persist.ts`); `source`
 * says which one the editor shows.
 */
import type { StateCreator } from 'zustand';
import type { AppState } from '../store/types';

export type DocSource = 'own' | 'shared' | 'lesson';

export interface ShareOutcome {
  url?: string;
  copied?: boolean;
  error?: string;
}

export interface WorkspaceSlice {
  source: DocSource;
  /** A scenario opened from a link is kept and can be switched back to. */
  hasShared: boolean;
  /** A link or file that could not be opened, in a sentence; the user's text is untouched. */
  openError: string | null;
  /** The last Share press: the link (and whether it reached the clipboard) or why not. */
  shareOutcome: ShareOutcome | null;
  /** Flow and hop to select once the next traced flows arrive (share links, lessons). */
  pendingSelect: { flow: number; hop: number } | null;
  setOpenError(e: string | null): void;
}

export const workspaceSlice: StateCreator<AppState, [], [], WorkspaceSlice> = (set) => ({
  source: 'own',
  hasShared: false,
  openError: null,
  shareOutcome: null,
  pendingSelect: null,
  setOpenError: (openError) => set({ openError }),
});
