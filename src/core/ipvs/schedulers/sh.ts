/** sh: source hashing — the same client address always maps to the same server (ip_vs_sh.c). */
import type { Scheduler } from './types';
import { available } from './types';
import { hashString } from '../../util/rng';

export const sh: Scheduler = (svc, { client }) => {
  const ds = available(svc);
  return ds.length ? ds[hashString(client) % ds.length] : undefined;
};
