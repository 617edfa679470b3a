/**
 * The load-balancing chart: for each Traffic request sent more than once, the answers per
 * endpoint of the whole run (`hopscope run`, faults applied), with live bars filling as the
 * fan-out's packets arrive. Text first (an accessible list), bars as decoration.
 */
import { useApp } from '../store/store';
import type { RequestTally } from '../../worker/protocol';

function Tally({ t, arrived, live }: { t: RequestTally; arrived: Record<string, number>; live: boolean }) {
  const rows = Object.entries(t.byEndpoint).sort((a, b) => a[0].localeCompare(b[0]));
  if (t.dropped) rows.push(['dropped', t.dropped]);
  return (
    <section className="hs-balance" aria-label={`Requests per endpoint: ${t.from} → ${t.to}`}>
      <h3>
        {t.from} → {t.to} <span className="hs-muted">× {t.count}</span>
      </h3>
      <ul role="list" aria-label="Requests per endpoint">
        {rows.map(([ep, n]) => {
          const pct = t.count ? (100 * n) / t.count : 0;
          const got = arrived[ep] ?? 0;
          return (
            <li key={ep} className={ep === 'dropped' ? 'hs-bar-dropped' : undefined}>
              <span className="hs-bar-label">
                {ep.replace(/^default\//, '')} <strong>{n}</strong> ({pct.toFixed(0)}%){live ? ` · ${got} arrived` : ''}
              </span>
              <span className="hs-bar" aria-hidden="true">
                <span className="hs-bar-fill" style={{ width: `${pct}%` }} />
                {live && <span className="hs-bar-live" style={{ width: `${t.count ? (100 * got) / t.count : 0}%` }} />}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function BalanceChart() {
  const tallies = useApp((s) => s.tallies);
  const arrived = useApp((s) => s.arrived);
  const live = useApp((s) => s.fanout !== null || Object.keys(s.arrived).length > 0);
  const many = tallies.filter((t) => t.count > 1);
  if (!many.length) return <p className="hs-muted">A Traffic request with a count above 1 is run whole here: requests per endpoint, as `hopscope run` counts them.</p>;
  return (
    <div className="hs-balance-all">
      {many.map((t, k) => (
        <Tally key={k} t={t} arrived={arrived} live={live} />
      ))}
    </div>
  );
}
