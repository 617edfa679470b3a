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

/** Global keyboard shortcuts from the action registry (space, arrows, d), except while typing. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const a = actionForKey(e);
      if (!a) return;
      if ((e.target as HTMLElement | null)?.tagName === 'BUTTON' && e.key === ' ') e.preventDefault();
      if (runAction(a, appStore)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
