/**
 * `parseScenario`: scenario text → typed objects with positions, plus diagnostics.
 * The pipeline is read (YAML, limits) → unpack (YAML docs and List items to objects) → build
 * (kind registry, shapes, names, duplicates) → admit (namespaces exist). See index.ts for the guarantees.
 */
import { createReporter, finishDiagnostics, START_POS } from './diagnostics';
import type { Reporter } from './diagnostics';
import { DEFAULT_LIMITS } from './limits';
import type { ParseLimits } from './limits';
import { unpackDocument } from './objects';
import { admitNamespaces } from './namespace-lifecycle';
import { readYaml } from './read-yaml';
import { releaseDoc } from './doc-source';
import { createScenarioBuilder, emptyScenario } from './scenario-builder';
import type { ParseResult } from './types';

/** Options of `parseScenario`. */
export interface ParseOptions {
  /** The file's name, used in messages that talk about the file as a whole. */
  fileName?: string;
  /** Overrides of `DEFAULT_LIMITS` (tests use small ones). */
  limits?: Partial<ParseLimits>;
}

function sizeText(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(chars / 1024)} KiB`;
}

function parseUnguarded(text: string, opts: ParseOptions, limits: ParseLimits, out: Reporter): ParseResult {
  const builder = createScenarioBuilder(out);
  if (text.length > limits.maxChars) {
    const what = opts.fileName ?? 'the scenario';
    out.error('file-too-large', `${what} is ${sizeText(text.length)}; the limit is ${sizeText(limits.maxChars)}`, START_POS);
    return { scenario: builder.scenario, diagnostics: out.list() };
  }
  const { docs } = readYaml(text, limits, out);
  for (const d of docs) for (const obj of unpackDocument(d, out)) builder.add(obj);
  admitNamespaces(builder.scenario, out);
  // The objects are built and checked: their docs' trees are only needed again for a later
  // diagnostic's position, and are composed again for it (doc-source.ts).
  for (const d of docs) releaseDoc(d.source);
  return { scenario: builder.scenario, diagnostics: out.list() };
}

/**
 * Parses a scenario of one or more YAML docs. Never throws and always returns: problems with the input,
 * including resource limits, are diagnostics with 1-based positions, ordered by position.
 * Objects with errors are reported and left out of `scenario`, so every object in it matches
 * its type for the fields we model. Objects are otherwise as written, except that namespaced
 * objects without a namespace get `default` (in a copy).
 */
export function parseScenario(text: string, opts: ParseOptions = {}): ParseResult {
  const limits: ParseLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const out = createReporter();
  try {
    const result = parseUnguarded(typeof text === 'string' ? text : String(text), opts, limits, out);
    return { scenario: result.scenario, diagnostics: finishDiagnostics(result.diagnostics, limits.maxDiagnostics) };
  } catch (e) {
    // Last resort: a bug must not take the editor or the CLI down with it. The property tests
    // treat reaching this branch as a failure.
    const message = e instanceof Error ? e.message : String(e);
    out.error('internal-error', `internal error while parsing (please report it): ${message}`, START_POS);
    return { scenario: emptyScenario(), diagnostics: finishDiagnostics(out.list(), limits.maxDiagnostics) };
  }
}
