/**
 * The compare view: the current scenario (A) and the same scenario with `--set` edits (B), one
 * flow traced in each; a summary table with the differing rows marked, and the two hop lists
 * aligned row by row (a gap where only one variant has a hop), differing rows highlighted.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { compareFlows } from '../../core/compare/index';
import type { CompareResult, FlowSummary } from '../../core/compare/index';
import type { Flow } from '../../core/index';
import { appStore, useApp } from '../store/store';

const ROWS: [keyof FlowSummary, string][] = [
  ['verdict', 'Verdict'],
  ['endpoint', 'Answered by'],
  ['hops', 'Hops'],
  ['routedHops', 'Routed hops'],
  ['encapBytes', 'Encapsulation bytes'],
  ['nat', 'NAT rewrites'],
  ['sourceSeenByServer', 'Source seen by server'],
  ['rulesEvaluated', 'Rules evaluated'],
];

function show(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.join('; ') : 'none';
  return v === undefined ? '—' : String(v);
}

function animate(flow: Flow): void {
  const s = appStore.getState();
  s.setFlows([{ from: flow.from, to: flow.to, index: 0, role: 'connection', flow }]);
  s.selectFlow(0);
  s.setHop(0);
  s.setPlaying(true);
}

function HopColumn({ label, flow, rows, side }: { label: string; flow: Flow; rows: { a: number | null; b: number | null; same: boolean }[]; side: 'a' | 'b' }) {
  return (
    <div>
      <h3>
        {label} — {flow.hops.length} hops{' '}
        <button type="button" onClick={() => animate(flow)}>
          Animate {side.toUpperCase()}
        </button>
      </h3>
      <ol aria-label={`Hops of ${label}`}>
        {rows.map((r, i) => {
          const idx = r[side];
          const h = idx === null ? null : flow.hops[idx]!;
          return h ? (
            <li key={i} className={r.same ? '' : 'hs-diff'} value={idx! + 1}>
              {h.stage} · {h.netns}
              {h.device ? ` ${h.device}` : ''}
            </li>
          ) : (
            <li key={i} className="hs-gap" aria-hidden="true">
              —
            </li>
          );
        })}
      </ol>
    </div>
  );
}

export default function ComparePanel() {
  const text = useApp((s) => s.text);
  const [sets, setSets] = useState('cni.plugin=calico cni.backend=bgp');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<CompareResult | null>(null);
  const run = (e: FormEvent) => {
    e.preventDefault();
    setResult(compareFlows(text, sets.split(/\s+/).filter(Boolean), { from, to }));
  };
  const v = result?.ok ? result.value : null;
  return (
    <div className="hs-compare">
      <form onSubmit={run}>
        <label>
          B sets <input aria-label="Variant B settings" value={sets} onChange={(e) => setSets(e.target.value)} />
        </label>
        <label>
          From <input aria-label="Compare from" placeholder="pod/client" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To <input aria-label="Compare to" placeholder="http://web" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit">Compare</button>
      </form>
      {result && !result.ok && (
        <p className="hs-compare-error" role="alert">
          {result.error}
        </p>
      )}
      {v && (
        <div className="hs-compare-body">
          <table className="hs-compare-summary" aria-label="Comparison summary">
            <thead>
              <tr>
                <th />
                <th>A (as written)</th>
                <th>B ({sets})</th>
              </tr>
            </thead>
            <tbody>
              {ROWS.map(([k, label]) => {
                const differs = v.differences.some((d) => d.field === k);
                return (
                  <tr key={k} className={differs ? 'hs-diff' : ''} data-differs={differs}>
                    <th scope="row">{label}</th>
                    <td>{show(v.a.summary[k])}</td>
                    <td>{show(v.b.summary[k])}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <HopColumn label="A" flow={v.a.flow} rows={v.rows} side="a" />
          <HopColumn label="B" flow={v.b.flow} rows={v.rows} side="b" />
        </div>
      )}
    </div>
  );
}
