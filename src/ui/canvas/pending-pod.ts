/**
 * How a Pending pod is named on the canvas. It has no IP, and the name says why, since that is
 * the whole lesson of drawing it: its sandbox was never created (the CNI ADD failed, e.g. a
 * Deployment scaled past its node's podCIDR), or no node could take it (the scheduler's
 * FailedScheduling message: a nodeSelector no node matches, a host port held everywhere).
 */
import type { PendingPodSummary } from '../../core/index';

/** Why it waits, in a line: the CNI plugin's error, or the scheduler's message. */
export function pendingPodWhy(p: PendingPodSummary): string {
  return p.unschedulable ?? p.cniError ?? '';
}

/**
 * "Pod NS/NAME ContainerCreating: no IP (CNI error)", or "Pod NS/NAME Pending: not scheduled
 * (0/2 nodes are available: …)": the node's accessible name and tooltip.
 */
export function pendingPodLabel(p: PendingPodSummary): string {
  return `Pod ${p.namespace}/${p.name} ${p.status}: ${p.unschedulable !== undefined ? 'not scheduled' : 'no IP'} (${pendingPodWhy(p)})`;
}
