/** A Service's details: its virtual IP, ports, and endpoints with their readiness. */
import type { ServiceSummary } from '../../core/view/summary';

export function ServiceDetails({ svc }: { svc: ServiceSummary }) {
  return (
    <section className="hs-details" aria-label="Details">
      <h3>
        Service {svc.namespace}/{svc.name} <span className="hs-muted">({svc.type})</span>
      </h3>
      <p>
        ClusterIP <code>{svc.clusterIP || 'none'}</code>: a virtual IP. No device holds it and no route leads to it; kube-proxy's rules on every node rewrite it (DNAT) to one endpoint.
      </p>
      <h4>Ports</h4>
      <ul>
        {svc.ports.map((p) => (
          <li key={`${p.port}/${p.protocol}`}>
            {p.name ? `${p.name}: ` : ''}
            {p.port}/{p.protocol} → targetPort {p.targetPort}
            {p.nodePort ? ` · nodePort ${p.nodePort}` : ''}
          </li>
        ))}
      </ul>
      {svc.externalIPs.length > 0 && <p>Also reached at {svc.externalIPs.join(', ')}</p>}
      {svc.selector && (
        <p>
          selector{' '}
          {Object.entries(svc.selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}
        </p>
      )}
      <h4>Endpoints ({svc.endpoints.length})</h4>
      <ul>
        {svc.endpoints.map((e) => (
          <li key={e.ip}>
            {e.ip} {e.ports.join(', ')} {e.target ? `· pod ${e.target}` : ''} {e.nodeName ? `on ${e.nodeName}` : ''} {e.ready ? '· ready' : e.serving ? '· serving, not ready' : '· not ready'}
            {e.terminating ? ' · terminating' : ''}
          </li>
        ))}
        {svc.endpoints.length === 0 && <li>none: a connection to this Service is rejected</li>}
      </ul>
    </section>
  );
}
