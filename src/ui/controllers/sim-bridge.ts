/**
 * Connects edits to the simulator (STYLE §11): sends the scenario text to the worker as soon as
 * the edit's event is over (the client lets a newer edit supersede a queued one, so typing never
 * piles up work), writes results into the store, and asks for the Traffic run — the heavier
 * part, a whole `hopscope run` — only once typing pauses. The newest edit wins; a worker restart
 * is reported and the last text reloaded.
 *
 * Instrumentation (bench B5): each edit is marked `hs:edit:N`, its answer `hs:loaded:N` (with the
 * worker's compile time as detail); the canvas marks `hs:canvas:N` when the compile of edit N
 * reaches the screen; a Traffic run is bracketed by `hs:traffic:start` and `hs:traffic:end`.
 */
import type { StoreApi } from 'zustand';
import { createSimClient, SupersededError } from '../../worker/client';
import type { SimClient, SimClientOptions } from '../../worker/client';
import type { FlowEntry } from '../../worker/protocol';
import type { AppState } from '../store/types';
import { loadLastGood, saveLastGood, saveScenario } from '../persist';

export interface SimBridge {
  edit(text: string): void;
  compileNow(text: string): Promise<void>;
  destroy(): void;
}

export interface BridgeOptions {
  /**
   * Coalesces edits arriving within this window; 0 (the default) coalesces only the edits of one
   * event and sends the newest at once (the client supersedes a queued load).
   */
  debounceMs?: number;
  /** The Traffic run waits for this long without edits. */
  traceIdleMs?: number;
  /** How long after the last edit the text is saved for the next visit. */
  saveMs?: number;
  autoplay?: boolean;
  client?: (o: SimClientOptions) => SimClient;
}

/**
 * The flow to play first — the story of the default scenario: a request (not the DNS lookup
 * before it) that kube-proxy DNATs and that crosses a tunnel; else any delivered flow through a
 * tunnel; else the first traced flow.
 */
export function firstFlowToPlay(flows: FlowEntry[]): number {
  const delivered = (f: FlowEntry) => f.flow?.verdict === 'delivered';
  const tunnel = (f: FlowEntry) => !!f.flow?.hops.some((h) => h.stage === 'encap');
  const dnat = (f: FlowEntry) => !!f.flow?.hops.some((h) => (h.stage.startsWith('netfilter:nat') || h.stage.startsWith('netfilter:nft')) && (h.changed ?? []).includes('ipv4.dst'));
  const lookup = (f: FlowEntry) => f.to.startsWith('DNS ');
  const picks = [(f: FlowEntry) => delivered(f) && tunnel(f) && dnat(f) && !lookup(f), (f: FlowEntry) => delivered(f) && tunnel(f), (f: FlowEntry) => !!f.flow];
  for (const p of picks) {
    const i = flows.findIndex(p);
    if (i >= 0) return i;
  }
  return 0;
}

function mark(name: string, detail?: Record<string, number>): void {
  if (typeof performance !== 'undefined' && performance.mark) performance.mark(name, detail ? { detail } : undefined);
}

export function createSimBridge(store: StoreApi<AppState>, opts: BridgeOptions = {}): SimBridge {
  const debounceMs = opts.debounceMs ?? 0;
  const traceIdleMs = opts.traceIdleMs ?? 250;
  let gen = 0;
  let editSeq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pendingEdit: { text: string; seq: number } | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let traceTimer: ReturnType<typeof setTimeout> | undefined;
  let autoplay = opts.autoplay ?? true;
  let lastText = '';
  const client = (opts.client ?? createSimClient)({
    onStatus: (s) => {
      if (s.kind !== 'restarted') return;
      store.getState().setNotice(`The simulation worker stopped (${s.reason}) and was restarted.`);
      void compileNow(lastText);
    },
  });

  async function trace(g: number): Promise<void> {
    mark('hs:traffic:start');
    const t = await client.trace();
    mark('hs:traffic:end');
    if (g !== gen) return;
    store.getState().setFlows(t.flows);
    store.setState({ tallies: t.tallies ?? [], paths: t.paths ?? null });
    if (autoplay && t.flows.some((f) => f.flow)) {
      autoplay = false;
      store.setState({ flowIndex: firstFlowToPlay(t.flows), hop: 0, playing: true });
    }
  }

  async function compile(text: string, seq: number, idle: number): Promise<void> {
    const g = ++gen;
    lastText = text;
    clearTimeout(traceTimer);
    store.getState().setCompiling(true);
    try {
      const r = await client.load(text);
      if (g !== gen) return;
      mark(`hs:loaded:${seq}`, { compileMs: r.compileMs });
      store.getState().applyLoad(r);
      store.setState({ appliedEdit: seq });
      if (r.hasErrors) return;
      saveLastGood(text);
      if (idle <= 0) return await trace(g);
      await new Promise<void>((resolve) => (traceTimer = setTimeout(resolve, idle)));
      if (g === gen) await trace(g);
    } catch (e) {
      // A newer compile owns the state now: after a worker restart, the one started again for
      // this text (its 'compiling', and the restart's own notice, must stay).
      if (e instanceof SupersededError || g !== gen) return;
      store.getState().setCompiling(false);
      store.getState().setNotice((e as Error).message);
    }
  }

  /**
   * Compiles a document put on screen (boot, a reload, a switch back from a link or a lesson).
   * If it has errors, the worker would keep whatever model it had — none after a reload, or
   * another document's — so that document's last good text is compiled first, then its own.
   */
  async function compileNow(text: string): Promise<void> {
    await compile(text, editSeq, 0);
    const good = loadLastGood();
    const still = () => store.getState().text === text && lastText === text;
    if (!store.getState().hasErrors || good === null || good === text || !still()) return;
    await compile(good, editSeq, 0);
    if (store.getState().text === text) await compile(text, editSeq, 0);
  }

  return {
    edit(text) {
      const seq = ++editSeq;
      mark(`hs:edit:${seq}`);
      store.getState().setText(text);
      clearTimeout(timer);
      if (debounceMs > 0) timer = setTimeout(() => void compile(text, seq, traceIdleMs), debounceMs);
      else {
        // Edits of one event (an editor's several content changes for one keystroke) coalesce;
        // the next one goes at once: the client keeps one load in flight and lets a newer edit
        // replace a queued one, so typing never piles up work and no timer delays the first.
        const queued = pendingEdit !== null;
        pendingEdit = { text, seq };
        if (!queued)
          queueMicrotask(() => {
            const e = pendingEdit;
            pendingEdit = null;
            if (e && e.seq === editSeq) void compile(e.text, e.seq, traceIdleMs);
          });
      }
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => saveScenario(text), opts.saveMs ?? 400);
    },
    compileNow,
    destroy() {
      pendingEdit = null;
      clearTimeout(timer);
      clearTimeout(saveTimer);
      clearTimeout(traceTimer);
      client.dispose();
    },
  };
}
