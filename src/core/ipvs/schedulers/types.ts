/** A scheduler picks a real server for a new connection (ip_vs_scheduler.schedule). */
import type { IpvsDest, IpvsService } from '../types';
import type { Rng } from '../../util/rng';

export interface ScheduleInput {
  client: string;
  /** The client's source port (mh and sh hash it when the service has their -port flag). */
  clientPort: number;
  rng: Rng;
}

export type Scheduler = (svc: IpvsService, input: ScheduleInput) => IpvsDest | undefined;

/** Servers that may take new connections (weight > 0), in table order. */
export function available(svc: IpvsService): IpvsDest[] {
  return svc.dests.filter((d) => d.weight > 0);
}

/** The kernel's load estimate for lc/wlc: active × 256 + inactive (ip_vs_dest_conn_overhead). */
export function overhead(d: IpvsDest): number {
  return d.activeConns * 256 + d.inactiveConns;
}
