/**
 * parse + compile in one call, the way every front end (CLI, worker, tests) uses the core:
 * text in, the model and all diagnostics out. A scenario with errors still compiles what it
 * can; callers decide whether errors block (the worker keeps the last good model).
 */
import type { ClusterModel } from '../model/types';
import type { Diagnostic, Scenario } from '../scenario/types';
import type { ResolvedCluster } from './resolved';
import { parseScenario } from '../scenario/parse';
import { compile } from './compile';

export interface LoadResult {
  scenario: Scenario;
  model: ClusterModel | null;
  cluster: ResolvedCluster | null;
  diagnostics: Diagnostic[];
  /** True when any diagnostic is an error. */
  hasErrors: boolean;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.pos.offset - b.pos.offset || a.pos.line - b.pos.line;
}

export function loadScenario(text: string, fileName?: string): LoadResult {
  const parsed = parseScenario(text, fileName ? { fileName } : {});
  let model: ClusterModel | null = null;
  let cluster: ResolvedCluster | null = null;
  const diagnostics = [...parsed.diagnostics];
  const fatal = parsed.diagnostics.some((d) => d.code === 'file-too-large' || d.code === 'yaml-alias-limit');
  if (!fatal) {
    try {
      const r = compile(parsed.scenario);
      model = r.model;
      cluster = r.cluster;
      diagnostics.push(...r.diagnostics);
    } catch (e) {
      // Last-resort guard: a bug in a controller must not take the caller down (STYLE §5).
      diagnostics.push({ severity: 'error', code: 'internal', message: `internal error while compiling: ${(e as Error).message}`, pos: { line: 1, col: 1, offset: 0, end: 0 } });
    }
  }
  diagnostics.sort(byPosition);
  return { scenario: parsed.scenario, model, cluster, diagnostics, hasErrors: diagnostics.some((d) => d.severity === 'error') };
}
