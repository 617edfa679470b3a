/**
 * The Reachability controller (STYLE §11; issue 8): keeps the matrix in step with the model on
 * screen and plays a clicked cell's flow on the canvas.
 *
 * It talks to a simulation worker of its own, started when the view opens: a matrix is N² traced
 * flows (seconds for a few hundred pods), and on the editor's worker it would hold up every
 * keystroke's compile and trip its 10 s watchdog. This worker loads the same text, so its last
 * good model is the one on screen, and the clicked cell is re-traced there with the probe's own
 * index — the walk the matrix made.
 *
 * The matrix is recomputed whenever a new summary arrives without errors (an edit compiled) or
 * a control changes; requests made while one runs coalesce into a single rerun with the latest
 * text and controls. Above `AUTO_MAX` pods it waits to be asked.
 */
import type { StoreApi } from 'zustand';
import { createSimClient, SupersededError } from '../../worker/client';
import type { SimClient } from '../../worker/client';
import type { FlowEntry, ReachRequest } from '../../worker/protocol';
import type { AppState } from '../store/types';
import { flowHops } from '../store/selectors';
import type { ReachControls } from './reach-slice';
import type { ReachCol } from './view-model';
import { decidingHop, probeRequest } from './view-model';

/** Matrices above this many pods (N² flows) are computed only on request. */
export const AUTO_MAX = 60;

export interface ReachController {
  /** Recomputes now; `force` computes a large matrix too. */
  compute(force?: boolean): Promise<void>;
  /** Traces one cell, plays it, and at the end selects the hop that decided it. */
  probe(row: number, col: ReachCol): Promise<void>;
  destroy(): void;
}

function requestOf(o: ReachControls): ReachRequest {
  return { port: o.port, protocol: o.protocol, ...(o.namespace ? { namespaces: [o.namespace] } : {}) };
}

/** Pods the matrix will have: pods with an address in the chosen namespace(s). */
export function matrixPods(s: Pick<AppState, 'summary'>, o: ReachControls): number {
  return (s.summary?.netns ?? []).filter((n) => n.pod?.ip && (o.namespace ? n.pod.namespace === o.namespace : n.pod.namespace !== 'kube-system')).length;
}

/**
 * When the flow has played to its end, selects its deciding hop and shows the Rules tab; a
 * pause, a step or another flow first cancels it.
 */
function stopAtDecidingHop(store: StoreApi<AppState>, entry: FlowEntry): void {
  const hops = flowHops(entry);
  const target = decidingHop(hops.map((h) => h.hop));
  if (target < 0) return;
  const unsub = store.subscribe((s) => {
    if (s.flows[s.flowIndex] !== entry) return unsub();
    if (s.playing) return;
    unsub();
    if (s.hop < hops.length - 1) return; // stopped by the user
    s.focusHop(target);
    s.setTab('rules');
  });
}

export function createReachController(store: StoreApi<AppState>, makeClient: () => SimClient = () => createSimClient({ timeoutMs: 120_000 })): ReachController {
  let client: SimClient | null = null;
  let gen = 0;
  const sim = () => (client ??= makeClient());
  const set = (p: Parameters<AppState['setReach']>[0]) => store.getState().setReach(p);

  // One matrix at a time: requests arriving meanwhile (typing, a control) coalesce into one rerun.
  let running: Promise<void> | null = null;
  let again: boolean | null = null;

  function compute(force = false): Promise<void> {
    if (running) {
      again = !!again || force;
      return running;
    }
    running = computeOnce(force).finally(() => {
      running = null;
      const rerun = again;
      again = null;
      if (rerun !== null) void compute(rerun);
    });
    return running;
  }

  async function computeOnce(force: boolean): Promise<void> {
    const s = store.getState();
    if (!s.summary || s.hasErrors) return;
    const g = ++gen;
    const pods = matrixPods(s, s.reach.options);
    if (pods > AUTO_MAX && !force) return set({ status: 'large', pods, matrix: null, cell: null });
    set({ status: 'computing', pods, error: null });
    try {
      await sim().load(s.text);
      if (g !== gen) return;
      const { result, ms } = await sim().reach(requestOf(s.reach.options));
      if (g !== gen) return;
      if (result.ok) set({ status: 'ready', matrix: result.matrix, pods: result.matrix.pods.length, ms, error: null, cell: null });
      else set({ status: 'error', matrix: null, error: result.error, cell: null });
    } catch (e) {
      if (e instanceof SupersededError || g !== gen) return;
      set({ status: 'error', matrix: null, error: (e as Error).message });
    }
  }

  async function probe(row: number, col: ReachCol): Promise<void> {
    const m = store.getState().reach.matrix;
    const req = m ? probeRequest(m, row, col) : undefined;
    if (!req) return;
    set({ cell: { row, col } });
    const g = gen;
    const t = await sim().trace(req);
    const entry = t.flows[0];
    if (!entry || g !== gen) return;
    const shown: FlowEntry = { ...entry, from: req.from!, to: col === 'dns' ? `DNS ${req.to}` : req.to!, role: 'connection' };
    store.getState().setFlows([shown]);
    store.setState({ flowIndex: 0, hop: 0, fanout: null, playing: !!shown.flow });
    if (shown.flow?.verdict === 'dropped') stopAtDecidingHop(store, shown);
  }

  const unsub = store.subscribe((s, p) => {
    if ((s.summary !== p.summary && !s.hasErrors) || s.reach.options !== p.reach.options) void compute();
  });
  void compute();
  return {
    compute,
    probe,
    destroy() {
      unsub();
      gen++;
      client?.dispose();
    },
  };
}
