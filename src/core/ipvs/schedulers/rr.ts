/** rr: round robin over the available servers (ip_vs_rr.c). */
import type { Scheduler } from './types';

export const rr: Scheduler = (svc) => {
  const n = svc.dests.length;
  for (let i = 1; i <= n; i++) {
    const idx = (svc.cursor + i + n) % n;
    const d = svc.dests[idx]!;
    if (d.weight > 0) {
      svc.cursor = idx;
      return d;
    }
  }
  return undefined;
};
