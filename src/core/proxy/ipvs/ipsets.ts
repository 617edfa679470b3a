/**
 * The ipsets kube-proxy's IPVS mode keeps (one per purpose, IPv4 names), with the type and the
 * comment it creates them with. The iptables rules of `./rules.ts` match against them, so a
 * handful of rules serve any number of Services.
 *
 * Read first: pkg/proxy/ipvs/proxier.go (`ipsetInfo`, `ipsetWithIptablesChain`) and
 * pkg/proxy/ipvs/ipset.go (the comment constants). Entries use ipset's text form:
 * `10.96.0.10,tcp:80` (hash:ip,port), `10.244.1.5,tcp:8080,10.244.1.5` (hash:ip,port,ip),
 * `203.0.113.200,tcp:80,198.51.100.0/24` (hash:ip,port,net), `30080` (bitmap:port).
 */

/** The name of one of kube-proxy's IPVS-mode ipsets. */
export type IpvsSetName =
  | 'KUBE-LOOP-BACK'
  | 'KUBE-CLUSTER-IP'
  | 'KUBE-EXTERNAL-IP'
  | 'KUBE-EXTERNAL-IP-LOCAL'
  | 'KUBE-LOAD-BALANCER'
  | 'KUBE-LOAD-BALANCER-FW'
  | 'KUBE-LOAD-BALANCER-LOCAL'
  | 'KUBE-LOAD-BALANCER-SOURCE-IP'
  | 'KUBE-LOAD-BALANCER-SOURCE-CIDR'
  | 'KUBE-NODE-PORT-TCP'
  | 'KUBE-NODE-PORT-LOCAL-TCP'
  | 'KUBE-NODE-PORT-UDP'
  | 'KUBE-NODE-PORT-LOCAL-UDP'
  | 'KUBE-NODE-PORT-SCTP-HASH'
  | 'KUBE-NODE-PORT-LOCAL-SCTP-HASH'
  | 'KUBE-HEALTH-CHECK-NODE-PORT'
  | 'KUBE-IPVS-IPS';

/** How kube-proxy creates a set. */
export interface IpvsSetInfo {
  name: IpvsSetName;
  type: string;
  comment: string;
}

/** Every set, in kube-proxy's `ipsetInfo` order. */
export const IPVS_SETS: readonly IpvsSetInfo[] = [
  { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

const BY_NAME = new Map(IPVS_SETS.map((s) => [s.name, s]));

/** The set's comment as kube-proxy writes it into a rule: double-quoted (`getComment()`). */
export function setComment(name: IpvsSetName): string {
  return `"${BY_NAME.get(name)!.comment}"`;
}

/** The set's ipset type. */
export function setType(name: IpvsSetName): string {
  return BY_NAME.get(name)!.type;
}

/** The active entries of every set for one sync (kube-proxy's `activeEntries`). */
export type IpvsSetEntries = Map<IpvsSetName, Set<string>>;

/** Empty entries for every set. */
export function emptySetEntries(): IpvsSetEntries {
  return new Map(IPVS_SETS.map((s) => [s.name, new Set<string>()]));
}

/** Adds an entry to a set. */
export function addEntry(sets: IpvsSetEntries, name: IpvsSetName, entry: string): void {
  sets.get(name)!.add(entry);
}

/** True when the set has no entries (kube-proxy then writes no rule for it). */
export function isEmptySet(sets: IpvsSetEntries, name: IpvsSetName): boolean {
  return (sets.get(name)?.size ?? 0) === 0;
}

/** `IP,proto:port` (hash:ip,port). */
export function ipPortEntry(ip: string, protocol: string, port: number): string {
  return `${ip},${protocol}:${port}`;
}
