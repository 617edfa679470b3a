/**
 * The human view of `hopscope run`: per request, how many flows were delivered or dropped and
 * which endpoint answered how often (the load-balancing distribution a user compares with the
 * ~1/n per endpoint kube-proxy's `statistic` rules aim for).
 */
import type { RunResult } from '../simulate/run';
import { renderTable } from './table';

function percent(n: number, of: number): string {
  return of ? `${((100 * n) / of).toFixed(1)}%` : '-';
}

/** Text for a run: one block per request, endpoints sorted by name. */
export function renderRunResult(r: RunResult): string {
  if (!r.requests.length) return 'No Traffic requests in the scenario.\n';
  return r.requests
    .map((q) => {
      const head = `${q.from} → ${q.to}: ${q.count} sent, ${q.delivered} delivered, ${q.dropped} dropped\n`;
      const rows = Object.keys(q.byEndpoint)
        .sort()
        .map((e) => [e, String(q.byEndpoint[e]), percent(q.byEndpoint[e]!, q.count)]);
      for (const why of Object.keys(q.reasons).sort()) rows.push([`(dropped: ${why})`, String(q.reasons[why]), percent(q.reasons[why]!, q.count)]);
      return rows.length ? head + renderTable(['ENDPOINT', 'COUNT', 'SHARE'], rows) : head;
    })
    .join('\n');
}
