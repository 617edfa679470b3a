/**
 * The simulator behind the worker protocol: a handler table over the core that keeps the last
 * good model (DESIGN §1). Runs inside the Web Worker, or in-thread when `Worker` is missing.
 */
import { compile } from '../core/compile/compile';
import { loadScenario, renderGetPods, summarizeModel, traceFlow } from '../core/index';
import type { ClusterModel, Scenario } from '../core/index';
import type { TrafficRequest } from '../core/scenario/types';
import { resolveServiceName, runTraffic } from '../core/simulate/run';
import type { FlowEntry, HandlerTable, LoadResponse, ReachRequest, ReachResponse, TraceRequest, TraceResponse } from './protocol';
import { computeReachability } from '../core/simulate/reach';
import { PROTOCOL_VERSION } from './protocol';
import { renderAll } from './renderings';
import { requestEntries } from './request-flows';
import { createPathCollector } from './paths';

/** Repetitions traced per Traffic request, and flows per trace in total (payload bound). */
const MAX_PER_REQUEST = 5;
const MAX_FLOWS = 24;
/** A scenario with at most this many requests in all runs whole (faults, tallies). */
const MAX_RUN = 2000;
/** Flows kept as compact paths for the fan-out animation. */
const MAX_PATHS = 200;

interface Good {
  text: string;
  model: ClusterModel;
  scenario: Scenario;
  view: Pick<LoadResponse, 'summary' | 'renderings' | 'pods'>;
  /** True once a trace or a reachability matrix has walked `model`. */
  walked: boolean;
}

/**
 * The model an answer may walk, as compiled: walks leave conntrack entries, ARP and FDB entries,
 * counters and `-m recent` lists behind (faults change pods and rules too), and a second
 * answer walking that state differed from the first (its connections found established, its
 * neighbours known) where the same scenario and seed must give the same trace. The first walk
 * after a load uses the compiled model itself (the usual case: load, then trace); later ones
 * a fresh compile of the same scenario (compile only, the text is not parsed again).
 */
function compiledModel(good: Good): ClusterModel {
  if (good.walked) good.model = compile(good.scenario).model ?? good.model;
  good.walked = true;
  return good.model;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : 0;
}

/**
 * The scenario's Traffic as `hopscope run` runs it — faults applied in order between requests,
 * Service names resolved — keeping the first few repetitions of each request to animate and
 * the per-endpoint tallies of all of them, on the model as compiled (`compiledModel`).
 */
function traceScenario(good: Good, seed?: number): TraceResponse {
  const requests = good.scenario.traffic.flatMap((d) => d.value.spec?.requests ?? []);
  const total = requests.reduce((n, r) => n + Math.max(1, r.count ?? 1), 0);
  if (total > MAX_RUN) return { flows: traceFirstFew(good, requests, seed) };
  const model = compiledModel(good);
  const flows: FlowEntry[] = [];
  let sent = 0;
  const paths = createPathCollector(MAX_PATHS);
  const run = runTraffic(model, good.scenario, {
    ...(seed !== undefined ? { seed } : {}),
    onFlow: (r, i, res) => {
      paths.add(requests.indexOf(r), res.ok ? res.flow : undefined);
      const k = sent++;
      if (i >= MAX_PER_REQUEST || flows.length >= MAX_FLOWS) return;
      flows.push(...requestEntries(model, r, requests.indexOf(r), i, k, res, seed).slice(0, MAX_FLOWS - flows.length));
    },
  });
  return { flows, paths: paths.result(), tallies: run.requests.map(({ from, to, count, delivered, dropped, byEndpoint }) => ({ from, to, count, delivered, dropped, byEndpoint })) };
}

/** Too many requests to run them all: the first few of each, without faults. */
function traceFirstFew(good: Good, requests: TrafficRequest[], seed?: number): FlowEntry[] {
  const model = compiledModel(good);
  const out: FlowEntry[] = [];
  for (const r of requests) {
    const n = Math.max(1, Math.min(r.count ?? 1, MAX_PER_REQUEST));
    for (let i = 0; i < n && out.length < MAX_FLOWS; i++) {
      const to = resolveServiceName(model, r.to, 'default');
      const res = traceFlow(model, { from: r.from, to, ...(r.protocol ? { protocol: r.protocol } : {}) }, { index: out.length, ...(seed !== undefined ? { seed } : {}) });
      out.push(res.ok ? { from: r.from, to: r.to, index: i, flow: res.flow } : { from: r.from, to: r.to, index: i, error: res.error });
    }
  }
  return out;
}

/** A fresh simulator: its own last good model, its own handler table. */
export function createSimulator(): HandlerTable {
  let good: Good | null = null;
  return {
    hello: () => ({ version: PROTOCOL_VERSION }),
    load: ({ text }) => {
      const t0 = now();
      const r = loadScenario(text);
      if (!r.hasErrors && r.model) {
        // Traces mutate conntrack and external hosts: render before anything walks the model.
        const view = { summary: summarizeModel(r.model), renderings: renderAll(r.model), pods: renderGetPods(r.model) };
        good = { text, model: r.model, scenario: r.scenario, view, walked: false };
        return { ...view, diagnostics: r.diagnostics, hasErrors: false, stale: false, compileMs: now() - t0 };
      }
      const view = good?.view ?? { summary: null, renderings: {}, pods: '' };
      return { ...view, diagnostics: r.diagnostics, hasErrors: r.hasErrors, stale: good !== null, compileMs: now() - t0 };
    },
    trace: (req: TraceRequest): TraceResponse => {
      if (!good) return { flows: [] };
      if (req.from && req.to) {
        const res = traceFlow(compiledModel(good), { from: req.from, to: req.to, ...(req.protocol ? { protocol: req.protocol } : {}) }, { ...(req.seed !== undefined ? { seed: req.seed } : {}), ...(req.index !== undefined ? { index: req.index } : {}) });
        return { flows: [res.ok ? { from: req.from, to: req.to, index: 0, flow: res.flow } : { from: req.from, to: req.to, index: 0, error: res.error }] };
      }
      return traceScenario(good, req.seed);
    },
    // issue 8: the reachability matrix of the last good model (probes restore conntrack).
    reach: (req: ReachRequest): ReachResponse => {
      if (!good) return { result: { ok: false, error: 'no scenario has compiled yet' }, ms: 0 };
      const t0 = now();
      const result = computeReachability(compiledModel(good), { ...(req.port !== undefined ? { port: req.port } : {}), ...(req.protocol ? { protocol: req.protocol } : {}), ...(req.namespaces?.length ? { namespaces: req.namespaces } : {}) });
      return { result, ms: now() - t0 };
    },
  };
}
