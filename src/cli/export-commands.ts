/**
 * `hopscope export netns` and `hopscope pcap`: the scenario as a script for a real Linux host,
 * and a trace as a capture file. Kept apart from commands.ts because pcap writes bytes.
 */
import type { Flow } from '../core/index';
import { formatDiagnostic, loadScenario, traceFlow } from '../core/index';
import { exportNetnsScript } from '../core/export/index';
import { flowPcapng } from '../core/trace/pcap';
import type { Args } from './commands';
import { readScenario, UsageError } from './io';

export interface ByteOutput {
  stdout: string | Uint8Array;
  stderr: string;
  code: number;
}

const fail = (stderr: string, code = 1): ByteOutput => ({ stdout: '', stderr: stderr.endsWith('\n') ? stderr : stderr + '\n', code });

function loadModel(file: string | undefined) {
  const r = loadScenario(readScenario(file), file);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.model) return { error: fail(errors.map((d) => formatDiagnostic(d, file!)).join('\n') || `${file}: cannot build the cluster`) };
  return { r, model: r.model };
}

type Proto = 'TCP' | 'UDP' | 'ICMP' | 'SCTP';

function protocolOf(v: unknown): Proto | undefined {
  if (v === undefined) return undefined;
  const p = String(v).toUpperCase();
  if (p !== 'TCP' && p !== 'UDP' && p !== 'ICMP') throw new UsageError(`--protocol takes tcp, udp or icmp, not "${String(v)}"`);
  return p;
}

/** The requests to trace: --from/--to, or every request (× count) of the scenario's Traffic. */
function requestsOf(a: Args, r: ReturnType<typeof loadScenario>): { from: string; to: string; protocol?: Proto }[] {
  const proto = protocolOf(a.values.protocol);
  if (typeof a.values.from === 'string' || typeof a.values.to === 'string') {
    if (typeof a.values.from !== 'string' || typeof a.values.to !== 'string') throw new UsageError('pcap needs both --from REF and --to TARGET (or neither, for the Traffic)');
    return [{ from: a.values.from, to: a.values.to, ...(proto ? { protocol: proto } : {}) }];
  }
  const out: { from: string; to: string; protocol?: Proto }[] = [];
  for (const doc of r.scenario.traffic) {
    for (const q of doc.value.spec.requests ?? []) {
      const n = Math.max(1, Math.min(q.count ?? 1, 1000));
      for (let i = 0; i < n; i++) out.push({ from: q.from, to: q.to, ...(q.protocol ? { protocol: q.protocol } : {}) });
    }
  }
  return out;
}

/** `hopscope export netns FILE [--prefix P] [--teardown]`. */
export function exportCommand(a: Args): ByteOutput {
  const [what, file] = a.positionals;
  if (what !== 'netns') throw new UsageError('export takes the target first: hopscope export netns FILE [--prefix P] [--teardown]');
  const l = loadModel(file);
  if ('error' in l) return l.error!;
  const prefix = typeof a.values.prefix === 'string' ? a.values.prefix : undefined;
  const r = exportNetnsScript(l.model, { ...(prefix !== undefined ? { prefix } : {}), teardown: a.values.teardown === true });
  if (!r.ok) return fail(`hopscope export: ${r.error}`, 1);
  return { stdout: r.script, stderr: '', code: 0 };
}

/** `hopscope pcap FILE [--from REF --to TARGET] [--protocol P] [--flow N] [--seed N] > trace.pcapng`. */
export function pcapCommand(a: Args): ByteOutput {
  const l = loadModel(a.positionals[0]);
  if ('error' in l) return l.error!;
  const seed = a.values.seed !== undefined ? Number(a.values.seed) : undefined;
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes an integer');
  const only = a.values.flow !== undefined ? Number(a.values.flow) : undefined;
  const reqs = requestsOf(a, l.r!);
  if (!reqs.length) return fail('hopscope pcap: nothing to trace: give --from and --to, or add a Traffic document');
  if (only !== undefined && (!Number.isInteger(only) || only < 0 || only >= reqs.length)) throw new UsageError(`--flow takes 0..${reqs.length - 1}`);
  const flows: Flow[] = [];
  for (let i = 0; i < reqs.length; i++) {
    const r = traceFlow(l.model, reqs[i]!, { index: i, ...(seed !== undefined ? { seed } : {}) });
    if (!r.ok) return fail(`hopscope pcap: request ${i} (${reqs[i]!.from} → ${reqs[i]!.to}): ${r.error}`);
    if (only === undefined || only === i) flows.push(r.flow);
  }
  if (process.stdout.isTTY) return fail('hopscope pcap: refusing to write pcapng to a terminal; redirect it: hopscope pcap FILE … > trace.pcapng', 2);
  return { stdout: flowPcapng(flows), stderr: '', code: 0 };
}
