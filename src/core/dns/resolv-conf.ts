/**
 * What the kubelet writes into a pod's `/etc/resolv.conf` (spec/dns-and-ingress.md §2).
 *
 * Read first: kubernetes pkg/kubelet/network/dns/dns.go (`GetPodDNS`: the policy picks a base —
 * the cluster's, the node's or an empty one — then `dnsConfig` is appended with duplicates
 * dropped, then the limits are applied) and containerd's `parseDNSOptions`, which renders the
 * file as `search`, then one `nameserver` line per server, then `options`.
 *
 * Pure and total: problems (limits exceeded, no cluster DNS) come back as notes, the way the
 * kubelet reports them as events, never as exceptions.
 */
import type { PodSpec } from '../k8s/types';

/** The three things a resolv.conf holds, in the kubelet's (CRI DNSConfig) terms. */
export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  /** As written after `options`: `ndots:5`, `edns0`, `timeout:2` … */
  options: string[];
}

/** What the kubelet knows about DNS on its node. */
export interface KubeletDns {
  /** `clusterDNS` from the kubelet config: the kube-dns ClusterIP; empty when the cluster runs no DNS. */
  clusterDNS: string[];
  clusterDomain: string;
  /** The node's own resolv.conf (`--resolv-conf`), the base of dnsPolicy Default. */
  host: ResolvConf;
}

/** The DNS-relevant part of a pod. */
export interface PodDnsSpec {
  namespace: string;
  hostNetwork: boolean;
  dnsPolicy?: PodSpec['dnsPolicy'];
  dnsConfig?: PodSpec['dnsConfig'];
}

/** The file and what the kubelet would have said about it (Warning events). */
export interface PodResolvConf {
  conf: ResolvConf;
  /** Which base was used: cluster, host (node's file) or none. */
  base: 'cluster' | 'host' | 'none';
  notes: string[];
}

/** apimachinery validation: at most 3 nameservers, and since v1.28 32 search paths / 2048 characters. */
export const MAX_NAMESERVERS = 3;
export const MAX_SEARCH_PATHS = 32;
export const MAX_SEARCH_CHARS = 2048;
/** The kubelet's default options for ClusterFirst pods. */
export const CLUSTER_OPTIONS = ['ndots:5'];

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** The policy the kubelet applies: ClusterFirst on a hostNetwork pod falls back to Default. */
export function effectivePolicy(pod: PodDnsSpec): 'cluster' | 'host' | 'none' {
  const policy = pod.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'None') return 'none';
  if (policy === 'ClusterFirstWithHostNet') return 'cluster';
  if (policy === 'ClusterFirst' && !pod.hostNetwork) return 'cluster';
  return 'host';
}

/**
 * Merges options as the kubelet does: a later `name` replaces an earlier one's value.
 * WARNING: the kubelet goes through a Go map, so its order is unspecified; we keep first-seen
 * order, which is what a reader expects and is stable.
 */
function mergeOptions(existing: string[], extra: { name: string; value?: string }[]): string[] {
  const map = new Map<string, string>();
  for (const op of existing) {
    const i = op.indexOf(':');
    if (i === -1) map.set(op, '');
    else map.set(op.slice(0, i), op.slice(i + 1));
  }
  for (const op of extra) map.set(op.name, op.value ?? '');
  return [...map].map(([k, v]) => (v ? `${k}:${v}` : k));
}

function fitSearches(searches: string[], notes: string[]): string[] {
  let out = searches.slice(0, MAX_SEARCH_PATHS);
  let cut = out.length < searches.length;
  const kept = out.filter((s) => s.length <= 253);
  cut ||= kept.length < out.length;
  out = kept;
  while (out.join(' ').length > MAX_SEARCH_CHARS) {
    out = out.slice(0, -1);
    cut = true;
  }
  if (cut) notes.push(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${out.join(' ')}`);
  return out;
}

function baseConf(pod: PodDnsSpec, kubelet: KubeletDns, notes: string[]): { conf: ResolvConf; base: PodResolvConf['base'] } {
  const policy = effectivePolicy(pod);
  if (policy === 'none') return { conf: { nameservers: [], searches: [], options: [] }, base: 'none' };
  if (policy === 'cluster' && kubelet.clusterDNS.length) {
    const d = kubelet.clusterDomain;
    const searches = d ? unique([`${pod.namespace}.svc.${d}`, `svc.${d}`, d, ...kubelet.host.searches]) : [...kubelet.host.searches];
    return { conf: { nameservers: [...kubelet.clusterDNS], searches, options: [...CLUSTER_OPTIONS] }, base: 'cluster' };
  }
  if (policy === 'cluster') notes.push(`kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`);
  const h = kubelet.host;
  return { conf: { nameservers: [...h.nameservers], searches: [...h.searches], options: [...h.options] }, base: 'host' };
}

/** The resolv.conf a pod gets (kubelet `GetPodDNS`). */
export function podResolvConf(pod: PodDnsSpec, kubelet: KubeletDns): PodResolvConf {
  const notes: string[] = [];
  const { conf, base } = baseConf(pod, kubelet, notes);
  const extra = pod.dnsConfig;
  if (extra) {
    conf.nameservers = unique([...conf.nameservers, ...(extra.nameservers ?? [])]);
    conf.searches = unique([...conf.searches, ...(extra.searches ?? [])]);
    conf.options = mergeOptions(conf.options, extra.options ?? []);
  }
  if (conf.nameservers.length > MAX_NAMESERVERS) {
    conf.nameservers = conf.nameservers.slice(0, MAX_NAMESERVERS);
    notes.push(`Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${conf.nameservers.join(' ')}`);
  }
  conf.searches = fitSearches(conf.searches, notes);
  return { conf, base, notes };
}

/** The file as containerd writes it: `search`, `nameserver` lines, `options`; empty parts omitted. */
export function renderResolvConf(conf: ResolvConf): string {
  let out = '';
  if (conf.searches.length) out += `search ${conf.searches.join(' ')}\n`;
  for (const ns of conf.nameservers) out += `nameserver ${ns}\n`;
  if (conf.options.length) out += `options ${conf.options.join(' ')}\n`;
  return out;
}

/** The stub resolver's settings that matter here (glibc resolv.conf(5) defaults). */
export interface ResolverSettings {
  /** Dots a name needs before it is tried as given first. glibc default 1, capped at 15. */
  ndots: number;
  /** Attempts per server (glibc default 2, capped at 5). */
  attempts: number;
  /** Seconds per attempt (glibc default 5, capped at 30). */
  timeout: number;
  /** `options edns0`: queries carry an OPT record advertising 1200 bytes (glibc RESOLV_EDNS_BUFFER_SIZE); otherwise replies are cut at 512. */
  edns0: boolean;
}

/** Reads ndots/attempts/timeout/edns0 from the options; the last occurrence wins, as in glibc. */
export function resolverSettings(conf: ResolvConf): ResolverSettings {
  const s: ResolverSettings = { ndots: 1, attempts: 2, timeout: 5, edns0: false };
  for (const op of conf.options) {
    if (op === 'edns0') s.edns0 = true;
    const m = /^(ndots|attempts|timeout):(\d+)$/.exec(op);
    if (!m) continue;
    const n = Number(m[2]);
    if (m[1] === 'ndots') s.ndots = Math.min(n, 15);
    else if (m[1] === 'attempts') s.attempts = Math.min(n, 5);
    else s.timeout = Math.min(n, 30);
  }
  return s;
}
