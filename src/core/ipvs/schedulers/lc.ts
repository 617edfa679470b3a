/** lc: least connections — the server with the smallest overhead (ip_vs_lc.c). */
import type { Scheduler } from './types';
import { available, overhead } from './types';

export const lc: Scheduler = (svc) => {
  let best;
  for (const d of available(svc)) if (!best || overhead(d) < overhead(best)) best = d;
  return best;
};
