/**
 * Aligns the hops of two flows for a side-by-side view: a longest common subsequence on
 * (node, stage), so the hops both variants share sit on one row and the ones only one variant
 * has (an encap, an IPVS hop, an extra FORWARD) sit opposite a gap.
 */
import type { Hop } from '../trace/types';

/** One row: the index of a hop in A and/or in B (null for a gap), and whether they differ. */
export interface AlignedRow {
  a: number | null;
  b: number | null;
  same: boolean;
}

function key(h: Hop): string {
  return `${h.node}|${h.stage}`;
}

/** Rows covering every hop of `a` and `b` in order. O(n·m), fine for traces of tens of hops. */
export function alignHops(a: readonly Hop[], b: readonly Hop[]): AlignedRow[] {
  const n = a.length;
  const m = b.length;
  const L: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i]![j] = key(a[i]!) === key(b[j]!) ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  const rows: AlignedRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && key(a[i]!) === key(b[j]!)) {
      rows.push({ a: i, b: j, same: a[i]!.device === b[j]!.device && (a[i]!.changed ?? []).join() === (b[j]!.changed ?? []).join() });
      i++;
      j++;
    } else if (j >= m || (i < n && L[i + 1]![j]! >= L[i]![j + 1]!)) rows.push({ a: i++, b: null, same: false });
    else rows.push({ a: null, b: j++, same: false });
  }
  return rows;
}
