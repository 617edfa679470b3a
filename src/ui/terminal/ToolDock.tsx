/**
 * The dock under the canvas for the terminal and the compare view: two toggle buttons and,
 * when one is open, its panel — each loaded lazily so xterm and the shell stay out of the first
 * paint.
 */
import { lazy, Suspense, useState } from 'react';
import './terminal.css';

const TerminalPanel = lazy(() => import('./TerminalPanel'));
const ComparePanel = lazy(() => import('../compare/ComparePanel'));

type Open = 'terminal' | 'compare' | null;

export function ToolDock() {
  const [open, setOpen] = useState<Open>(null);
  const toggle = (which: Exclude<Open, null>) => setOpen((o) => (o === which ? null : which));
  return (
    <>
      <div className="hs-dock-buttons">
        <button type="button" aria-pressed={open === 'terminal'} onClick={() => toggle('terminal')}>
          Terminal
        </button>
        <button type="button" aria-pressed={open === 'compare'} onClick={() => toggle('compare')}>
          Compare
        </button>
      </div>
      {open && (
        <section className="hs-dock" aria-label={open === 'terminal' ? 'Terminal panel' : 'Compare panel'}>
          <Suspense fallback={<p className="hs-dock-loading">Loading…</p>}>{open === 'terminal' ? <TerminalPanel /> : <ComparePanel />}</Suspense>
        </section>
      )}
    </>
  );
}
