/**
 * The terminal panel: pick where to stand (a node or a pod's container), type the commands you
 * would type on a real cluster. Flows the commands walk (curl, ping, traceroute, nslookup, dig)
 * are handed to the flow store, so the canvas animates them.
 */
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { appStore, useApp } from '../store/store';
import type { Flow } from '../../core/index';
import { createLineEditor } from './line-editor';
import { useShellSession } from './use-shell';
import { createTabExit } from './tab-exit';

/** Room left for xterm's scrollbar beside the columns. */
const SCROLLBAR = 14;

function crlf(s: string): string {
  return s.replace(/\r?\n/g, '\r\n');
}

/** Shows the flows of a command on the canvas: the last one selected and playing. */
function playFlows(flows: Flow[]): void {
  const s = appStore.getState();
  s.setFlows(flows.map((flow, index) => ({ from: flow.from, to: flow.to, index, role: index < flows.length - 1 ? 'dns' : 'connection', flow })));
  s.selectFlow(flows.length - 1);
  s.setHop(0);
  s.setPlaying(true);
}

export default function TerminalPanel() {
  const text = useApp((s) => s.text);
  const [place, setPlace] = useState<string | null>(null);
  const { places, shell } = useShellSession(text, place);
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const shellRef = useRef(shell);
  shellRef.current = shell;

  useEffect(() => {
    const t = new Terminal({ convertEol: false, fontSize: 13, cursorBlink: true, scrollback: 5000 });
    t.open(host.current!);
    // Tab completes; Escape then Tab (or Shift+Tab) leaves the terminal, as it leaves the editor.
    t.attachCustomKeyEventHandler(createTabExit());
    term.current = t;
    // xterm opens at 80×24 whatever the room: fit the rows and columns to the panel, from the
    // rendered cell size, so it never runs past the dock over the playback bar.
    const fit = () => {
      const box = host.current;
      const screen = t.element?.querySelector<HTMLElement>('.xterm-screen');
      if (!box || !screen?.offsetHeight || !screen.offsetWidth) return;
      const cs = getComputedStyle(box);
      const h = box.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
      const w = box.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - SCROLLBAR;
      const rows = Math.max(2, Math.floor(h / (screen.offsetHeight / t.rows)));
      const cols = Math.max(20, Math.floor(w / (screen.offsetWidth / t.cols)));
      if (rows !== t.rows || cols !== t.cols) t.resize(cols, rows);
    };
    const resize = new ResizeObserver(fit);
    resize.observe(host.current!);
    const editor = createLineEditor({ prompt: shellRef.current?.prompt ?? '$ ', complete: (l) => shellRef.current?.complete(l) ?? [], history: () => shellRef.current?.history ?? [] });
    const sub = t.onData((data) => {
      const e = editor.input(data);
      if (e.clear) t.clear();
      t.write(e.write);
      if (e.submit === undefined) return;
      const sh = shellRef.current;
      if (sh && e.submit.trim() === 'clear') t.clear();
      else if (sh && e.submit.trim()) {
        const r = sh.run(e.submit);
        t.write(crlf(r.stdout) + (r.stderr ? `\x1b[31m${crlf(r.stderr)}\x1b[0m` : ''));
        if (r.flows?.length) playFlows(r.flows);
      }
      editor.setPrompt(sh?.prompt ?? '$ ');
      t.write(sh?.prompt ?? '$ ');
    });
    t.write(`Type help for the commands. Tab completes.\r\n${shellRef.current?.prompt ?? '$ '}`);
    t.focus();
    return () => {
      resize.disconnect();
      sub.dispose();
      t.dispose();
    };
  }, []);

  const first = useRef(true);
  useEffect(() => {
    // A new place (or a recompiled scenario): say where we stand now.
    if (first.current) {
      first.current = false;
      return;
    }
    if (term.current && shell) term.current.write(`\r\n\x1b[2m— now on ${place ?? ''}\x1b[0m\r\n${shell.prompt}`);
  }, [shell, place]);

  return (
    <>
      <div className="hs-term-bar">
        <label>
          Stand on{' '}
          <select aria-label="Stand on" value={place ?? places.find((p) => p.where.kind === 'pod')?.label ?? places[0]?.label ?? ''} onChange={(e) => setPlace(e.target.value)}>
            {places.map((p) => (
              <option key={p.label} value={p.label}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {!shell && <span role="status">The scenario has errors: fix them to use the terminal.</span>}
        <span className="hs-muted">Esc then Tab leaves the terminal.</span>
      </div>
      <div className="hs-term" ref={host} role="application" aria-label="Terminal" onClick={() => term.current?.focus()} />
    </>
  );
}
