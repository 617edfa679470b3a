/**
 * The Reachability view's state (issue 8): its controls and the worker's last matrix — a worker
 * result like the others in the store (STYLE §10), kept under one `reach` key.
 */
import type { StateCreator } from 'zustand';
import type { ReachMatrix } from '../../core/simulate/reach';
import type { AppState } from '../store/types';
import type { ReachCol } from './view-model';

export interface ReachControls {
  port: number;
  protocol: 'TCP' | 'UDP' | 'ICMP';
  /** One namespace, or '' for every namespace but kube-system (as `hopscope reach`). */
  namespace: string;
}

export interface ReachState {
  options: ReachControls;
  /** `large`: more pods than are probed without asking (see reach-controller.ts). */
  status: 'idle' | 'computing' | 'ready' | 'error' | 'large';
  matrix: ReachMatrix | null;
  error: string | null;
  /** Pods the matrix has (or would have, when `large`). */
  pods: number;
  /** Wall-clock ms the worker spent. */
  ms: number;
  /** The cell last clicked, whose flow is on the canvas. */
  cell: { row: number; col: ReachCol } | null;
}

export interface ReachSlice {
  reach: ReachState;
  setReachOptions(p: Partial<ReachControls>): void;
  setReach(p: Partial<Omit<ReachState, 'options'>>): void;
}

export const REACH_DEFAULTS: ReachControls = { port: 80, protocol: 'TCP', namespace: '' };

export const reachSlice: StateCreator<AppState, [], [], ReachSlice> = (set) => ({
  reach: { options: REACH_DEFAULTS, status: 'idle', matrix: null, error: null, pods: 0, ms: 0, cell: null },
  setReachOptions: (p) => set((s) => ({ reach: { ...s.reach, options: { ...s.reach.options, ...p } } })),
  setReach: (p) => set((s) => ({ reach: { ...s.reach, ...p } })),
});
