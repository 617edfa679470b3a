/** Schedulers by name; an unknown name falls back to rr, as kube-proxy's probe would reject it at start-up. */
import type { Scheduler } from './types';
import { rr } from './rr';
import { wrr } from './wrr';
import { lc } from './lc';
import { wlc } from './wlc';
import { sh } from './sh';
import { dh } from './dh';
import { sed } from './sed';
import { nq } from './nq';
import { mh } from './mh';

const SCHEDULERS: Record<string, Scheduler> = { rr, wrr, lc, wlc, sh, dh, sed, nq, mh };

export function getScheduler(name: string): Scheduler {
  return SCHEDULERS[name] ?? rr;
}

export function isKnownScheduler(name: string): boolean {
  return name in SCHEDULERS;
}
