/**
 * Details of a pod waiting in ContainerCreating, as `kubectl describe pod` would tell them: no
 * IP on its node, containers waiting, and the FailedCreatePodSandBox event in full (the canvas
 * shows only the CNI plugin's part of it).
 */
import type { PendingPodSummary } from '../../core/index';

export function PendingPodDetails({ pod }: { pod: PendingPodSummary }) {
  return (
    <section className="hs-details" aria-label="Details">
      <h3>
        Pod {pod.namespace}/{pod.name} <span className="hs-muted">({pod.status})</span>
      </h3>
      <ul>
        <li>no IP on node {pod.node}: its sandbox was not created, so it has no network namespace, no eth0 and no veth</li>
        {pod.containers.map((c) => (
          <li key={c.name}>
            container {c.name}: {c.image} {c.ports.join(', ')} (waiting: ContainerCreating)
          </li>
        ))}
        <li>labels {Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}</li>
        {pod.owner && <li>controlled by {pod.owner}</li>}
      </ul>
      <h4>Why: the CNI plugin failed</h4>
      <p className="hs-pending-cni">{pod.cniError}</p>
      <h4>Event</h4>
      <pre className="hs-pending-event">Warning  FailedCreatePodSandBox  kubelet  {pod.sandboxError}</pre>
    </section>
  );
}
