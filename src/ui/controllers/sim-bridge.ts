/**
 * Connects edits to the simulator (STYLE §11): debounces the scenario text, asks the worker to
 * load and trace it, and writes results into the store. The newest edit wins; a worker restart
 * is reported and the last text reloaded.
 */
import type { StoreApi } from 'zustand';
import { createSimClient, SupersededError } from '../../worker/client';
import type { SimClient, SimClientOptions } from '../../worker/client';
import type { AppState } from '../store/types';
import { saveScenario } from '../persist';

export interface SimBridge {
  edit(text: string): void;
  compileNow(text: string): Promise<void>;
  destroy(): void;
}

export interface BridgeOptions {
  debounceMs?: number;
  autoplay?: boolean;
  client?: (o: SimClientOptions) => SimClient;
}

export function createSimBridge(store: StoreApi<AppState>, opts: BridgeOptions = {}): SimBridge {
  const debounceMs = opts.debounceMs ?? 250;
  let gen = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let autoplay = opts.autoplay ?? true;
  let lastText = '';
  const client = (opts.client ?? createSimClient)({
    onStatus: (s) => {
      if (s.kind !== 'restarted') return;
      store.getState().setNotice(`The simulation worker stopped (${s.reason}) and was restarted.`);
      void compileNow(lastText);
    },
  });

  async function compileNow(text: string): Promise<void> {
    const g = ++gen;
    lastText = text;
    const s = store.getState();
    s.setCompiling(true);
    try {
      const r = await client.load(text);
      if (g !== gen) return;
      store.getState().applyLoad(r);
      if (r.hasErrors) return;
      const t = await client.trace();
      if (g !== gen) return;
      store.getState().setFlows(t.flows);
      store.setState({ tallies: t.tallies ?? [] });
      if (autoplay && t.flows.some((f) => f.flow)) {
        autoplay = false;
        store.setState({ playing: true });
      }
    } catch (e) {
      if (e instanceof SupersededError) return;
      store.getState().setCompiling(false);
      store.getState().setNotice((e as Error).message);
    }
  }

  return {
    edit(text) {
      store.getState().setText(text);
      clearTimeout(timer);
      timer = setTimeout(() => {
        saveScenario(text);
        void compileNow(text);
      }, debounceMs);
    },
    compileNow,
    destroy() {
      clearTimeout(timer);
      client.dispose();
    },
  };
}
