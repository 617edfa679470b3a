/**
 * The `from` and `to` forms of DESIGN §2: `pod/NAME`, `pod/NS/NAME`, `pod/NS/NAME/CONTAINER`,
 * `node/NAME`, `external/NAME` as sources; an IP, `IP:port`, `pod/NS/NAME:PORT`,
 * `node/NAME:PORT` or a URL as targets. Resolving a name to an address is DNS's job and
 * happens elsewhere; here a target must come down to an IP.
 */
import type { ClusterModel, Netns } from '../model/types';
import { buildExternalHost } from '../compile/underlay';
import { isIPv4 } from '../util/ip';

export interface Source {
  netns: Netns;
  /** For display: "pod/default/client", "node/node-1" … */
  label: string;
  container?: string;
}

export interface Target {
  host: string;
  ip?: string;
  port?: number;
  protocol: 'tcp' | 'udp' | 'icmp' | 'sctp';
  /** Text of the URL path etc., for payload summaries. */
  scheme?: string;
  path?: string;
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; error: string };

function externalAddress(model: ClusterModel): string {
  const used = new Set<string>();
  for (const ns of model.netns.values()) if (ns.kind === 'host') for (const d of ns.devices) for (const a of d.addresses) used.add(a.ip);
  for (let i = 10; i < 250; i++) if (!used.has(`203.0.113.${i}`)) return `203.0.113.${i}`;
  return '203.0.113.250';
}

/** `ref.split('/')` per source text, remembered (pure and bounded, like the target syntax below). */
const SOURCE_PARTS = new Map<string, readonly string[]>();

function sourceParts(ref: string): readonly string[] {
  let parts = SOURCE_PARTS.get(ref);
  if (!parts) {
    parts = ref.split('/');
    if (SOURCE_PARTS.size > 10_000) SOURCE_PARTS.clear();
    SOURCE_PARTS.set(ref, parts);
  }
  return parts;
}

/**
 * Why a pod that exists cannot send or receive: it is Pending with no network namespace and no
 * IP (model/types.ts PendingPod), because no node took it or its sandbox was never created.
 * Undefined for any other name.
 */
export function pendingReason(model: ClusterModel, ns: string, name: string): string | undefined {
  const p = model.pendingPods?.find((x) => x.namespace === ns && x.name === name);
  if (!p) return undefined;
  if ('unschedulable' in p) return `pod ${ns}/${name} is Pending: not scheduled (${p.unschedulable})`;
  return `pod ${ns}/${name} has no IP: its sandbox was not created (${p.sandboxError})`;
}

export function resolveSource(model: ClusterModel, ref: string): Resolved<Source> {
  const parts = sourceParts(ref);
  const kind = parts[0];
  if (kind === 'pod' && parts.length >= 2 && parts.length <= 4) {
    const [ns, name, container] = parts.length === 2 ? ['default', parts[1]!, undefined] : [parts[1]!, parts[2]!, parts[3]];
    const pod = model.pods.find((p) => p.namespace === ns && p.name === name);
    if (!pod) return { ok: false, error: pendingReason(model, ns, name) ?? `no pod ${ns}/${name} (pods: ${model.pods.map((p) => `${p.namespace}/${p.name}`).join(', ') || 'none'})` };
    if (container && !pod.containers.some((c) => c.name === container)) return { ok: false, error: `pod ${ns}/${name} has no container "${container}" (containers: ${pod.containers.map((c) => c.name).join(', ')})` };
    return { ok: true, value: { netns: model.netns.get(pod.netns)!, label: `pod/${ns}/${name}${container ? `/${container}` : ''}`, ...(container ? { container } : {}) } };
  }
  if (kind === 'node' && parts.length === 2) {
    const node = model.nodes.find((n) => n.name === parts[1]);
    if (!node) return { ok: false, error: `no node ${parts[1]} (nodes: ${model.nodes.map((n) => n.name).join(', ')})` };
    return { ok: true, value: { netns: model.netns.get(node.netns)!, label: `node/${node.name}` } };
  }
  if (kind === 'external' && parts.length === 2 && parts[1]) {
    const ns = model.netns.get(`external:${parts[1]}`) ?? buildExternalHost(model, model.seed, parts[1], externalAddress(model));
    return { ok: true, value: { netns: ns, label: `external/${parts[1]}` } };
  }
  return { ok: false, error: `"${ref}" is not a source: use pod/NAME, pod/NS/NAME, pod/NS/NAME/CONTAINER, node/NAME or external/NAME` };
}

const SCHEMES: Record<string, { protocol: Target['protocol']; port?: number }> = {
  http: { protocol: 'tcp', port: 80 },
  https: { protocol: 'tcp', port: 443 },
  tcp: { protocol: 'tcp' },
  udp: { protocol: 'udp' },
  icmp: { protocol: 'icmp' },
  sctp: { protocol: 'sctp' },
};

function splitHostPort(s: string): { host: string; port?: number } | null {
  const m = /^(.*?)(?::(\d+))?$/.exec(s);
  if (!m || !m[1]) return null;
  return m[2] !== undefined ? { host: m[1], port: Number(m[2]) } : { host: m[1] };
}

/** What the text of a target says, before any lookup in the model. */
type TargetSyntax =
  | { ok: false; error: string }
  | { ok: true; target: Target; isIp: boolean; pod?: { ns: string; name: string }; node?: string };

/**
 * Target texts already read: the syntax is a pure function of the text and the protocol, and
 * running the regexes per traced flow showed up in trace profiles. Bounded like parseCidr's cache.
 */
const SYNTAX = new Map<unknown, Map<string, TargetSyntax>>();

function targetSyntax(ref: string, protocol: 'TCP' | 'UDP' | 'ICMP' | 'SCTP' | undefined): TargetSyntax {
  // Keyed by the protocol, then by the text itself (no key string built per call).
  const key = String(protocol);
  let byRef = SYNTAX.get(key);
  if (!byRef) {
    if (SYNTAX.size > 100) SYNTAX.clear(); // unchecked input may name any protocol
    SYNTAX.set(key, (byRef = new Map()));
  }
  let hit = byRef.get(ref);
  if (!hit) {
    hit = readTarget(ref, protocol);
    if (byRef.size > 10_000) byRef.clear();
    byRef.set(ref, hit);
  }
  return hit;
}

function readTarget(ref: string, protocol: 'TCP' | 'UDP' | 'ICMP' | 'SCTP' | undefined): TargetSyntax {
  // The type says TCP/UDP/ICMP, but CLI and YAML input arrives unchecked.
  if (protocol !== undefined && !['TCP', 'UDP', 'ICMP', 'SCTP'].includes(String(protocol).toUpperCase())) {
    return { ok: false, error: `protocol ${String(protocol)} is not modelled by the datapath (TCP, UDP, SCTP or ICMP)` };
  }
  let rest = ref.trim();
  let scheme: string | undefined;
  let path: string | undefined;
  const url = /^([a-z]+):\/\/([^/]*)(\/.*)?$/i.exec(rest);
  if (url) {
    scheme = url[1]!.toLowerCase();
    if (!SCHEMES[scheme]) return { ok: false, error: `unsupported scheme "${scheme}" (use http, https, tcp, udp, sctp or icmp)` };
    rest = url[2]!;
    path = url[3] ?? '/';
  }
  const hp = splitHostPort(rest);
  if (!hp) return { ok: false, error: `"${ref}" is not a target` };
  let port = hp.port ?? (scheme ? SCHEMES[scheme]!.port : undefined);
  if (port !== undefined && (port < 1 || port > 65535)) return { ok: false, error: `port ${port} is out of range` };
  const proto = protocol ? (protocol.toLowerCase() as Target['protocol']) : scheme ? SCHEMES[scheme]!.protocol : port !== undefined ? 'tcp' : 'icmp';
  if (proto !== 'icmp' && port === undefined) return { ok: false, error: `${proto.toUpperCase()} to "${ref}" needs a port` };
  if (proto === 'icmp') port = undefined;
  const t: Target = { host: hp.host, protocol: proto, ...(port !== undefined ? { port } : {}), ...(scheme ? { scheme } : {}), ...(path ? { path } : {}) };
  if (isIPv4(hp.host)) return { ok: true, target: t, isIp: true };
  const parts = hp.host.split('/');
  if (parts[0] === 'pod' && (parts.length === 2 || parts.length === 3)) {
    const [ns, name] = parts.length === 2 ? ['default', parts[1]!] : [parts[1]!, parts[2]!];
    return { ok: true, target: t, isIp: false, pod: { ns, name } };
  }
  if (parts[0] === 'node' && parts.length === 2) return { ok: true, target: t, isIp: false, node: parts[1]! };
  return { ok: true, target: t, isIp: false };
}

/** A copy of `t` with `ip` set (field by field: the spread of a target per flow showed up in trace profiles). */
function withIp(t: Target, ip: string | undefined): Target {
  const c: Target = { host: t.host, protocol: t.protocol };
  if (t.port !== undefined) c.port = t.port;
  if (t.scheme !== undefined) c.scheme = t.scheme;
  if (t.path !== undefined) c.path = t.path;
  if (ip !== undefined) c.ip = ip;
  return c;
}

/** Parses a target; `ip` is set when the host is an address or a pod/node reference. */
export function parseTarget(model: ClusterModel, ref: string, protocol?: 'TCP' | 'UDP' | 'ICMP' | 'SCTP'): Resolved<Target> {
  const syn = targetSyntax(ref, protocol);
  if (!syn.ok) return { ok: false, error: syn.error };
  // A fresh object per call: callers may change what they get.
  const t = syn.target;
  if (syn.isIp) return { ok: true, value: withIp(t, t.host) };
  if (syn.pod) {
    const { ns, name } = syn.pod;
    const pod = model.pods.find((p) => p.namespace === ns && p.name === name);
    if (!pod) return { ok: false, error: pendingReason(model, ns, name) ?? `no pod ${ns}/${name}` };
    return { ok: true, value: withIp(t, pod.ip) };
  }
  if (syn.node !== undefined) {
    const node = model.nodes.find((n) => n.name === syn.node);
    if (!node) return { ok: false, error: `no node ${syn.node}` };
    return { ok: true, value: withIp(t, node.ip) };
  }
  return { ok: true, value: withIp(t, undefined) };
}
