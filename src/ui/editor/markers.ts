/** Core diagnostics → Monaco marker data (1-based lines and columns, as the core reports them). */
import type { Diagnostic } from '../../core/index';

export interface MarkerLike {
  severity: number;
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  code?: string;
}

/** Monaco's MarkerSeverity values (Error 8, Warning 4, Info 2), kept here so this stays Monaco-free. */
const SEVERITY = { error: 8, warning: 4, info: 2 } as const;

export function toMarkers(diags: Diagnostic[], positionAt: (offset: number) => { lineNumber: number; column: number }): MarkerLike[] {
  return diags.map((d) => {
    const end = d.pos.end > d.pos.offset ? positionAt(d.pos.end) : { lineNumber: d.pos.line, column: d.pos.col + 1 };
    return { severity: SEVERITY[d.severity], message: d.message, code: d.code, startLineNumber: d.pos.line, startColumn: d.pos.col, endLineNumber: end.lineNumber, endColumn: end.column };
  });
}
