/** wlc: weighted least connections — smallest overhead / weight (ip_vs_wlc.c). */
import type { Scheduler } from './types';
import { available, overhead } from './types';

export const wlc: Scheduler = (svc) => {
  let best;
  for (const d of available(svc)) if (!best || overhead(d) * best.weight < overhead(best) * d.weight) best = d;
  return best;
};
