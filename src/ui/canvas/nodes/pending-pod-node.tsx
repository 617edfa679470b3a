/**
 * A Pending pod: drawn like a pod, but dashed and greyed with a badge, and no device inside (its
 * sandbox, so its eth0 and veth, was never created). One waiting in ContainerCreating sits in
 * its node and names the CNI plugin's error; one no node took sits in the Unscheduled tray and
 * names the scheduler's message. The details panel shows the whole event.
 */
import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import type { PendingPodData, UnscheduledTrayData } from '../layout-types';
import { pendingPodLabel, pendingPodWhy } from '../pending-pod';
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
        <span className="hs-badge hs-pending-badge">{pod.status}</span> {pod.unschedulable !== undefined ? 'no node, no IP' : 'no IP'}
      </div>
      <ul className="hs-containers">
        {pod.containers.map((c) => (
          <li key={c.name}>
            ▢ {c.name} <span className="hs-muted">{c.image} {pod.unschedulable !== undefined ? 'not created' : 'waiting'}</span>
          </li>
        ))}
      </ul>
      <p className="hs-pending-why">{pendingPodWhy(pod)}</p>
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

/** The tray beside the nodes that holds the pods no node took (layout.ts `UNSCHEDULED_ID`). */
export const UnscheduledTray = memo(function UnscheduledTray({ data }: NodeProps<Node<UnscheduledTrayData>>) {
  return (
    <div className="hs-unscheduled">
      <div className="hs-group-head">
        <strong>Unscheduled</strong>
        <span className="hs-muted">
          {data.count} pod{data.count === 1 ? '' : 's'} no node could take
        </span>
      </div>
    </div>
  );
});
