/** The user's scenario survives reloads: saved to localStorage on every (debounced) edit. */
const KEY = 'hopscope.scenario.v1';

export function loadSavedScenario(): string | null {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
}

export function saveScenario(text: string): void {
  try {
    globalThis.localStorage?.setItem(KEY, text);
  } catch {
    // Private mode or quota: losing persistence must not break editing.
  }
}
