/**
 * The documents on screen (STYLE §11: a small controller, no React): the user's own autosaved
 * scenario, a scenario opened from a share link, and a lesson's scenario. Opening a link or a
 * lesson puts that document beside the user's own — switching back is one click — and a link
 * that cannot be read leaves the editor exactly as it was, with a message saying why.
 */
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/types';
import type { DocSource } from './workspace-slice';
import { decodeShare, encodeShare, hasSharedScenario } from './codec';
import { forgetLastGood, loadActiveSlot, loadSavedScenario, loadSharedScenario, saveScenario, saveSharedScenario, setOnScreenText, setSaveSlot } from '../persist';

export interface Loader {
  /** Puts text in the editor and compiles it now. */
  show(text: string): void;
}

export interface Workspace {
  /** Opens what the URL asks for, else the document that was on screen last time. */
  boot(loc: { hash: string }, fallback: string): void;
  /** Opens a share hash (from a link, a paste or a hashchange). */
  openHash(hash: string): boolean;
  switchTo(source: Exclude<DocSource, 'lesson'>): void;
  /** Opens text from a file as the user's own scenario (the previous own text is replaced). */
  openText(text: string, name: string): void;
  /** Shows a lesson's scenario; the user's own work stays saved. */
  showLesson(text: string): void;
  /** Leaves a lesson for the user's own scenario. */
  leaveLesson(): void;
  /** The share URL for the scenario on screen and the selected flow and hop. */
  shareUrl(base: string): { url: string } | { error: string };
  /** Saves the text on screen now (page hide). */
  flush(): void;
}

export function createWorkspace(store: StoreApi<AppState>, loader: Loader, fallbackText: () => string): Workspace {
  const own = () => loadSavedScenario() ?? fallbackText();
  setOnScreenText(() => store.getState().text);

  /** The document on screen; null until the first one is shown (nothing to save before that). */
  let current: DocSource | null = null;
  /** Saves the text on screen into its own slot before another document replaces it. */
  function keep(): void {
    if (current === 'own' || current === 'shared') saveScenario(store.getState().text);
  }

  function show(source: DocSource, text: string, select: { flow: number; hop: number } | null = null): void {
    current = source;
    setSaveSlot(source === 'lesson' ? null : source);
    store.setState({ source, pendingSelect: select, hasShared: loadSharedScenario() !== null });
    loader.show(text);
  }

  function openHash(hash: string): boolean {
    const r = decodeShare(hash);
    if (!r.ok) {
      store.setState({ openError: `This share link could not be opened: ${r.message} Your own scenario is unchanged.` });
      return false;
    }
    const prev = loadSharedScenario();
    // Reloading the same link keeps the edits made to the shared copy since.
    const text = prev && prev.hash === hash ? prev.text : r.value.text;
    if (!prev || prev.hash !== hash) forgetLastGood('shared');
    if (current === 'own') keep();
    saveSharedScenario(text, hash);
    store.setState({ openError: null });
    const sel = r.value.flow !== undefined || r.value.hop !== undefined ? { flow: r.value.flow ?? 0, hop: r.value.hop ?? 0 } : null;
    show('shared', text, sel);
    return true;
  }

  return {
    boot(loc, fallback) {
      if (hasSharedScenario(loc.hash) && openHash(loc.hash)) return;
      const shared = loadSharedScenario();
      if (loadActiveSlot() === 'shared' && shared) show('shared', shared.text);
      else show('own', loadSavedScenario() ?? fallback);
    },
    openHash,
    switchTo(source) {
      const s = store.getState();
      store.setState({ openError: null });
      if (s.source === source) return;
      keep();
      if (source === 'shared') {
        const shared = loadSharedScenario();
        if (shared) show('shared', shared.text);
      } else {
        clearHash();
        show('own', own());
      }
    },
    openText(text, name) {
      keep();
      clearHash();
      forgetLastGood('own');
      show('own', text);
      saveScenario(text);
      store.setState({ notice: `Opened ${name} as your scenario.` });
    },
    showLesson(text) {
      keep();
      show('lesson', text);
    },
    leaveLesson() {
      show('own', own());
    },
    shareUrl(base) {
      const s = store.getState();
      const r = encodeShare({ text: s.text, flow: s.flowIndex, hop: s.hop });
      return r.ok ? { url: `${base}${r.hash}` } : { error: r.message };
    },
    flush: keep,
  };
}

function clearHash(): void {
  if (typeof location === 'undefined' || !location.hash) return;
  history.replaceState(null, '', location.pathname + location.search);
}
