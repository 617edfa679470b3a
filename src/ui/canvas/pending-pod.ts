/**
 * How a pod waiting in ContainerCreating is named on the canvas. Its sandbox was never created
 * (the CNI ADD failed, e.g. an exhausted pod range), so it has no IP: the name says so and why,
 * since that is the whole lesson of drawing it (a Deployment scaled past its node's podCIDR).
 */
import type { PendingPodSummary } from '../../core/index';

/** "Pod NS/NAME ContainerCreating: no IP (CNI error)": the node's accessible name and tooltip. */
export function pendingPodLabel(p: PendingPodSummary): string {
  return `Pod ${p.namespace}/${p.name} ${p.status}: no IP (${p.cniError})`;
}
