/** Mounts Monaco into a container once it has loaded; keeps its text and markers in step with the store. */
import { useEffect, useState } from 'react';
import type { RefObject } from 'react';
import { appStore } from '../store/store';
import { toMarkers } from './markers';
import { setRevealer } from './reveal';

import type * as MonacoSetup from './monaco-setup';

type MonacoModule = typeof MonacoSetup;

export function useMonaco(host: RefObject<HTMLDivElement | null>, onEdit: (text: string) => void): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    // After the canvas has painted: two frames, then idle time if the browser offers it.
    const start = () => void import('./monaco-setup').then((m) => !disposed && (cleanup = mount(m)));
    const raf = requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(start, 50)));
    function mount({ monaco, MODEL_URI }: MonacoModule): () => void {
      const model = monaco.editor.getModel(monaco.Uri.parse(MODEL_URI)) ?? monaco.editor.createModel(appStore.getState().text, 'yaml', monaco.Uri.parse(MODEL_URI));
      const s0 = appStore.getState();
      const ed = monaco.editor.create(host.current!, { model, ariaLabel: 'Scenario', automaticLayout: true, minimap: { enabled: false }, fontSize: s0.largeText ? 17 : 13, theme: s0.theme === 'dark' ? 'vs-dark' : 'vs', scrollBeyondLastLine: false, tabSize: 2, wordWrap: 'on' });
      // Text put in the store from elsewhere (a share link, a lesson, a file) replaces the model's;
      // that change is not an edit and must not echo back (it would recompile and re-save).
      let applying = false;
      const sub = ed.onDidChangeModelContent(() => !applying && onEdit(model.getValue()));
      // Tab indents, so a keyboard user leaves with Esc then Tab (or Shift+Tab): Esc turns on
      // Monaco's tab-focus mode for the next key only; any other key, or leaving, turns it off.
      let escaped = false;
      const escape = (on: boolean) => {
        if (on === escaped) return;
        escaped = on;
        ed.updateOptions({ tabFocusMode: on });
      };
      const keys = ed.onKeyDown((e) => {
        const k = e.browserEvent.key;
        if (k === 'Escape') escape(true);
        else if (k !== 'Tab' && k !== 'Shift') escape(false);
      });
      const blur = ed.onDidBlurEditorText(() => escape(false));
      setRevealer((lineNumber, column) => {
        ed.setPosition({ lineNumber, column });
        ed.revealPositionInCenterIfOutsideViewport({ lineNumber, column });
        ed.focus();
      });
      const syncText = (text: string) => {
        if (text === model.getValue()) return;
        applying = true;
        model.setValue(text);
        applying = false;
      };
      syncText(appStore.getState().text);
      const paint = (s = appStore.getState()) => monaco.editor.setModelMarkers(model, 'hopscope', toMarkers(s.diagnostics, (o) => model.getPositionAt(o)));
      paint();
      const unsub = appStore.subscribe((s, p) => {
        if (s.text !== p.text) syncText(s.text);
        if (s.diagnostics !== p.diagnostics) paint(s);
        if (s.theme !== p.theme) monaco.editor.setTheme(s.theme === 'dark' ? 'vs-dark' : 'vs');
        if (s.largeText !== p.largeText) ed.updateOptions({ fontSize: s.largeText ? 17 : 13 });
      });
      setReady(true);
      return () => {
        unsub();
        sub.dispose();
        keys.dispose();
        blur.dispose();
        setRevealer(null);
        ed.dispose();
      };
    }
    return () => {
      disposed = true;
      cancelAnimationFrame(raf);
      cleanup();
    };
  }, [host, onEdit]);
  return ready;
}
