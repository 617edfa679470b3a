/**
 * The service network on the canvas: a band above the Kubernetes nodes holding one box per
 * Service — a virtual IP that sits on no device and no route — with a dashed edge to each of
 * its endpoints. Drawn the same way at both detail levels; endpoints anchor to their pod's group
 * (or the node, for host-network endpoints such as the API server behind `kubernetes`).
 */
import type { Edge } from '@xyflow/react';
import type { ServiceSummary } from '../../core/view/summary';
import type { Detail } from '../store/types';
import type { Builder } from './layout-builder';
import { GAP, HEAD, PAD, ROW_GAP } from './layout-builder';

export const SVC_W = 200;
export const SVC_H = 58;
export const SVCNET_ID = 'svcnet';

/** Centre x of a Service's endpoints on the canvas (services with none go last). */
function endpointX(b: Builder, s: ServiceSummary): number {
  const xs = s.endpoints.flatMap((e) => {
    const box = e.netns ? b.boxes[e.netns] : undefined;
    return box ? [box.x + box.w / 2] : [];
  });
  return xs.length ? xs.reduce((a, c) => a + c, 0) / xs.length : Number.POSITIVE_INFINITY;
}

function serviceEdges(b: Builder, s: ServiceSummary): Edge[] {
  const edges: Edge[] = [];
  for (const e of s.endpoints) {
    if (!e.netns || !b.boxes[e.netns]) continue;
    edges.push({
      id: `${s.id}>${e.ip}`,
      source: s.id,
      target: e.netns,
      sourceHandle: 'b',
      targetHandle: 't',
      className: `edge-service${e.ready ? '' : ' edge-service-down'}`,
      selectable: false,
      focusable: false,
      data: { service: s.id, endpoint: e.target ?? e.ip },
    });
  }
  return edges;
}

/**
 * Places the band above y = 0 across `span`, sorted so each Service sits over its endpoints,
 * wrapping into more rows when they do not fit. Returns the endpoint edges.
 */
export function placeServices(b: Builder, services: ServiceSummary[], serviceCIDR: string, span: number, detail: Detail): Edge[] {
  if (!services.length) return [];
  const sorted = [...services].sort((x, y) => endpointX(b, x) - endpointX(b, y) || x.id.localeCompare(y.id));
  const perRow = Math.max(1, Math.floor((span - 2 * PAD + GAP) / (SVC_W + GAP)));
  const rows = Math.ceil(sorted.length / perRow);
  const h = HEAD + rows * SVC_H + (rows - 1) * GAP + PAD;
  const band = { x: 0, y: -h - ROW_GAP * 2, w: Math.max(span, perRow * (SVC_W + GAP) - GAP + 2 * PAD), h };
  b.boxes[SVCNET_ID] = band;
  b.nodes.push({ id: SVCNET_ID, type: 'svcnet', position: { x: band.x, y: band.y }, width: band.w, height: band.h, data: { cidr: serviceCIDR, count: services.length }, selectable: false, focusable: false });
  sorted.forEach((s, k) => {
    const row = Math.floor(k / perRow);
    const inRow = Math.min(perRow, sorted.length - row * perRow);
    const x0 = (band.w - (inRow * (SVC_W + GAP) - GAP)) / 2;
    const x = x0 + (k % perRow) * (SVC_W + GAP);
    const y = HEAD + row * (SVC_H + GAP);
    b.boxes[s.id] = { x: band.x + x, y: band.y + y, w: SVC_W, h: SVC_H };
    b.nodes.push({ id: s.id, type: 'service', position: { x, y }, width: SVC_W, height: SVC_H, parentId: SVCNET_ID, extent: 'parent', data: { svc: s, compact: detail === 'overview' } });
  });
  return sorted.flatMap((s) => serviceEdges(b, s));
}
