/**
 * How the model's namespaces and underlay become real names on one Linux host. Network
 * namespace names have no length limit, so they carry the model's names; interface names
 * (15 characters, IFNAMSIZ - 1) are the model's device names, plus the underlay's bridges
 * and switch ports, which the model does not have as devices and which get short names here.
 */
import type { ClusterModel, Netns } from '../model/types';

/** Namespace prefix used when none is given (`hs-node-1`, `hs-default.web-0`). */
export const DEFAULT_PREFIX = 'hs-';

/** Linux's limit on interface names (IFNAMSIZ 16 including the terminating NUL). */
export const IFNAME_MAX = 15;

/** The namespace holding one bridge per underlay segment (the switches). */
export function underlayNetnsName(prefix: string): string {
  return `${prefix}underlay`;
}

/**
 * The real namespace name of a model namespace: `<prefix><node>` for nodes,
 * `<prefix><namespace>.<pod>` for pods, `<prefix><name>` for the router (`router`,
 * `vpc-router`) and `<prefix>ext-<name>` for external hosts.
 */
export function netnsNameFor(ns: Netns, prefix: string): string {
  switch (ns.kind) {
    case 'node':
      return `${prefix}${ns.node}`;
    case 'pod':
      return `${prefix}${(ns.pod ?? ns.name).replace('/', '.')}`;
    case 'router':
      return `${prefix}${ns.name}`;
    case 'host':
      return `${prefix}ext-${ns.name}`;
  }
}

/** The bridge standing for segment `segmentId` in the underlay namespace (`br-underlay-0`). */
export function segmentBridgeName(segmentId: string): string {
  return `br-${segmentId}`.slice(0, IFNAME_MAX);
}

/**
 * The underlay-side end of the cable from (`netns`, `dev`) to its segment: `s<segment>p<port>`
 * by the order of `model.segments` and of each segment's ports. Undefined when the device is
 * not cabled to a segment.
 */
export function underlayPortName(model: ClusterModel, netns: string, dev: string): string | undefined {
  let s = 0;
  for (const seg of model.segments.values()) {
    const p = seg.ports.findIndex((port) => port.netns === netns && port.dev === dev);
    if (p >= 0) return `s${s}p${p}`;
    s++;
  }
  return undefined;
}

/** What a listener answers with: the pod (NS/NAME), the node name, or `external/NAME`. */
export function listenerLabel(ns: Netns): string {
  if (ns.pod) return ns.pod;
  if (ns.kind === 'host') return `external/${ns.name}`;
  return ns.kind === 'node' ? ns.node : ns.name;
}
