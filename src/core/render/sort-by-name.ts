/**
 * Sorting things by their name in UTF-16 code-unit order (the order `<` gives strings, and the
 * order libiptc keeps user chains in), as a stable sort would: equal names keep their order.
 *
 * Why not `Array.prototype.sort`: iptables-save of 10k Services sorts 110k chain names that
 * were made one by one during a restore, scattered over a heap of hundreds of megabytes; each
 * of the ~2M comparisons reads two of them from memory the cache no longer holds. Here each
 * name is read once, its code units copied into one typed array, and a multikey quicksort
 * (Bentley & Sedgewick, "Fast algorithms for sorting and searching strings") sorts name numbers
 * by one code unit at a time. The array holds a column per position (the first code unit of
 * every name, then the second …), so a partition at one position reads one column, a few
 * hundred kB that stay in cache, rather than a row of every name.
 */

/** Rows wider than this, or more code units than `MAX_UNITS` in all, go to the built-in sort. */
const MAX_WIDTH = 256;
const MAX_UNITS = 1 << 24;
/** Partitions this small are finished by insertion sort. */
const SMALL = 12;

function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `items` sorted by `name` (a new array; `items` is not changed). */
export function sortedByName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  const order = orderByName(items);
  const out = new Array<T>(order.length);
  for (let i = 0; i < order.length; i++) out[i] = items[order[i]!]!;
  return out;
}

/** The indices of `items` in the order `sortedByName` puts them. */
export function orderByName(items: readonly { readonly name: string }[]): Int32Array {
  const n = items.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 2) return order;
  let longest = 0;
  for (let i = 0; i < n; i++) if (items[i]!.name.length > longest) longest = items[i]!.name.length;
  // One more column than the longest name, so every row ends with a 0 (end of name).
  const width = longest + 1;
  if (width > MAX_WIDTH || n * width > MAX_UNITS) return builtinOrder(items, order);
  const units = new Uint16Array(n * width);
  for (let i = 0; i < n; i++) {
    const name = items[i]!.name;
    for (let j = 0; j < name.length; j++) {
      const c = name.charCodeAt(j);
      // A NUL in a name would read as its end: leave such names to the built-in sort.
      if (c === 0) return builtinOrder(items, order);
      units[j * n + i] = c;
    }
  }
  sortRows(units, n, order, 0, n, 0);
  return order;
}

/** The built-in (stable) sort of the indices in `order` (0 … n-1) by name. */
function builtinOrder(items: readonly { readonly name: string }[], order: Int32Array): Int32Array {
  const sorted = Array.from(order).sort((a, b) => byName(items[a]!, items[b]!));
  return Int32Array.from(sorted);
}

/**
 * Sorts `order[lo, hi)`, whose names agree on their first `d` code units, from position `d` on.
 * `units[k * n + r]` is code unit `k` of name `r` (0 past its end).
 */
function sortRows(units: Uint16Array, n: number, order: Int32Array, lo: number, hi: number, d: number): void {
  while (hi - lo > SMALL) {
    const column = d * n;
    const a = units[column + order[lo]!]!;
    const b = units[column + order[(lo + hi) >> 1]!]!;
    const c = units[column + order[hi - 1]!]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Three ways: [lo, lt) below the pivot, [lt, gt] equal to it, (gt, hi) above it.
    let lt = lo;
    let gt = hi - 1;
    let i = lo;
    while (i <= gt) {
      const r = order[i]!;
      const u = units[column + r]!;
      if (u < pivot) {
        order[i++] = order[lt]!;
        order[lt++] = r;
      } else if (u > pivot) {
        order[i] = order[gt]!;
        order[gt--] = r;
      } else i++;
    }
    sortRows(units, n, order, lo, lt, d);
    sortRows(units, n, order, gt + 1, hi, d);
    if (pivot === 0) {
      // Equal names: back to their original order, as a stable sort leaves them.
      order.subarray(lt, gt + 1).sort();
      return;
    }
    lo = lt;
    hi = gt + 1;
    d++;
  }
  insertionSort(units, n, order, lo, hi, d);
}

/** Name `r` compared with name `s` from position `d` on; equal names by number (original order). */
function compareRows(units: Uint16Array, n: number, r: number, s: number, d: number): number {
  for (let k = d * n; k < units.length; k += n) {
    const x = units[k + r]!;
    const y = units[k + s]!;
    if (x !== y) return x - y;
    if (x === 0) break;
  }
  return r - s;
}

function insertionSort(units: Uint16Array, n: number, order: Int32Array, lo: number, hi: number, d: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const r = order[i]!;
    let j = i - 1;
    while (j >= lo && compareRows(units, n, order[j]!, r, d) > 0) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = r;
  }
}
