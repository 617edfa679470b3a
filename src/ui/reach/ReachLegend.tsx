/**
 * The key to the reachability matrix: one line per mark, the same marks and words as the legend
 * `hopscope reach` prints, each mark drawn as its cells are.
 */
import type { ReachOutcome } from '../../core/simulate/reach';
import { REACH_MARKS } from '../../core/simulate/reach';

/** The class a cell of each outcome gets (reach.css colours them). */
export const OUTCOME_CLASS: Readonly<Record<ReachOutcome, string>> = {
  allowed: 'hs-allow',
  policy: 'hs-deny',
  refused: 'hs-refused',
  dropped: 'hs-dropped',
};

export function ReachLegend() {
  return (
    <ul className="hs-reach-legend" aria-label="Legend">
      {(Object.keys(REACH_MARKS) as ReachOutcome[]).map((o) => (
        <li key={o}>
          <span className={`hs-reach-cell ${OUTCOME_CLASS[o]}`} aria-hidden="true">
            {REACH_MARKS[o].mark}
          </span>{' '}
          {REACH_MARKS[o].legend}
        </li>
      ))}
    </ul>
  );
}
