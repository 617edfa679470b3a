/** Helpers every benchmark shares: JSON-lines output, medians, and the load baseline. */

/** Prints one figure as a JSON line. */
export function emit(o: Record<string, unknown>): void {
  console.log(JSON.stringify(o));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * A fixed workload (string keys, Map, small objects, a sort) timed beside every figure: the
 * machine is shared, so each figure is also printed beside this baseline run in the same
 * process (ANCHORS.md method). On an idle run of the 2-core box it takes tens of milliseconds.
 */
export function baselineMs(): number {
  const t0 = performance.now();
  const m = new Map<string, { a: number; b: string }>();
  let s = 0;
  for (let i = 0; i < 200000; i++) {
    const k = `k${i % 5000}.${i & 7}`;
    const o = m.get(k);
    if (o) s += o.a;
    else m.set(k, { a: i, b: k });
  }
  const arr: number[] = [];
  for (let i = 0; i < 200000; i++) arr.push((i * 2654435761) >>> 0);
  arr.sort((x, y) => x - y);
  if (s + arr[0]! === -1) console.log('');
  return performance.now() - t0;
}
