/** wrr: weighted round robin — servers appear in proportion to their weights, interleaved by the gcd of the weights (ip_vs_wrr.c). */
import type { Scheduler } from './types';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export const wrr: Scheduler = (svc) => {
  const n = svc.dests.length;
  const weights = svc.dests.map((d) => d.weight);
  const max = Math.max(0, ...weights);
  if (max === 0) return undefined;
  const g = weights.filter((w) => w > 0).reduce(gcd);
  for (let guard = 0; guard < n * (max / g + 1); guard++) {
    svc.cursor = (svc.cursor + 1) % n;
    if (svc.cursor === 0) {
      svc.cw -= g;
      if (svc.cw <= 0) svc.cw = max;
    }
    const d = svc.dests[svc.cursor]!;
    if (d.weight >= svc.cw && d.weight > 0) return d;
  }
  return undefined;
};
