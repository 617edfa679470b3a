/** Small helpers every command uses to build its result. */
import type { ShellResult } from './types';

function line(s: string): string {
  return s === '' || s.endsWith('\n') ? s : `${s}\n`;
}

/** Success: `text` on stdout. */
export function out(text: string): ShellResult {
  return { stdout: line(text), stderr: '', exitCode: 0 };
}

/** Failure: `text` on stderr with `code` (1 unless the tool uses another). */
export function err(text: string, code = 1): ShellResult {
  return { stdout: '', stderr: line(text), exitCode: code };
}

/** Both streams. */
export function result(stdout: string, stderr: string, exitCode: number): ShellResult {
  return { stdout: line(stdout), stderr: line(stderr), exitCode };
}

/** True if `args` asks for help the way most tools accept it. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
