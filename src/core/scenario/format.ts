/**
 * The one printed form of a diagnostic, shared by `hopscope check` and tests (DESIGN §5).
 */
import type { Diagnostic } from './types';

/**
 * Formats `d` as `file:line:col: severity: message`, e.g.
 * `broken.yaml:5:10: error: spec.nodes must be a number or a list of nodes`.
 * Newlines in the message are folded to spaces so that one diagnostic is always one line.
 */
export function formatDiagnostic(d: Diagnostic, fileName: string): string {
  const message = d.message.replace(/\s*\n\s*/g, ' ');
  return `${fileName}:${d.pos.line}:${d.pos.col}: ${d.severity}: ${message}`;
}
