/** Compound nodes: a Kubernetes node, a pod (with its containers), a router or external host, a segment. */
import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import type { GroupData, SegmentData } from '../layout-types';
import { Handles } from './handles';
import { PolicyShield } from '../../reach/PolicyShield'; // issue 8: NetworkPolicy shields

export const K8sNodeGroup = memo(function K8sNodeGroup({ data }: NodeProps<Node<GroupData>>) {
  const info = data.ns.nodeInfo;
  return (
    <div className="hs-group hs-k8snode">
      <Handles ports={data.ports} />
      <div className="hs-group-head">
        <strong>{data.ns.name}</strong>
        <span>{info?.ip}</span>
        <span className="hs-muted">podCIDR {info?.podCIDR ?? info?.blocks.join(', ')}</span>
      </div>
    </div>
  );
});

export const PodGroup = memo(function PodGroup({ data }: NodeProps<Node<GroupData>>) {
  const pod = data.ns.pod;
  return (
    <div className={`hs-group hs-pod${pod && !pod.ready ? ' hs-down' : ''}`}>
      <Handles ports={data.ports} />
      <div className="hs-group-head">
        <strong>{pod ? pod.name : data.ns.name}</strong>
        <span>{pod?.ip}</span>
        {pod && <PolicyShield pod={`${pod.namespace}/${pod.name}`} />}
      </div>
      <ul className="hs-containers">
        {pod?.containers.map((c) => (
          <li key={c.name}>
            ▣ {c.name} <span className="hs-muted">{c.image}{c.ports.length ? ` :${c.ports.join(',')}` : ''}</span>
          </li>
        ))}
      </ul>
    </div>
  );
});

export const HostGroup = memo(function HostGroup({ data }: NodeProps<Node<GroupData>>) {
  const ns = data.ns;
  const addr = ns.devices.flatMap((d) => d.addresses).filter((a) => !a.startsWith('127.'));
  return (
    <div className={`hs-group hs-host hs-host-${ns.kind}`}>
      <Handles ports={data.ports} />
      <div className="hs-group-head">
        <strong>{ns.kind === 'router' ? `router ${ns.name}` : `external ${ns.name}`}</strong>
        <span className="hs-muted">{addr.join(' ')}</span>
      </div>
    </div>
  );
});

export const SegmentNode = memo(function SegmentNode({ data }: NodeProps<Node<SegmentData>>) {
  return (
    <div className="hs-segment">
      <Handles ports={data.ports} />
      <strong>{data.id === 'internet' ? 'internet' : `underlay ${data.id}`}</strong> <span>{data.cidr}</span>
    </div>
  );
});
