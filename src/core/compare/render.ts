/** `hopscope compare`'s text: both summaries in two columns, then the differences. */
import type { Comparison } from './index';
import type { FlowSummary } from './summary';

function show(v: unknown): string {
  if (v === undefined) return '-';
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
  return String(v);
}

const LABELS: [keyof FlowSummary, string][] = [
  ['verdict', 'verdict'],
  ['endpoint', 'answered by'],
  ['hops', 'hops (request)'],
  ['replyHops', 'hops (reply)'],
  ['routedHops', 'routed hops (TTL -1)'],
  ['encapBytes', 'encapsulation bytes'],
  ['encapsulation', 'encapsulation'],
  ['nat', 'NAT rewrites'],
  ['sourceSeenByServer', 'source seen by server'],
  ['rulesEvaluated', 'iptables rules evaluated'],
];

function devicesDiff(a: string[], b: string[]): string {
  const onlyA = a.filter((d) => !b.includes(d));
  const onlyB = b.filter((d) => !a.includes(d));
  return `${a.length} → ${b.length}${onlyA.length ? `; only in A: ${onlyA.join(', ')}` : ''}${onlyB.length ? `; only in B: ${onlyB.join(', ')}` : ''}`;
}

/** Two columns (A | B) of the summaries, the devices crossed, then one line per difference. */
export function renderComparison(c: Comparison, sets: readonly string[]): string {
  const a = c.a.summary;
  const b = c.b.summary;
  const rows = LABELS.map(([k, label]) => [label, show(a[k]), show(b[k])] as const);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(8, ...rows.map((r) => r[1].length));
  let out = `B = A with ${sets.join(' ')}\n\n${''.padEnd(w0)}   ${'A'.padEnd(w1)}   B\n`;
  for (const [label, va, vb] of rows) out += `${label.padEnd(w0)}   ${va.padEnd(w1)}   ${vb}${va === vb ? '' : '   *'}\n`;
  out += `\ndevices crossed (A, ${a.devices.length}): ${a.devices.join(' → ')}\ndevices crossed (B, ${b.devices.length}): ${b.devices.join(' → ')}\n`;
  out += `\ndifferences (${c.differences.length}):\n`;
  out += c.differences.length ? c.differences.map((d) => `  ${d.field}: ${d.field === 'devices' ? devicesDiff(a.devices, b.devices) : `${show(d.a)} → ${show(d.b)}`}\n`).join('') : '  none: the two variants carry this flow the same way\n';
  return out;
}
