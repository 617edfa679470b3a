/**
 * Compare: one scenario under two configurations. `compareFlows(text, sets, req)` builds variant
 * B by editing the YAML (variant.ts), compiles both, traces the same request in each (same
 * seed, same index) and returns both summaries, the differences field by field, and the hops
 * aligned for a side-by-side view.
 *
 * May import: the rest of core and `yaml`. Never throws: bad `--set`s, scenarios with errors
 * and unresolvable requests come back as `{ ok: false, error }`.
 */
import type { Flow } from '../trace/types';
import type { FlowSummary } from './summary';
import type { AlignedRow } from './align';
import { loadScenario } from '../compile/load';
import { formatDiagnostic } from '../scenario/index';
import { traceRequest } from '../simulate/request';
import { applySets } from './variant';
import { summarizeFlow } from './summary';
import { alignHops } from './align';

export type { FlowSummary } from './summary';
export type { AlignedRow } from './align';
export { applySets, parseSet } from './variant';
export { summarizeFlow } from './summary';
export { alignHops } from './align';

/** The request both variants send. */
export interface CompareRequest {
  from: string;
  to: string;
  protocol?: 'TCP' | 'UDP' | 'ICMP' | 'SCTP';
  seed?: number;
}

/** One field that differs between A and B. */
export interface Difference {
  field: keyof FlowSummary;
  a: unknown;
  b: unknown;
}

export interface Comparison {
  a: { flow: Flow; summary: FlowSummary };
  b: { flow: Flow; summary: FlowSummary; text: string };
  differences: Difference[];
  rows: AlignedRow[];
}

export type CompareResult = { ok: true; value: Comparison } | { ok: false; error: string };

function traceVariant(text: string, label: string, req: CompareRequest): { ok: true; flow: Flow } | { ok: false; error: string } {
  const r = loadScenario(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.model) return { ok: false, error: `variant ${label}: ${errors.map((d) => formatDiagnostic(d, label)).join('; ') || 'cannot build the cluster'}` };
  const t = traceRequest(r.model, { from: req.from, to: req.to, ...(req.protocol ? { protocol: req.protocol } : {}) }, req.seed !== undefined ? { seed: req.seed } : {});
  if (!t.ok) return { ok: false, error: `variant ${label}: ${t.error}` };
  if (!t.trace.flow) return { ok: false, error: `variant ${label}: ${t.trace.error ?? 'no connection was made'}` };
  return { ok: true, flow: t.trace.flow };
}

const FIELDS: (keyof FlowSummary)[] = ['verdict', 'reason', 'endpoint', 'hops', 'replyHops', 'routedHops', 'encapBytes', 'encapsulation', 'nat', 'sourceSeenByServer', 'rulesEvaluated', 'devices'];

/** The fields whose values differ (arrays compared element by element). */
export function diffSummaries(a: FlowSummary, b: FlowSummary): Difference[] {
  return FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])).map((field) => ({ field, a: a[field], b: b[field] }));
}

/** Traces `req` in the scenario (A) and in the scenario with `sets` applied (B). */
export function compareFlows(text: string, sets: readonly string[], req: CompareRequest): CompareResult {
  const variant = applySets(text, sets);
  if (!variant.ok) return variant;
  const a = traceVariant(text, 'A', req);
  if (!a.ok) return a;
  const b = traceVariant(variant.text, 'B', req);
  if (!b.ok) return b;
  const sa = summarizeFlow(a.flow);
  const sb = summarizeFlow(b.flow);
  return { ok: true, value: { a: { flow: a.flow, summary: sa }, b: { flow: b.flow, summary: sb, text: variant.text }, differences: diffSummaries(sa, sb), rows: alignHops(a.flow.hops, b.flow.hops) } };
}
