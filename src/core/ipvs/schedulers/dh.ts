/** dh: destination hashing — by the virtual address (ip_vs_dh.c), so one VIP sticks to one server. */
import type { Scheduler } from './types';
import { available } from './types';
import { hashString } from '../../util/rng';

export const dh: Scheduler = (svc) => {
  const ds = available(svc);
  return ds.length ? ds[hashString(svc.address) % ds.length] : undefined;
};
