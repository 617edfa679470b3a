/**
 * KubeProxyConfiguration (plus the host facts a config cannot state) → the options the iptables
 * proxier runs with.
 *
 * Read first: cmd/kube-proxy/app/server*.go (defaults, local-traffic detector) and the
 * kubeproxy.config.k8s.io/v1alpha1 defaults. Host facts come from Node annotations because a Node
 * object cannot say them: `hopscope.dev/oracle-nfacct` (the nfacct counters could be created) and
 * `hopscope.dev/oracle-random-fully` (iptables supports `--random-fully`).
 */
import type { KubeProxyConfiguration, Node } from '../../k8s/types';
import type { IpFamily } from './addr';
import { parseCidr, parseIp } from './addr';

/** How kube-proxy tells pod traffic from other traffic (spec §6). */
export type LocalDetector =
  | { mode: 'ClusterCIDR'; cidr: string }
  | { mode: 'BridgeInterface'; interfaceName: string }
  | { mode: 'InterfaceNamePrefix'; prefix: string };

/** Everything the iptables proxier needs besides Services and EndpointSlices. */
export interface KubeProxyOptions {
  /** The family this proxier programs (iptables for IPv4, ip6tables for IPv6). */
  ipFamily: IpFamily;
  /** The masquerade mark as written in restore text: Go's `%#08x` of `1 << masqueradeBit`. */
  masqueradeMark: string;
  /** `iptables.masqueradeAll`: SNAT every ClusterIP connection, not only non-pod ones. */
  masqueradeAll: boolean;
  /** null when no detector exists for this family (e.g. `clusterCIDR: ""`). */
  localDetector: LocalDetector | null;
  /** `nodePortAddresses` as configured (CIDRs of either family, or `primary`); empty = all. */
  nodePortAddresses: string[];
  /** `iptables.localhostNodePorts` as configured (the proxier narrows it, spec §7). */
  localhostNodePorts: boolean;
  /** `conntrack.tcpBeLiberal`: kube-proxy then drops no INVALID packets. */
  tcpBeLiberal: boolean;
  /** Host fact: the nfacct counters exist (adds `-m nfacct` to two rules). */
  nfacct: boolean;
  /** Host fact: iptables supports `--random-fully` on MASQUERADE. */
  randomFully: boolean;
}

/** Default `iptables.masqueradeBit` (mark 0x4000). */
export const DEFAULT_MASQUERADE_BIT = 14;

/** Node annotation: interface addresses of the host (see host.ts). */
export const ANNOTATION_INTERFACES = 'hopscope.dev/oracle-interfaces';
/** Node annotation: `"true"` if kube-proxy's nfacct counters exist. */
export const ANNOTATION_NFACCT = 'hopscope.dev/oracle-nfacct';
/** Node annotation: `"true"` if the installed iptables supports `--random-fully`. */
export const ANNOTATION_RANDOM_FULLY = 'hopscope.dev/oracle-random-fully';

/** The mark text kube-proxy writes for a bit: Go's `fmt.Sprintf("%#08x", 1<<bit)`, e.g. `0x00004000`. */
export function masqueradeMarkText(bit: number): string {
  return `0x${(2 ** bit).toString(16).padStart(8, '0')}`;
}

/**
 * kube-proxy's node name: `hostnameOverride`, else the Node's name (what `ProxierInput.nodeName`
 * should be; endpoint locality compares `nodeName` with it).
 */
export function kubeProxyNodeName(cfg: KubeProxyConfiguration | undefined, node?: Node): string {
  return cfg?.hostnameOverride?.trim() || node?.metadata.name || '';
}

/**
 * The proxier's family: that of a specific `bindAddress`, else of the Node's first InternalIP,
 * else IPv4 (kube-proxy's primary family follows its node IP).
 */
function primaryFamily(cfg: KubeProxyConfiguration | undefined, node: Node | undefined): IpFamily {
  const bind = cfg?.bindAddress ? parseIp(cfg.bindAddress) : null;
  if (bind && bind.value !== 0n) return bind.family;
  const internal = node?.status?.addresses?.find(
    (a) => a.type === 'InternalIP' && parseIp(a.address),
  );
  return (internal && parseIp(internal.address)?.family) ?? 'IPv4';
}

function localDetectorFrom(
  cfg: KubeProxyConfiguration | undefined,
  family: IpFamily,
): LocalDetector | null {
  const mode = cfg?.detectLocalMode || 'ClusterCIDR';
  if (mode === 'BridgeInterface' && cfg?.detectLocal?.bridgeInterface) {
    return { mode, interfaceName: cfg.detectLocal.bridgeInterface };
  }
  if (mode === 'InterfaceNamePrefix' && cfg?.detectLocal?.interfaceNamePrefix) {
    return { mode, prefix: cfg.detectLocal.interfaceNamePrefix };
  }
  if (mode !== 'ClusterCIDR') return null;
  // clusterCIDR may be a dual-stack pair; each proxier takes the CIDR of its own family.
  for (const part of (cfg?.clusterCIDR ?? '').split(',')) {
    const cidr = parseCidr(part);
    if (cidr && cidr.family === family) return { mode, cidr: cidr.text };
  }
  return null;
}

/** Reads a boolean host-fact annotation; absent means `fallback`. */
function annotationFlag(node: Node | undefined, key: string, fallback: boolean): boolean {
  const v = node?.metadata.annotations?.[key];
  return v === undefined ? fallback : v.trim().toLowerCase() === 'true';
}

/**
 * Options for one iptables proxier from a KubeProxyConfiguration (absent = all defaults) and the
 * Node it runs on. Without the host-fact annotations the node is assumed modern (nfacct counters
 * and `--random-fully` available), as a real node with iptables >= 1.6.2 is.
 *
 * WARNING: upstream's unit tests write the mark as `0x4000`; real kube-proxy (and this function)
 * writes `0x00004000`. Override `masqueradeMark` to compare with the unit tests' text.
 */
export function kubeProxyOptionsFrom(
  cfg: KubeProxyConfiguration | undefined,
  node?: Node,
): KubeProxyOptions {
  const ipFamily = primaryFamily(cfg, node);
  return {
    ipFamily,
    masqueradeMark: masqueradeMarkText(cfg?.iptables?.masqueradeBit ?? DEFAULT_MASQUERADE_BIT),
    masqueradeAll: cfg?.iptables?.masqueradeAll ?? false,
    localDetector: localDetectorFrom(cfg, ipFamily),
    nodePortAddresses: cfg?.nodePortAddresses ?? [],
    localhostNodePorts: cfg?.iptables?.localhostNodePorts ?? true,
    tcpBeLiberal: cfg?.conntrack?.tcpBeLiberal ?? false,
    nfacct: annotationFlag(node, ANNOTATION_NFACCT, true),
    randomFully: annotationFlag(node, ANNOTATION_RANDOM_FULLY, true),
  };
}

/** The detector's "is local" match (`-s 10.0.0.0/8`, `-i cbr0`, `-i veth+`). */
export function ifLocal(d: LocalDetector): string {
  if (d.mode === 'ClusterCIDR') return `-s ${d.cidr}`;
  return d.mode === 'BridgeInterface' ? `-i ${d.interfaceName}` : `-i ${d.prefix}+`;
}

/** The detector's "is not local" match (`! -s 10.0.0.0/8`, …). */
export function ifNotLocal(d: LocalDetector): string {
  return `! ${ifLocal(d)}`;
}
