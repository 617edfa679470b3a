/**
 * `hopscope exec FILE --on node/NAME|pod/NS/NAME[/CONTAINER] -- COMMAND…` prints exactly what the
 * terminal panel prints for that line (stdout, stderr, exit code), and
 * `hopscope compare FILE --set PATH=VALUE… --from REF --to TARGET [--seed N] [--json]` prints
 * the same flow under the scenario and under the edited variant, and what differs.
 * Both only call the core (core/shell, core/compare).
 */
import { parseArgs } from 'node:util';
import type { CommandOutput } from './commands';
import { loadScenario, formatDiagnostic } from '../core/index';
import { createShell, parseWhere } from '../core/shell/index';
import { quoteWord } from '../core/shell/words';
import { compareFlows } from '../core/compare/index';
import { renderComparison } from '../core/compare/render';
import { readScenario, UsageError } from './io';

/** The line to run: one word after `--` is a whole line (`-- 'ip r | head -1'`), several are quoted back. */
export function commandLine(words: string[]): string {
  return words.length === 1 ? words[0]! : words.map(quoteWord).join(' ');
}

export function execCommand(argv: string[]): CommandOutput {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { on: { type: 'string' }, seed: { type: 'string' } } });
  const [file, ...words] = positionals;
  if (typeof values.on !== 'string') throw new UsageError('exec needs --on node/NAME or --on pod/NS/NAME[/CONTAINER]');
  const where = parseWhere(values.on);
  if (!where) throw new UsageError(`--on ${values.on}: use node/NAME, pod/NAME, pod/NS/NAME or pod/NS/NAME/CONTAINER`);
  if (!words.length) throw new UsageError('exec needs a command after --, e.g. -- ip route');
  const text = readScenario(file);
  const r = loadScenario(text, file);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.model) return { stdout: '', stderr: `${errors.map((d) => formatDiagnostic(d, file!)).join('\n') || `${file}: cannot build the cluster`}\n`, code: 1 };
  const seed = values.seed !== undefined ? Number(values.seed) : undefined;
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes an integer');
  const shell = createShell(r.model, where, seed !== undefined ? { seed } : {});
  const out = shell.run(commandLine(words));
  return { stdout: out.stdout, stderr: out.stderr, code: out.exitCode };
}

export function compareCommand(argv: string[]): CommandOutput {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { set: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' }, protocol: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } } });
  const sets = values.set ?? [];
  if (!sets.length) throw new UsageError('compare needs at least one --set PATH=VALUE (e.g. --set cni.plugin=calico)');
  if (typeof values.from !== 'string' || typeof values.to !== 'string') throw new UsageError('compare needs --from REF and --to TARGET');
  const seed = values.seed !== undefined ? Number(values.seed) : undefined;
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes an integer');
  const protocol = typeof values.protocol === 'string' ? (values.protocol.toUpperCase() as 'TCP' | 'UDP' | 'ICMP') : undefined;
  const r = compareFlows(readScenario(positionals[0]), sets, { from: values.from, to: values.to, ...(protocol ? { protocol } : {}), ...(seed !== undefined ? { seed } : {}) });
  if (!r.ok) return { stdout: '', stderr: `hopscope: ${r.error}\n`, code: 1 };
  if (values.json) {
    const { a, b, differences } = r.value;
    return { stdout: `${JSON.stringify({ sets, a: a.summary, b: b.summary, differences }, null, 2)}\n`, stderr: '', code: 0 };
  }
  return { stdout: renderComparison(r.value, sets), stderr: '', code: 0 };
}
