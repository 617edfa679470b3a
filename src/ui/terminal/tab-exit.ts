/**
 * Leaving the terminal with the keyboard. In the terminal Tab completes (as in a real shell), so
 * without a way out a keyboard user who Tabs into it can never Tab out again (a keyboard trap,
 * WCAG 2.1.2). The editor's convention applies: Escape, then Tab or Shift+Tab, moves the focus on;
 * any other key in between cancels it, so Tab keeps completing.
 */

/** The part of a KeyboardEvent the decision needs (xterm hands its handler the DOM event). */
export interface KeyLike {
  type: string;
  key: string;
}

/**
 * A handler for xterm's `attachCustomKeyEventHandler`: true lets xterm take the key, false leaves
 * it to the browser (whose default for Tab moves the focus).
 */
export function createTabExit(): (e: KeyLike) => boolean {
  let escaped = false;
  return (e) => {
    if (e.type !== 'keydown') return true;
    if (e.key === 'Tab' && escaped) {
      escaped = false;
      return false;
    }
    // Shift on its own (on the way to Shift+Tab) neither arms nor cancels.
    if (e.key !== 'Shift') escaped = e.key === 'Escape';
    return true;
  };
}
