/**
 * User commands as registered actions (STYLE §12): buttons, keyboard shortcuts and tests share
 * one definition with a name, an accessible label, a shortcut test, an enabled predicate and a
 * `perform(state) → patch`.
 */
import { selectHops } from '../store/selectors';
import type { AppState } from '../store/types';

export interface Action {
  id: string;
  label: string;
  shortcut?: (e: KeyboardEvent) => boolean;
  enabled: (s: AppState) => boolean;
  perform: (s: AppState) => Partial<AppState>;
}

export const SPEEDS = [0.5, 1, 2, 4] as const;

const hasHops = (s: AppState) => selectHops(s).length > 0;
const last = (s: AppState) => selectHops(s).length - 1;
const plain = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;

export const play: Action = {
  id: 'play',
  label: 'Play',
  enabled: (s) => hasHops(s) && !s.playing,
  perform: (s) => ({ playing: true, hop: s.hop >= last(s) ? 0 : s.hop }),
};

export const pause: Action = { id: 'pause', label: 'Pause', enabled: (s) => s.playing, perform: () => ({ playing: false }) };

export const togglePlay: Action = {
  id: 'togglePlay',
  label: 'Play or pause',
  shortcut: (e) => e.key === ' ' && plain(e),
  enabled: hasHops,
  perform: (s) => (s.playing ? pause.perform(s) : play.perform(s)),
};

export const stepForward: Action = {
  id: 'stepForward',
  label: 'Step forward',
  shortcut: (e) => e.key === 'ArrowRight' && plain(e),
  enabled: (s) => hasHops(s) && s.hop < last(s),
  perform: (s) => ({ playing: false, hop: Math.min(s.hop + 1, last(s)) }),
};

export const stepBack: Action = {
  id: 'stepBack',
  label: 'Step back',
  shortcut: (e) => e.key === 'ArrowLeft' && plain(e),
  enabled: (s) => hasHops(s) && s.hop > 0,
  perform: (s) => ({ playing: false, hop: Math.max(s.hop - 1, 0) }),
};

export const cycleSpeed: Action = {
  id: 'speed',
  label: 'Speed',
  enabled: () => true,
  perform: (s) => ({ speed: SPEEDS[(SPEEDS.indexOf(s.speed as (typeof SPEEDS)[number]) + 1) % SPEEDS.length] }),
};

export const toggleDetail: Action = {
  id: 'toggleDetail',
  label: 'Detail level',
  shortcut: (e) => e.key === 'd' && plain(e),
  enabled: () => true,
  perform: (s) => ({ detail: s.detail === 'detail' ? 'overview' : 'detail' }),
};

export const ACTIONS: Action[] = [play, pause, togglePlay, stepForward, stepBack, cycleSpeed, toggleDetail];

/** Adds actions defined elsewhere (share, lessons) to the registry; shortcuts then work too. */
export function registerActions(actions: readonly Action[]): void {
  for (const a of actions) if (!ACTIONS.includes(a)) ACTIONS.push(a);
}

/** Runs an action against a store if it is enabled; returns whether it ran. */
export function runAction(action: Action, store: { getState(): AppState; setState(p: Partial<AppState>): void }): boolean {
  const s = store.getState();
  if (!action.enabled(s)) return false;
  store.setState(action.perform(s));
  return true;
}

/** The action whose shortcut matches a key event, if any. */
export function actionForKey(e: KeyboardEvent): Action | undefined {
  return ACTIONS.find((a) => a.shortcut?.(e));
}
