/**
 * A pod waiting in ContainerCreating: drawn in its node like a pod, but dashed and greyed with a
 * badge, and no device inside (its sandbox, so its eth0 and veth, was never created). It names
 * the CNI plugin's error; the details panel shows the whole event.
 */
import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import type { PendingPodData } from '../layout-types';
import { pendingPodLabel } from '../pending-pod';
import { Handles } from './handles';

/** The box's content (no React Flow context needed, so it renders on its own in tests). */
export function PendingPodBox({ data }: { data: PendingPodData }) {
  const pod = data.pod;
  return (
    <div className={`hs-group hs-pod hs-pending${data.compact ? '' : ' hs-pending-detail'}`} title={pendingPodLabel(pod)}>
      <div className="hs-group-head">
        <strong>{pod.name}</strong>
      </div>
      {/* On a line of its own: a pod's long name would push it out of the box. */}
      <div className="hs-pending-status">
        <span className="hs-badge hs-pending-badge">{pod.status}</span> no IP
      </div>
      <ul className="hs-containers">
        {pod.containers.map((c) => (
          <li key={c.name}>
            ▢ {c.name} <span className="hs-muted">{c.image} waiting</span>
          </li>
        ))}
      </ul>
      <p className="hs-pending-why">{pod.cniError}</p>
    </div>
  );
}

export const PendingPodGroup = memo(function PendingPodGroup({ data }: NodeProps<Node<PendingPodData>>) {
  return (
    <>
      <Handles ports={data.ports} />
      <PendingPodBox data={data} />
    </>
  );
});
