/** A Service as a virtual IP (no device, no route), and the band that holds the service network. */
import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import type { ServiceData, SvcNetData } from '../layout-types';
import { useApp } from '../../store/store';
import { selectNatService } from '../../store/selectors';
import { Handles } from './handles';

function portsText(d: ServiceData): string {
  const s = d.svc;
  const ip = s.clusterIP === 'None' ? 'headless' : s.clusterIP || s.type;
  const ports = s.ports.map((p) => `${p.port}${p.targetPort !== String(p.port) ? `→${p.targetPort}` : ''}${p.protocol !== 'TCP' ? `/${p.protocol}` : ''}`);
  return ports.length ? `${ip}:${ports.join(',')}` : ip;
}

export const ServiceNode = memo(function ServiceNode({ id, data }: NodeProps<Node<ServiceData>>) {
  const active = useApp((s) => selectNatService(s) === id);
  const s = data.svc;
  const ready = s.endpoints.filter((e) => e.ready).length;
  const name = s.namespace === 'default' ? s.name : `${s.namespace}/${s.name}`;
  return (
    <div className={`hs-service${active ? ' hs-service-active' : ''}${ready === 0 ? ' hs-service-empty' : ''}`} title={`Service ${s.namespace}/${s.name} (${s.type}): a virtual IP, on no device and no route`}>
      <Handles ports={data.ports} />
      <div className="hs-service-head">
        <span className="hs-badge">svc</span>
        <strong>{name}</strong>
        {s.type !== 'ClusterIP' && <span className="hs-muted">{s.type}</span>}
      </div>
      <div className="hs-service-ip">{portsText(data)}</div>
      <div className="hs-muted hs-service-eps">
        {s.endpoints.length === 0 ? 'no endpoints' : `${ready}/${s.endpoints.length} endpoint${s.endpoints.length === 1 ? '' : 's'} ready`}
        {active && <span className="hs-service-nat"> · DNAT</span>}
      </div>
    </div>
  );
});

export const ServiceNetwork = memo(function ServiceNetwork({ data }: NodeProps<Node<SvcNetData>>) {
  return (
    <div className="hs-svcnet">
      <div className="hs-group-head">
        <strong>Service network {data.cidr}</strong>
        <span className="hs-muted">virtual IPs: no device, no route — kube-proxy's rules rewrite them</span>
      </div>
    </div>
  );
});
