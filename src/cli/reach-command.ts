/**
 * `hopscope reach FILE [--port 80] [--protocol TCP] [--namespace NS[,NS…]] [--seed N] [--json]`:
 * the reachability matrix of every pod to every pod, each cell a flow traced through the model
 * (issue 8). stdout is exactly the matrix — a header naming the columns, then one line per source
 * pod starting with its `namespace/name`, then a mark per column: `.` allowed, `X` denied by a
 * NetworkPolicy, `R` refused (nothing listens), `-` dropped otherwise — so where only policy
 * decides it can be compared with a `.`/`X` truth table; what helps reading it (the legend, a CNI
 * that enforces no policy, pods whose DNS lookups a policy breaks) goes to stderr.
 */
import type { Args, CommandOutput } from './commands';
import { formatDiagnostic, loadScenario } from '../core/index';
import { computeReachability, renderReachDns, renderReachLegend, renderReachMatrix } from '../core/simulate/reach';
import { readScenario, UsageError } from './io';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ICMP'] as const;

function option(a: Args, name: string): string | undefined {
  const v = a.values[name];
  return typeof v === 'string' ? v : undefined;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 80;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535)
    throw new UsageError(`--port ${text}: must be a number between 1 and 65535`);
  return Number(text);
}

function parseProtocol(text: string | undefined): (typeof PROTOCOLS)[number] | CommandOutput {
  const p = (text ?? 'TCP').toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(p))
    throw new UsageError(`--protocol ${text}: use TCP, UDP, SCTP or ICMP`);
  return p as (typeof PROTOCOLS)[number];
}

/** The `reach` command. */
export function reach(a: Args): CommandOutput {
  const file = a.positionals[0];
  const port = parsePort(option(a, 'port'));
  const protocol = parseProtocol(option(a, 'protocol'));
  if (typeof protocol !== 'string') return protocol;
  const seedText = option(a, 'seed');
  if (seedText !== undefined && !/^\d+$/.test(seedText))
    throw new UsageError(`--seed ${seedText}: must be a non-negative integer`);
  const namespaces = (option(a, 'namespace') ?? '').split(',').filter(Boolean);
  const r = loadScenario(readScenario(file), file);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.model)
    return {
      stdout: '',
      stderr:
        (errors.map((d) => formatDiagnostic(d, file!)).join('\n') ||
          `${file}: cannot build the cluster`) + '\n',
      code: 1,
    };
  const notes = r.diagnostics
    .filter((d) => d.code === 'netpol-not-enforced')
    .map((d) => formatDiagnostic(d, file!));
  const m = computeReachability(r.model, {
    port,
    protocol,
    ...(namespaces.length ? { namespaces } : {}),
    ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
  });
  if (!m.ok) return { stdout: '', stderr: `hopscope reach: ${m.error}\n`, code: 1 };
  if (!m.matrix.pods.length)
    return {
      stdout: '',
      stderr: `hopscope reach: no pods${namespaces.length ? ` in ${namespaces.join(', ')}` : ''}\n`,
      code: 1,
    };
  const dns = renderReachDns(m.matrix);
  if (dns) notes.push(dns);
  if (a.values.json) return { stdout: JSON.stringify(m.matrix, null, 2) + '\n', stderr: notes.map((n) => `${n}\n`).join(''), code: 0 };
  return { stdout: renderReachMatrix(m.matrix), stderr: renderReachLegend() + notes.map((n) => `${n}\n`).join(''), code: 0 };
}
