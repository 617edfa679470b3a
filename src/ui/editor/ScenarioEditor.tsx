/**
 * The scenario editor: a plain textarea labelled "Scenario" at once, replaced by Monaco when
 * it has loaded lazily; the core's diagnostics listed below (and as Monaco markers).
 */
import { useRef } from 'react';
import { useApp } from '../store/store';
import { useMonaco } from './use-monaco';
import { revealInEditor } from './reveal';

export function ScenarioEditor({ onEdit }: { onEdit: (text: string) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const ready = useMonaco(host, onEdit);
  return (
    <div className="hs-editor">
      {/* nokey: React Flow's Space (pan) key handler would otherwise swallow spaces typed into Monaco's EditContext. */}
      <div ref={host} className="hs-monaco nokey" hidden={!ready} data-testid="monaco-host" />
      {!ready && <PlainEditor onEdit={onEdit} />}
      <Diagnostics hint={ready} />
    </div>
  );
}

/** The textarea shown until Monaco has loaded; only it follows the text, so a keystroke in Monaco re-renders nothing here. */
function PlainEditor({ onEdit }: { onEdit: (text: string) => void }) {
  const text = useApp((s) => s.text);
  return <textarea className="hs-plain-editor" aria-label="Scenario" spellCheck={false} value={text} onChange={(e) => onEdit(e.target.value)} />;
}

function Diagnostics({ hint }: { hint: boolean }) {
  const diags = useApp((s) => s.diagnostics);
  const stale = useApp((s) => s.stale);
  const compiling = useApp((s) => s.compiling);
  return (
    <section className="hs-diagnostics" aria-label="Diagnostics">
      <p className="hs-status" role="status">
        {diags.length === 0 ? (compiling ? 'Compiling…' : 'No problems.') : `${diags.filter((d) => d.severity === 'error').length} error(s), ${diags.filter((d) => d.severity !== 'error').length} warning(s)${stale ? ' — the canvas shows the last good model' : ''}`}
      </p>
      <ul role="list" className="hs-scroll">
        {diags.map((d, k) => (
          <li key={k} className={`hs-diag hs-${d.severity}`}>
            {/* A link to the place: the cursor goes there, in view. */}
            <button type="button" onClick={() => revealInEditor(d.pos.line, d.pos.col)}>
              <span className="hs-pos">
                {d.pos.line}:{d.pos.col}
              </span>{' '}
              {d.severity}: {d.message}
            </button>
          </li>
        ))}
      </ul>
      {hint && <p className="hs-editor-hint hs-muted">Esc then Tab leaves the editor.</p>}
    </section>
  );
}
