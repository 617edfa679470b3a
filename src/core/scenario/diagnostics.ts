/**
 * Collecting diagnostics. Validators report through a `Reporter` rather than building arrays,
 * so that the parser can cap and order them in one place.
 */
import type { Diagnostic, Severity, SourcePos } from './types';

/** Receives diagnostics from the readers and validators. */
export interface Reporter {
  report(severity: Severity, code: string, message: string, pos: SourcePos): void;
  error(code: string, message: string, pos: SourcePos): void;
  warning(code: string, message: string, pos: SourcePos): void;
  info(code: string, message: string, pos: SourcePos): void;
  /** Everything reported so far, in report order. */
  list(): Diagnostic[];
  /** How many errors have been reported so far. */
  errorCount(): number;
}

/** The position of the start of the text, for diagnostics about the file as a whole. */
export const START_POS: Readonly<SourcePos> = { line: 1, col: 1, offset: 0, end: 0 };

/** A reporter that keeps every diagnostic in memory. */
export function createReporter(): Reporter {
  const items: Diagnostic[] = [];
  let errors = 0;
  const report = (severity: Severity, code: string, message: string, pos: SourcePos): void => {
    items.push({ severity, code, message, pos });
    if (severity === 'error') errors++;
  };
  return {
    report,
    error: (code, message, pos) => report('error', code, message, pos),
    warning: (code, message, pos) => report('warning', code, message, pos),
    info: (code, message, pos) => report('info', code, message, pos),
    list: () => items,
    errorCount: () => errors,
  };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Orders diagnostics by position and keeps at most `max`, preferring errors over warnings over
 * notes so that a flood of warnings can never hide the error that makes `check` fail. When some
 * are dropped, a final `too-many-diagnostics` warning says how many.
 */
export function finishDiagnostics(all: Diagnostic[], max: number): Diagnostic[] {
  let kept = all;
  if (all.length > max) {
    kept = [...all].sort((a, b) => RANK[a.severity] - RANK[b.severity]).slice(0, max);
  }
  const sorted = [...kept].sort((a, b) => a.pos.offset - b.pos.offset || RANK[a.severity] - RANK[b.severity]);
  if (all.length > max) {
    const last = sorted[sorted.length - 1]?.pos ?? START_POS;
    sorted.push({
      severity: 'warning',
      code: 'too-many-diagnostics',
      message: `${all.length - max} more diagnostics not shown`,
      pos: last,
    });
  }
  return sorted;
}
