import type { NodeTypes } from '@xyflow/react';
import { BridgeNode, DummyNode, IpipNode, LoopbackNode, NicNode, VethNode, VxlanNode } from './device-nodes';
import { HostGroup, K8sNodeGroup, PodGroup, SegmentNode } from './group-nodes';
import { ServiceNetwork, ServiceNode } from './service-nodes';
import { PendingPodGroup, UnscheduledTray } from './pending-pod-node';

/** Module-scope node types, so React Flow never sees a new object (perf: no remounts). */
export const nodeTypes: NodeTypes = {
  nic: NicNode,
  veth: VethNode,
  bridge: BridgeNode,
  vxlan: VxlanNode,
  ipip: IpipNode,
  loopback: LoopbackNode,
  dummy: DummyNode,
  k8sNode: K8sNodeGroup,
  pod: PodGroup,
  pendingPod: PendingPodGroup,
  unscheduled: UnscheduledTray,
  host: HostGroup,
  segment: SegmentNode,
  service: ServiceNode,
  svcnet: ServiceNetwork,
};
