/** Details of the object clicked on the canvas: pod (running or waiting), node, device, segment. */
import { useApp } from '../store/store';
import { ServiceDetails } from './ServiceDetails';
import { PendingPodDetails } from './PendingPodDetails';
import { PodPoliciesItem } from '../reach/PolicyShield'; // issue 8: NetworkPolicies selecting the pod

export function ObjectDetails() {
  const id = useApp((s) => s.selected);
  const summary = useApp((s) => s.summary);
  const renderings = useApp((s) => s.renderings);
  if (!id || !summary) return <p className="hs-muted">Click a node, pod, Service or device on the canvas.</p>;
  const svc = id.startsWith('svc:') ? summary.services?.find((s) => s.id === id) : undefined;
  if (svc) return <ServiceDetails svc={svc} />;
  const pending = id.startsWith('pending:') ? summary.pendingPods?.find((p) => p.id === id) : undefined;
  if (pending) return <PendingPodDetails pod={pending} />;
  const nsId = id.includes('#') ? id.slice(0, id.indexOf('#')) : id;
  const ns = summary.netns.find((n) => n.id === nsId);
  const seg = summary.segments.find((s) => `segment:${s.id}` === id);
  if (seg) return <section aria-label="Details"><h3>Segment {seg.id}</h3><p>{seg.cidr}</p><p>Ports: {seg.ports.join(', ')}</p></section>;
  if (!ns) return <p className="hs-muted">{id}</p>;
  const dev = id.includes('#') ? ns.devices.find((d) => d.id === id) : undefined;
  return (
    <section className="hs-details" aria-label="Details">
      {dev && (
        <>
          <h3>
            {dev.name} <span className="hs-muted">({dev.kind})</span>
          </h3>
          <p>
            mac {dev.mac} · mtu {dev.mtu} · ifindex {dev.ifindex} {dev.master ? `· master ${dev.master}` : ''} {dev.tunnel ?? ''}
          </p>
          <p>{dev.addresses.join(', ') || 'no addresses'}</p>
        </>
      )}
      <h3>
        {ns.pod ? `Pod ${ns.pod.namespace}/${ns.pod.name}` : `${ns.kind} ${ns.name}`}
      </h3>
      {ns.pod && (
        <ul>
          <li>IP {ns.pod.ip} on node {ns.node} {ns.pod.ready ? '' : '(not ready)'}</li>
          {ns.pod.containers.map((c) => (
            <li key={c.name}>
              container {c.name}: {c.image} {c.ports.join(', ')}
            </li>
          ))}
          <li>labels {Object.entries(ns.pod.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}</li>
          <PodPoliciesItem pod={`${ns.pod.namespace}/${ns.pod.name}`} />
        </ul>
      )}
      {ns.nodeInfo && (
        <ul>
          <li>IP {ns.nodeInfo.ip}</li>
          <li>podCIDR {ns.nodeInfo.podCIDR ?? ns.nodeInfo.blocks.join(', ')}</li>
        </ul>
      )}
      <h4>ip route</h4>
      <pre>{renderings[ns.id]?.ipRoute}</pre>
      <h4>ip addr</h4>
      <pre>{renderings[ns.id]?.ipAddr}</pre>
    </section>
  );
}
