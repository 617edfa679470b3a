/**
 * The dock under the canvas for the terminal, the compare view and the Reachability view: a toggle button each and,
 * when one is open, its panel — each loaded lazily so xterm and the shell stay out of the first
 * paint.
 */
import { lazy, Suspense, useState } from 'react';
import './terminal.css';

const TerminalPanel = lazy(() => import('./TerminalPanel'));
const ComparePanel = lazy(() => import('../compare/ComparePanel'));
// issue 8: the Reachability view
const ReachPanel = lazy(() => import('../reach/ReachPanel'));

type Open = 'terminal' | 'compare' | 'reach' | null;

const PANEL_LABEL = { terminal: 'Terminal panel', compare: 'Compare panel', reach: 'Reachability panel' } as const;

export function ToolDock() {
  const [open, setOpen] = useState<Open>(null);
  const toggle = (which: Exclude<Open, null>) => setOpen((o) => (o === which ? null : which));
  return (
    <>
      <div className={`hs-dock-buttons${open ? ' hs-dock-open' : ''}`}>
        <button type="button" aria-pressed={open === 'terminal'} onClick={() => toggle('terminal')}>
          Terminal
        </button>
        <button type="button" aria-pressed={open === 'compare'} onClick={() => toggle('compare')}>
          Compare
        </button>
        <button type="button" aria-pressed={open === 'reach'} onClick={() => toggle('reach')}>
          Reachability
        </button>
      </div>
      {open && (
        <section className="hs-dock" aria-label={PANEL_LABEL[open]}>
          <Suspense fallback={<p className="hs-dock-loading">Loading…</p>}>{open === 'terminal' ? <TerminalPanel /> : open === 'compare' ? <ComparePanel /> : <ReachPanel />}</Suspense>
        </section>
      )}
    </>
  );
}
