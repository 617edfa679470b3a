/** The layout's sizes and the builder that records nodes, absolute boxes and device anchors. */
import type { DeviceSummary, NetnsSummary, PendingPodSummary } from '../../core/index';
import type { Box, CanvasNode } from './layout-types';
import { pendingPodLabel } from './pending-pod';

export const DW = 112;
export const DH = 34;
export const GAP = 14;
export const PAD = 12;
export const HEAD = 30;
export const LINE = 16;
export const ROW_GAP = 36;
export const COL_GAP = 64;

const DEVICE_ORDER: Record<string, number> = { nic: 0, vxlan: 1, ipip: 1, bridge: 2, dummy: 3, veth: 4, loopback: 9 };

export function byKind(a: DeviceSummary, b: DeviceSummary): number {
  return (DEVICE_ORDER[a.kind] ?? 5) - (DEVICE_ORDER[b.kind] ?? 5) || a.ifindex - b.ifindex;
}

/**
 * Devices drawn as boxes. Loopbacks are left out: a hop on `lo` is rare (a pod calling
 * 127.0.0.1) and anchors to its namespace's group instead, while two `lo` boxes per pod would
 * widen every pod and shrink the whole picture at the default zoom.
 */
export function drawnDevices(ns: NetnsSummary): DeviceSummary[] {
  return ns.devices.filter((d) => d.kind !== 'loopback').sort(byKind);
}

export class Builder {
  nodes: CanvasNode[] = [];
  anchors: Record<string, string> = {};
  boxes: Record<string, Box> = {};

  group(ns: NetnsSummary, type: 'k8sNode' | 'pod' | 'host', box: Box, parent: string | undefined, compact: boolean): void {
    const abs = parent ? { ...box, x: box.x + this.boxes[parent]!.x, y: box.y + this.boxes[parent]!.y } : box;
    this.boxes[ns.id] = abs;
    this.nodes.push({ id: ns.id, type, position: { x: box.x, y: box.y }, width: box.w, height: box.h, data: { ns, compact }, ...(parent ? { parentId: parent, extent: 'parent' as const } : {}) });
    for (const d of ns.devices) this.anchors[d.id] ??= ns.id;
  }

  /** A pod with no sandbox: a box in its node with an accessible name that says why, and nothing inside. */
  pendingPod(p: PendingPodSummary, parent: string, box: Box, compact: boolean): void {
    const o = this.boxes[parent]!;
    this.boxes[p.id] = { ...box, x: box.x + o.x, y: box.y + o.y };
    this.nodes.push({ id: p.id, type: 'pendingPod', position: { x: box.x, y: box.y }, width: box.w, height: box.h, parentId: parent, extent: 'parent', ariaLabel: pendingPodLabel(p), data: { pod: p, compact } });
  }

  device(d: DeviceSummary, parent: string, x: number, y: number): void {
    const p = this.boxes[parent]!;
    this.boxes[d.id] = { x: p.x + x, y: p.y + y, w: DW, h: DH };
    this.anchors[d.id] = d.id;
    this.nodes.push({ id: d.id, type: d.kind, position: { x, y }, width: DW, height: DH, parentId: parent, extent: 'parent', data: { device: d } });
  }
}
