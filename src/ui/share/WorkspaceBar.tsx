/**
 * The top bar's document tools: which scenario is on screen (yours, the shared one, a lesson),
 * Share, the File menu (open, save, export PNG/SVG), and the message when a link, file or lesson
 * could not be opened.
 */
import { useEffect, useRef, useState } from 'react';
import { appStore, useApp } from '../store/store';
import { perform } from '../actions/use-actions';
import { closeOnEscape } from '../actions/close-on-escape';
import { share } from './actions';
import { getServices } from './services';
import { download, fileBase, openFile, saveYaml } from './files';
import { exportPng, exportSvg, findCanvas } from './export-canvas';
import './share.css';

function DocSwitch() {
  const source = useApp((s) => s.source);
  const hasShared = useApp((s) => s.hasShared);
  const lesson = useApp((s) => s.lesson);
  if (!hasShared && source === 'own') return null;
  const ws = getServices().workspace;
  return (
    <div className="hs-docswitch" role="group" aria-label="Scenario on screen">
      <button type="button" aria-pressed={source === 'own'} onClick={() => (source === 'lesson' ? getServices().lessons.close() : ws.switchTo('own'))}>
        Your scenario
      </button>
      {hasShared && (
        <button type="button" aria-pressed={source === 'shared'} onClick={() => ws.switchTo('shared')}>
          Shared scenario
        </button>
      )}
      {source === 'lesson' && lesson && <button type="button" aria-pressed="true">Lesson</button>}
    </div>
  );
}

function ShareButton() {
  const outcome = useApp((s) => s.shareOutcome);
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => input.current?.select(), [outcome]);
  return (
    <div className="hs-share">
      <button ref={opener} type="button" onClick={() => perform(share)} title="Copy a link to this scenario and the selected hop">
        Share
      </button>
      {outcome && (
        <div className="hs-popover" role="dialog" aria-label="Share link" onKeyDown={closeOnEscape(() => appStore.setState({ shareOutcome: null }), opener)}>
          {outcome.error ? (
            <p role="alert">{outcome.error}</p>
          ) : (
            <>
              <p role="status">{outcome.copied ? 'Link copied to the clipboard.' : 'Copy this link:'}</p>
              <input ref={input} readOnly aria-label="Share link" value={outcome.url ?? ''} onFocus={(e) => e.currentTarget.select()} />
            </>
          )}
          <button type="button" onClick={() => appStore.setState({ shareOutcome: null })}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}

function FileMenu() {
  const picker = useRef<HTMLInputElement>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const summary = useRef<HTMLElement>(null);
  const [busy, setBusy] = useState(false);
  const fail = (m: string) => appStore.setState({ openError: m });
  const close = () => menu.current?.removeAttribute('open');
  const name = () => fileBase(appStore.getState().summary?.name);
  async function exportAs(kind: 'png' | 'svg') {
    close();
    const el = findCanvas();
    if (!el) return fail('There is no canvas to export yet.');
    setBusy(true);
    try {
      const blob = kind === 'svg' ? new Blob([exportSvg(el)], { type: 'image/svg+xml' }) : await exportPng(el);
      download(blob, `${name()}.${kind}`);
    } catch (e) {
      fail(`The canvas could not be exported: ${(e as Error).message}.`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="hs-menu" ref={menu} onKeyDown={(e) => menu.current?.open && closeOnEscape(close, summary)(e)}>
      <summary ref={summary} aria-label="File">File</summary>
      <div className="hs-popover" role="menu">
        <button type="button" role="menuitem" onClick={() => (close(), picker.current?.click())}>
          Open .yaml…
        </button>
        <button type="button" role="menuitem" onClick={() => (close(), saveYaml(appStore.getState().text, appStore.getState().summary?.name))}>
          Save .yaml
        </button>
        <button type="button" role="menuitem" disabled={busy} onClick={() => void exportAs('png')}>
          Export PNG
        </button>
        <button type="button" role="menuitem" disabled={busy} onClick={() => void exportAs('svg')}>
          Export SVG
        </button>
      </div>
      <input
        ref={picker}
        type="file"
        accept=".yaml,.yml,application/yaml,text/yaml,text/plain"
        hidden
        aria-label="Open scenario file"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (f) void openFile(f, fail);
        }}
      />
    </details>
  );
}

export function OpenError() {
  const error = useApp((s) => s.openError);
  if (!error) return null;
  return (
    <div className="hs-open-error" role="alert">
      {error}{' '}
      <button type="button" onClick={() => appStore.setState({ openError: null })}>
        Dismiss
      </button>
    </div>
  );
}

export function WorkspaceBar() {
  return (
    <>
      <DocSwitch />
      <ShareButton />
      <FileMenu />
    </>
  );
}
