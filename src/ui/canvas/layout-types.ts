import type { Edge, Node } from '@xyflow/react';
import type { DeviceSummary, NetnsSummary } from '../../core/index';
import type { PendingPodSummary, ServiceSummary } from '../../core/view/summary';
import type { TunnelMesh } from './tunnel-mesh';

/** A node's handle ids: `t` on its top edge, `b` on its bottom edge. */
export type Port = 't' | 'b';
/** The handles edges attach to (layout-handles.ts); a node draws only these. */
type WithPorts = { ports?: Port[] };

export type DeviceData = WithPorts & { device: DeviceSummary };
export type GroupData = WithPorts & { ns: NetnsSummary; compact: boolean };
/** A pod waiting in ContainerCreating: no netns, so no device and no edge (view/summary.ts). */
export type PendingPodData = WithPorts & { pod: PendingPodSummary; compact: boolean };
/** The tray holding the pods no node took (layout.ts). */
export type UnscheduledTrayData = WithPorts & { count: number };
export type SegmentData = WithPorts & { id: string; cidr: string };
export type ServiceData = WithPorts & { svc: ServiceSummary; compact: boolean };
export type SvcNetData = WithPorts & { cidr: string; count: number };

export type CanvasNode =
  | Node<DeviceData, 'nic' | 'veth' | 'bridge' | 'vxlan' | 'ipip' | 'loopback' | 'dummy'>
  | Node<GroupData, 'k8sNode' | 'pod' | 'host'>
  | Node<PendingPodData, 'pendingPod'>
  | Node<UnscheduledTrayData, 'unscheduled'>
  | Node<SegmentData, 'segment'>
  | Node<ServiceData, 'service'>
  | Node<SvcNetData, 'svcnet'>;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CanvasLayout {
  nodes: CanvasNode[];
  edges: Edge[];
  /** Device id → id of the canvas node that stands for it at this detail level. */
  anchors: Record<string, string>;
  /** Absolute box of every canvas node (for packet placement before React Flow measures). */
  boxes: Record<string, Box>;
  /** Above `MESH_MAX` tunnel edges, the tunnels not drawn (tunnel-mesh.ts); absent when all are. */
  mesh?: TunnelMesh;
}
