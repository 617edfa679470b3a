/**
 * Nothing is lost: the scenario on screen is saved to localStorage on every (debounced) edit and
 * when the page goes away, into the slot of the document being edited. The user's own scenario
 * and a scenario opened from a share link live in separate slots, so opening a link never
 * overwrites the user's work; a lesson's scenario is not saved (reopening the lesson restores it).
 *
 * Keys are versioned (STYLE §20): `.v1` holds plain text (own) and `{ text, hash }` (shared).
 */
const OWN_KEY = 'hopscope.scenario.v1';
const SHARED_KEY = 'hopscope.shared.v1';
const ACTIVE_KEY = 'hopscope.active.v1';

export type SaveSlot = 'own' | 'shared' | null;

let slot: SaveSlot = 'own';
let onScreen: (() => string) | null = null;

/**
 * Lets autosave refuse stale writes: a debounced save of text that is no longer on screen (an
 * older keystroke, or the document before a switch) must not land in the new document's slot.
 */
export function setOnScreenText(get: () => string): void {
  onScreen = get;
}

function get(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function set(key: string, value: string | null): void {
  try {
    if (value === null) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, value);
  } catch {
    // Private mode or quota: losing persistence must not break editing.
  }
}

export function loadSavedScenario(): string | null {
  return get(OWN_KEY);
}

/** The scenario last opened from a share link, with the hash it came from (edits included). */
export function loadSharedScenario(): { text: string; hash: string } | null {
  try {
    const v = JSON.parse(get(SHARED_KEY) ?? 'null') as { text?: unknown; hash?: unknown } | null;
    return v && typeof v.text === 'string' && typeof v.hash === 'string' ? { text: v.text, hash: v.hash } : null;
  } catch {
    return null;
  }
}

export function saveSharedScenario(text: string, hash: string): void {
  set(SHARED_KEY, JSON.stringify({ text, hash }));
}

/** Which document autosave writes to from now on (`null`: none, e.g. a lesson). */
export function setSaveSlot(s: SaveSlot): void {
  slot = s;
  if (s) set(ACTIVE_KEY, s);
}

export function getSaveSlot(): SaveSlot {
  return slot;
}

/** The document that was on screen when the page was last left. */
export function loadActiveSlot(): 'own' | 'shared' {
  return get(ACTIVE_KEY) === 'shared' ? 'shared' : 'own';
}

/** Per document, the last text that compiled without errors: what the canvas shows when it reopens with errors. */
const GOOD_KEYS = { own: 'hopscope.good.own.v1', shared: 'hopscope.good.shared.v1' } as const;

/** Records the active document's last good text (nothing for a lesson: it reopens from its source). */
export function saveLastGood(text: string): void {
  if (slot) set(GOOD_KEYS[slot], text);
}

/** A new document in a slot (a file opened, another link): the old one's good text is not its. */
export function forgetLastGood(s: 'own' | 'shared'): void {
  set(GOOD_KEYS[s], null);
}

/** The active document's last good text, if any. */
export function loadLastGood(): string | null {
  return slot ? get(GOOD_KEYS[slot]) : null;
}

/** Saves the text into the active slot (the user's own scenario unless told otherwise). */
export function saveScenario(text: string): void {
  if (onScreen && onScreen() !== text) return;
  if (slot === 'own') set(OWN_KEY, text);
  else if (slot === 'shared') saveSharedScenario(text, loadSharedScenario()?.hash ?? '');
}
