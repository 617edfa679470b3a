/**
 * The Reachability view (issue 8): port, protocol and namespace controls, the matrix every pod
 * to every pod (computed in a worker by tracing real flows), and what the clicked cell says.
 * Clicking a cell plays that flow on the canvas; a denied one stops on the hop that dropped it,
 * with the deciding rule highlighted in the inspector's Rules tab.
 */
import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { appStore, useApp } from '../store/store';
import type { AppState } from '../store/types';
import { ReachGrid } from './ReachGrid';
import { ReachLegend } from './ReachLegend';
import { useReachController } from './use-reach';
import { outcomeCounts, reachView } from './view-model';
import type { ReachView } from './view-model';
import type { ReachState } from './reach-slice';
import './reach.css';

const EMPTY: string[] = [];
const namespacesCache = new WeakMap<object, string[]>();

function selectNamespaces(s: AppState): string[] {
  if (!s.summary) return EMPTY;
  let list = namespacesCache.get(s.summary);
  if (!list) {
    list = [...new Set(s.summary.netns.flatMap((n) => (n.pod ? [n.pod.namespace] : [])))].sort();
    namespacesCache.set(s.summary, list);
  }
  return list;
}

function Controls() {
  const o = useApp((s) => s.reach.options);
  const namespaces = useApp(selectNamespaces);
  const [port, setPort] = useState(String(o.port));
  const commit = (e?: FormEvent) => {
    e?.preventDefault();
    const n = Number(port);
    if (port.trim() !== '' && n !== o.port) appStore.getState().setReachOptions({ port: n });
  };
  const set = appStore.getState().setReachOptions;
  return (
    <form aria-label="Reachability options" onSubmit={commit}>
      <label>
        Port <input type="number" min={1} max={65535} value={port} disabled={o.protocol === 'ICMP'} onChange={(e) => setPort(e.target.value)} onBlur={() => commit()} />
      </label>
      <label>
        Protocol{' '}
        <select value={o.protocol} onChange={(e) => set({ protocol: e.target.value as ReachState['options']['protocol'] })}>
          <option>TCP</option>
          <option>UDP</option>
          <option>ICMP</option>
        </select>
      </label>
      <label>
        Namespace{' '}
        <select value={o.namespace} onChange={(e) => set({ namespace: e.target.value })}>
          <option value="">all but kube-system</option>
          {namespaces.map((ns) => (
            <option key={ns}>{ns}</option>
          ))}
        </select>
      </label>
    </form>
  );
}

function statusText(r: ReachState, view: ReachView | null): string {
  if (r.status === 'computing') return `Tracing ${r.pods * r.pods} flows (${r.pods} pods)…`;
  if (r.status === 'error') return r.error ?? 'failed';
  if (r.status === 'large') return `${r.pods} pods: ${r.pods * r.pods} flows to trace.`;
  if (!view) return 'Waiting for a model without errors.';
  if (!view.rows.length) return 'No pods in this namespace.';
  const on = r.matrix!.protocol === 'ICMP' ? 'ICMP' : `${r.matrix!.port}/${r.matrix!.protocol}`;
  return `${view.rows.length} pods · ${on} · ${outcomeCounts(view)} · ${Math.round(r.ms)} ms`;
}

/** What the clicked cell says: its label and, when denied, why (the policy that isolates it). */
function CellNote({ view, cell }: { view: ReachView; cell: ReachState['cell'] }) {
  const row = cell ? view.rows[cell.row] : undefined;
  const c = row && cell ? (cell.col === 'dns' ? row.dns : row.cells[cell.col]) : undefined;
  if (!c) return <p className="hs-reach-why hs-muted">Click a cell to play its flow; a denied one stops where it was dropped.</p>;
  return (
    <p className="hs-reach-why" aria-live="polite">
      <strong>{c.label}</strong>
      {c.why ? ` — ${c.why}` : ''}
    </p>
  );
}

export default function ReachPanel() {
  const ctl = useReachController();
  const reach = useApp((s) => s.reach);
  const notEnforced = useApp((s) => s.diagnostics.find((d) => d.code === 'netpol-not-enforced')?.message);
  const view = useMemo(() => (reach.matrix ? reachView(reach.matrix) : null), [reach.matrix]);
  return (
    <div className="hs-reach">
      <Controls />
      <p className="hs-reach-status" role="status">
        {statusText(reach, view)}
        {reach.status === 'large' && (
          <button type="button" onClick={() => void ctl?.compute(true)}>
            Compute anyway
          </button>
        )}
      </p>
      {notEnforced && <p className="hs-reach-note">{notEnforced}</p>}
      {view && (reach.status === 'ready' || reach.status === 'computing') && (
        <div className="hs-reach-body" aria-busy={reach.status === 'computing'}>
          <ReachGrid view={view} selected={reach.cell} onProbe={(r, c) => void ctl?.probe(r, c)} />
          <ReachLegend />
          <CellNote view={view} cell={reach.cell} />
        </div>
      )}
    </div>
  );
}
