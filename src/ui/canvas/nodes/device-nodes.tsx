/** One memoised canvas node per device kind (STYLE §6); all share the DeviceBox frame. */
import { memo } from 'react';
import type { NodeProps, Node } from '@xyflow/react';
import type { DeviceData } from '../layout-types';
import { Handles } from './handles';

type P = NodeProps<Node<DeviceData>>;

function DeviceBox({ data, badge, extra }: { data: DeviceData; badge: string; extra?: string }) {
  const d = data.device;
  const addr = d.addresses.find((a) => !a.startsWith('127.'));
  return (
    // The kind badge is the box's ::before (data-badge): one element fewer on each of the
    // canvas's most numerous nodes.
    <div className={`hs-device hs-device-${d.kind}${d.up ? '' : ' hs-down'}`} data-badge={badge} title={`${d.name} (${d.kind}) ${d.addresses.join(' ')} mtu ${d.mtu} ${d.mac}`}>
      <Handles ports={data.ports} />
      <span className="hs-dev-name">{d.name}</span>
      <span className="hs-dev-sub">{extra ?? addr ?? (d.master ? `master ${d.master}` : '')}</span>
    </div>
  );
}

export const NicNode = memo(function NicNode({ data }: P) {
  return <DeviceBox data={data} badge="NIC" />;
});
export const VethNode = memo(function VethNode({ data }: P) {
  return <DeviceBox data={data} badge="veth" />;
});
export const BridgeNode = memo(function BridgeNode({ data }: P) {
  return <DeviceBox data={data} badge="br" />;
});
export const VxlanNode = memo(function VxlanNode({ data }: P) {
  return <DeviceBox data={data} badge="vxlan" extra={data.device.tunnel?.replace('VXLAN ', '')} />;
});
export const IpipNode = memo(function IpipNode({ data }: P) {
  return <DeviceBox data={data} badge="ipip" />;
});
export const LoopbackNode = memo(function LoopbackNode({ data }: P) {
  return <DeviceBox data={data} badge="lo" />;
});
export const DummyNode = memo(function DummyNode({ data }: P) {
  return <DeviceBox data={data} badge="dummy" />;
});
