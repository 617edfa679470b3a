/**
 * Details of a Pending pod, as `kubectl describe pod` would tell them: no IP, containers not
 * running, and the event in full (the canvas shows only part of it) — the kubelet's
 * FailedCreatePodSandBox for one waiting on its node in ContainerCreating, the scheduler's
 * FailedScheduling for one no node took.
 */
import type { PendingPodSummary } from '../../core/index';

export function PendingPodDetails({ pod }: { pod: PendingPodSummary }) {
  const unscheduled = pod.unschedulable !== undefined;
  return (
    <section className="hs-details" aria-label="Details">
      <h3>
        Pod {pod.namespace}/{pod.name} <span className="hs-muted">({pod.status})</span>
      </h3>
      <ul>
        {unscheduled ? (
          <li>not scheduled: no node could take it, so it has no node, no network namespace and no IP; the scheduler retries when the cluster changes</li>
        ) : (
          <li>no IP on node {pod.node}: its sandbox was not created, so it has no network namespace, no eth0 and no veth</li>
        )}
        {pod.containers.map((c) => (
          <li key={c.name}>
            container {c.name}: {c.image} {c.ports.join(', ')} ({unscheduled ? 'not created' : 'waiting: ContainerCreating'})
          </li>
        ))}
        <li>labels {Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}</li>
        {pod.owner && <li>controlled by {pod.owner}</li>}
      </ul>
      <h4>{unscheduled ? 'Why: no node passed the scheduler’s filters' : 'Why: the CNI plugin failed'}</h4>
      <p className="hs-pending-cni">{unscheduled ? pod.unschedulable : pod.cniError}</p>
      <h4>Event</h4>
      <pre className="hs-pending-event">{unscheduled ? `Warning  FailedScheduling  default-scheduler  ${pod.unschedulable}` : `Warning  FailedCreatePodSandBox  kubelet  ${pod.sandboxError}`}</pre>
    </section>
  );
}
