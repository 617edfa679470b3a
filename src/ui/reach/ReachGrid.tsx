/**
 * The reachability matrix as an ARIA grid: a row per source pod, a column per destination pod
 * (plus the DNS probe), one button per cell named after its outcome ("default/a to default/b:
 * allowed", "…: denied by a NetworkPolicy", "…: refused, nothing listens", "…: dropped (no route to
 * the destination)"), its tooltip adding why. One cell
 * is in the tab order; arrow keys, Home and End move between cells (roving tabindex).
 */
import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { CellView, ReachCol, ReachView } from './view-model';
import { OUTCOME_CLASS } from './ReachLegend';

interface Props {
  view: ReachView;
  selected: { row: number; col: ReachCol } | null;
  onProbe: (row: number, col: ReachCol) => void;
}

const MOVES: Record<string, (r: number, c: number, rows: number, cols: number) => [number, number]> = {
  ArrowUp: (r, c) => [r - 1, c],
  ArrowDown: (r, c) => [r + 1, c],
  ArrowLeft: (r, c) => [r, c - 1],
  ArrowRight: (r, c) => [r, c + 1],
  Home: (r) => [r, 0],
  End: (r, _c, _rows, cols) => [r, cols - 1],
};

function Cell({ cell, focus, current, onProbe }: { cell: CellView; focus: boolean; current: boolean; onProbe: Props['onProbe'] }) {
  return (
    <td role="gridcell" className={cell.col === 'dns' ? 'hs-reach-dns' : undefined}>
      <button type="button" className={`hs-reach-cell ${OUTCOME_CLASS[cell.outcome]}`} aria-label={cell.label} title={cell.why ? `${cell.label} — ${cell.why}` : cell.label} aria-current={current ? 'true' : undefined} tabIndex={focus ? 0 : -1} data-row={cell.row} data-col={cell.col} onClick={() => onProbe(cell.row, cell.col)}>
        {cell.symbol}
      </button>
    </td>
  );
}

export function ReachGrid({ view, selected, onProbe }: Props) {
  const [focus, setFocus] = useState<[number, number]>([0, 0]);
  const table = useRef<HTMLTableElement>(null);
  const ncols = view.columns.length + (view.dnsTarget ? 1 : 0);
  const onKey = (e: KeyboardEvent) => {
    const move = MOVES[e.key];
    if (!move) return;
    e.preventDefault();
    const [r, c] = move(focus[0], focus[1], view.rows.length, ncols);
    const next: [number, number] = [Math.max(0, Math.min(r, view.rows.length - 1)), Math.max(0, Math.min(c, ncols - 1))];
    setFocus(next);
    table.current?.querySelectorAll<HTMLButtonElement>('tbody tr')[next[0]]?.querySelectorAll('button')[next[1]]?.focus();
  };
  const isSel = (c: CellView) => selected?.row === c.row && selected.col === c.col;
  return (
    <table ref={table} role="grid" aria-label="Reachability matrix" className="hs-reach-grid" onKeyDown={onKey}>
      <thead>
        <tr>
          <td />
          {view.groups.map((g, k) => (
            <th key={k} scope="colgroup" colSpan={g.span}>
              {g.namespace}
            </th>
          ))}
          {view.dnsTarget && <td />}
        </tr>
        <tr>
          <td className="hs-muted">from ↓ to →</td>
          {view.columns.map((c) => (
            <th key={c.pod} scope="col" title={c.pod}>
              {c.name}
            </th>
          ))}
          {view.dnsTarget && (
            <th scope="col" title={`kube-dns ${view.dnsTarget}`} className="hs-reach-dns">
              DNS
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {view.rows.map((r, ri) => (
          <tr key={r.pod}>
            <th scope="row">{r.pod}</th>
            {[...r.cells, ...(r.dns ? [r.dns] : [])].map((c, ci) => (
              <Cell key={ci} cell={c} focus={focus[0] === ri && focus[1] === ci} current={isSel(c)} onProbe={onProbe} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
