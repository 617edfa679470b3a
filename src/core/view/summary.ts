/**
 * A plain-data picture of the model for the canvas (DESIGN §1: the UI only draws): every
 * namespace with its devices, and every link between devices — veth pairs, bridge ports,
 * segment attachments, tunnels between VTEPs. Device ids are `${netns}#${device}`, the same ids
 * trace hops carry in `deviceId`, so a hop can be placed on the canvas directly.
 */
import type { ClusterModel, Device } from '../model/types';

export interface DeviceSummary {
  id: string;
  netns: string;
  name: string;
  kind: Device['kind'];
  ifindex: number;
  mac: string;
  mtu: number;
  up: boolean;
  addresses: string[];
  master?: string;
  /** vxlan: VNI and port; ipip: "ipip". */
  tunnel?: string;
}

export interface NetnsSummary {
  id: string;
  kind: 'node' | 'pod' | 'router' | 'host';
  /** Kubernetes node it belongs to (or "underlay"/"external"). */
  node: string;
  name: string;
  /** For pods: NS/NAME, IP, containers and their ports. */
  pod?: { namespace: string; name: string; ip: string; ready: boolean; containers: { name: string; image: string; ports: string[] }[]; owner?: string; labels: Record<string, string> };
  /** For nodes: IP and pod CIDR / Calico blocks. */
  nodeInfo?: { ip: string; podCIDR?: string; blocks: string[] };
  devices: DeviceSummary[];
}

export type LinkKind = 'veth' | 'bridge-port' | 'segment' | 'tunnel';

export interface LinkSummary {
  id: string;
  kind: LinkKind;
  a: string;
  b: string;
  /** e.g. "VXLAN VNI 1 udp/8472", "IPIP". */
  label?: string;
}

export interface SegmentSummary {
  id: string;
  cidr: string;
  ports: string[];
}

export interface ModelSummary {
  name: string;
  cni: { plugin: string; backend?: string; mtu: number };
  proxyMode: string;
  podCIDR: string;
  serviceCIDR: string;
  netns: NetnsSummary[];
  segments: SegmentSummary[];
  links: LinkSummary[];
}

function deviceSummary(netns: string, d: Device): DeviceSummary {
  const s: DeviceSummary = { id: `${netns}#${d.name}`, netns, name: d.name, kind: d.kind, ifindex: d.ifindex, mac: d.mac, mtu: d.mtu, up: d.up, addresses: d.addresses.map((a) => `${a.ip}/${a.prefix}`) };
  if (d.master) s.master = d.master;
  if (d.kind === 'vxlan') s.tunnel = `VXLAN VNI ${d.vni} udp/${d.dstport}`;
  if (d.kind === 'ipip') s.tunnel = 'IPIP';
  return s;
}

/** Summarises the model for drawing; deterministic order (nodes, then their pods, then the rest). */
export function summarizeModel(model: ClusterModel): ModelSummary {
  const netns: NetnsSummary[] = [];
  const links: LinkSummary[] = [];
  for (const ns of model.netns.values()) {
    const s: NetnsSummary = { id: ns.id, kind: ns.kind, node: ns.node, name: ns.name, devices: ns.devices.map((d) => deviceSummary(ns.id, d)) };
    const pod = ns.pod ? model.pods.find((p) => `${p.namespace}/${p.name}` === ns.pod) : undefined;
    if (pod) s.pod = { namespace: pod.namespace, name: pod.name, ip: pod.ip, ready: pod.ready, labels: pod.labels, containers: pod.containers.map((c) => ({ name: c.name, image: c.image, ports: c.ports.map((p) => `${p.containerPort}/${p.protocol}`) })), ...(pod.owner ? { owner: pod.owner } : {}) };
    const node = ns.kind === 'node' ? model.nodes.find((n) => n.netns === ns.id) : undefined;
    if (node) s.nodeInfo = { ip: node.ip, blocks: node.blocks, ...(node.podCIDR ? { podCIDR: node.podCIDR } : {}) };
    netns.push(s);
    for (const d of ns.devices) {
      if (d.kind === 'veth' && ns.id < d.peer.netns) links.push({ id: `veth:${ns.id}#${d.name}`, kind: 'veth', a: `${ns.id}#${d.name}`, b: `${d.peer.netns}#${d.peer.name}` });
      if (d.master) links.push({ id: `port:${ns.id}#${d.name}`, kind: 'bridge-port', a: `${ns.id}#${d.master}`, b: `${ns.id}#${d.name}` });
    }
  }
  const segments = [...model.segments.values()].map((seg) => ({ id: seg.id, cidr: seg.cidr, ports: seg.ports.map((p) => `${p.netns}#${p.dev}`) }));
  for (const seg of segments) for (const p of seg.ports) links.push({ id: `seg:${p}`, kind: 'segment', a: `segment:${seg.id}`, b: p });
  // Tunnels: each VXLAN FDB entry or IPIP route is a logical link between two nodes' tunnel devices.
  for (const ns of model.netns.values()) {
    for (const e of ns.fdb) {
      if (!e.self || !e.dst) continue;
      const peer = model.nodes.find((n) => n.ip === e.dst);
      if (peer && ns.id < peer.netns) links.push({ id: `tunnel:${ns.id}#${e.dev}>${peer.netns}`, kind: 'tunnel', a: `${ns.id}#${e.dev}`, b: `${peer.netns}#${e.dev}`, label: deviceSummary(ns.id, ns.devices.find((d) => d.name === e.dev)!).tunnel ?? 'VXLAN' });
    }
    for (const r of ns.routes) {
      if (r.dev !== 'tunl0' || !r.via) continue;
      const peer = model.nodes.find((n) => n.ip === r.via);
      if (peer && ns.id < peer.netns && !links.some((l) => l.id === `tunnel:${ns.id}#tunl0>${peer.netns}`)) links.push({ id: `tunnel:${ns.id}#tunl0>${peer.netns}`, kind: 'tunnel', a: `${ns.id}#tunl0`, b: `${peer.netns}#tunl0`, label: 'IPIP (proto 4)' });
    }
  }
  return { name: model.name, cni: model.cni, proxyMode: model.proxyMode, podCIDR: model.podCIDR, serviceCIDR: model.serviceCIDR, netns, segments, links };
}
