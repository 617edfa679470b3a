import type { KeyboardEvent } from 'react';

/** A popover's key handler: Escape closes it and puts focus back on the control that opened it. */
export function closeOnEscape(close: () => void, opener: { readonly current: HTMLElement | null }) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    // Not the window's shortcuts too (Escape also leaves presentation mode).
    e.stopPropagation();
    close();
    opener.current?.focus();
  };
}
