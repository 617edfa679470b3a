/**
 * Share as a registered action (STYLE §12): `perform` builds the link for the scenario on screen
 * and the selected flow and hop; `copyShareLinks` (the one side effect) puts each new link on
 * the clipboard and records whether that worked, so the link stays visible to copy by hand.
 */
import type { StoreApi } from 'zustand';
import type { Action } from '../actions/registry';
import type { AppState } from '../store/types';
import { encodeShare } from './codec';

/** The page's address without query or hash: links open the playground, not a lesson. */
function baseUrl(): string {
  if (typeof location === 'undefined') return '';
  return `${location.origin}${location.pathname}`;
}

export const share: Action = {
  id: 'share',
  label: 'Share',
  enabled: (s) => s.text.length > 0,
  perform: (s) => {
    const r = encodeShare({ text: s.text, flow: s.flowIndex, hop: s.hop });
    return { shareOutcome: r.ok ? { url: `${baseUrl()}${r.hash}` } : { error: r.message } };
  },
};

export const SHARE_ACTIONS: readonly Action[] = [share];

export function copyShareLinks(store: StoreApi<AppState>): () => void {
  return store.subscribe((s, p) => {
    const o = s.shareOutcome;
    if (o === p.shareOutcome || !o?.url || o.copied !== undefined) return;
    const done = (copied: boolean) => store.getState().shareOutcome === o && store.setState({ shareOutcome: { ...o, copied } });
    const clip = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
    if (!clip) return done(false);
    clip.writeText(o.url).then(
      () => done(true),
      () => done(false),
    );
  });
}
