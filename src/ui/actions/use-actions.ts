import { useEffect } from 'react';
import { appStore, useApp } from '../store/store';
import { actionForKey, runAction } from './registry';
import type { Action } from './registry';

/** Whether an action is enabled now (re-renders when that changes). */
export function useEnabled(a: Action): boolean {
  return useApp((s) => a.enabled(s));
}

export function perform(a: Action): void {
  runAction(a, appStore);
}

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable || !!el.closest?.('.monaco-editor');
}

/** A control that Space presses (the platform's own keyboard behaviour wins over the play shortcut). */
function spacePresses(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el?.closest?.('button, summary, a[href], [role="button"], [role="tab"], [role="menuitem"]');
}

/** Global keyboard shortcuts from the action registry (space, arrows, d), except while typing. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      if (e.key === ' ' && spacePresses(e.target)) return;
      const a = actionForKey(e);
      if (!a) return;
      if (runAction(a, appStore)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
