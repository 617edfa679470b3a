/** nq: never queue — an idle server if there is one, else shortest expected delay (ip_vs_nq.c). */
import type { Scheduler } from './types';
import { available } from './types';
import { sed } from './sed';

export const nq: Scheduler = (svc, input) => available(svc).find((d) => d.activeConns === 0) ?? sed(svc, input);
