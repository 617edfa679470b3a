/** sed: shortest expected delay — (active + 1) / weight (ip_vs_sed.c). */
import type { Scheduler } from './types';
import { available } from './types';

export const sed: Scheduler = (svc) => {
  let best;
  for (const d of available(svc)) if (!best || (d.activeConns + 1) * best.weight < (best.activeConns + 1) * d.weight) best = d;
  return best;
};
