/**
 * The few iptables rules IPVS mode still needs, as kube-proxy writes them for
 * `iptables-restore --noflush --counters`: nat (chains, then rules) and then filter. IPVS itself
 * does the DNAT; these rules only decide masquerading (mark 0x4000 → KUBE-POSTROUTING), accept
 * traffic to virtual servers, enforce loadBalancerSourceRanges, and stop the VIPs from exposing
 * the node's own ports.
 *
 * Read first: pkg/proxy/ipvs/proxier.go `writeIptablesRules`, `acceptIPVSTraffic`,
 * `createAndLinkKubeChain` (`iptablesChains`, `iptablesJumpChain`).
 */
import type { KubeProxyOptions } from '../iptables/config';
import type { IpvsSetEntries, IpvsSetName } from './ipsets';
import type { LbNoNodeAccess } from './plan';
import { ifNotLocal } from '../iptables/config';
import { isEmptySet, setComment } from './ipsets';

/** kube-proxy's chains in IPVS mode, in `iptablesChains` order. */
const NAT_CHAINS = ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ'];
const FILTER_CHAINS = ['KUBE-FORWARD', 'KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-IPVS-FILTER', 'KUBE-IPVS-OUT-FILTER'];

/** The jumps from the built-in chains, in `iptablesJumpChain` order (each is prepended if missing). */
export const IPVS_JUMPS: readonly { table: 'nat' | 'filter'; from: string; to: string; comment: string }[] = [
  { table: 'nat', from: 'OUTPUT', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', from: 'PREROUTING', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', from: 'POSTROUTING', to: 'KUBE-POSTROUTING', comment: 'kubernetes postrouting rules' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-FORWARD', comment: 'kubernetes forwarding rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-NODE-PORT', comment: 'kubernetes health check rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-IPVS-FILTER', comment: 'kubernetes ipvs access filter' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-IPVS-OUT-FILTER', comment: 'kubernetes ipvs access filter' },
];

/** `ipsetWithIptablesChain`: one rule per non-empty set, `-A FROM [-p P] … --match-set S FLAGS -j TO`. */
const SET_RULES: readonly { set: IpvsSetName; table: 'nat' | 'filter'; from: string; to: string; flags: string; proto?: string }[] = [
  { set: 'KUBE-LOOP-BACK', table: 'nat', from: 'KUBE-POSTROUTING', to: 'MASQUERADE', flags: 'dst,dst,src' },
  { set: 'KUBE-LOAD-BALANCER', table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-LOAD-BALANCER', flags: 'dst,dst' },
  { set: 'KUBE-LOAD-BALANCER-LOCAL', table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'RETURN', flags: 'dst,dst' },
  { set: 'KUBE-NODE-PORT-LOCAL-TCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', flags: 'dst', proto: 'tcp' },
  { set: 'KUBE-NODE-PORT-TCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', flags: 'dst', proto: 'tcp' },
  { set: 'KUBE-NODE-PORT-LOCAL-UDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', flags: 'dst', proto: 'udp' },
  { set: 'KUBE-NODE-PORT-UDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', flags: 'dst', proto: 'udp' },
  { set: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', flags: 'dst,dst', proto: 'sctp' },
  { set: 'KUBE-NODE-PORT-SCTP-HASH', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', flags: 'dst,dst', proto: 'sctp' },
  { set: 'KUBE-LOAD-BALANCER-FW', table: 'filter', from: 'KUBE-PROXY-FIREWALL', to: 'KUBE-SOURCE-RANGES-FIREWALL', flags: 'dst,dst' },
  { set: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', flags: 'dst,dst,src' },
  { set: 'KUBE-LOAD-BALANCER-SOURCE-IP', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', flags: 'dst,dst,src' },
];

function matchSet(set: IpvsSetName, flags: string): string {
  return `-m comment --comment ${setComment(set)} -m set --match-set ${set} ${flags}`;
}

/** The ClusterIP masquerade rule: masqueradeAll, off-cluster sources, or (no detector) VIP-sourced. */
function clusterIpRule(cfg: KubeProxyOptions): string {
  const head = `-A KUBE-SERVICES ${matchSet('KUBE-CLUSTER-IP', '')}`.trimEnd();
  if (cfg.masqueradeAll) return `${head} dst,dst -j KUBE-MARK-MASQ`;
  if (cfg.localDetector) return `${head} dst,dst ${ifNotLocal(cfg.localDetector)} -j KUBE-MARK-MASQ`;
  return `${head} src,dst -j KUBE-MARK-MASQ`;
}

function externalIpRules(nat: string[], set: 'KUBE-EXTERNAL-IP' | 'KUBE-EXTERNAL-IP-LOCAL', sets: IpvsSetEntries): void {
  if (isEmptySet(sets, set)) return;
  const head = `-A KUBE-SERVICES ${matchSet(set, 'dst,dst')}`;
  if (set === 'KUBE-EXTERNAL-IP') nat.push(`${head} -j KUBE-MARK-MASQ`);
  nat.push(`${head} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
  nat.push(`${head} -m addrtype --dst-type LOCAL -j ACCEPT`);
}

function natTail(nat: string[], sets: IpvsSetEntries, mark: string, randomFully: boolean): void {
  for (const set of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER'] as const) {
    if (!isEmptySet(sets, set)) nat.push(`-A KUBE-SERVICES -m set --match-set ${set} dst,dst -j ACCEPT`);
  }
  nat.push(`-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`);
  nat.push(`-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`);
  nat.push(`-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${randomFully ? ' --random-fully' : ''}`);
  nat.push(`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`);
}

function filterTail(filter: string[], mark: string): void {
  filter.push(`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`);
  filter.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  filter.push(`-A KUBE-NODE-PORT ${matchSet('KUBE-HEALTH-CHECK-NODE-PORT', 'dst')} -j ACCEPT`);
  for (const set of ['KUBE-LOAD-BALANCER', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP', 'KUBE-EXTERNAL-IP-LOCAL'] as const) {
    filter.push(`-A KUBE-IPVS-FILTER -m set --match-set ${set} dst,dst -j RETURN`);
  }
  filter.push('-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN');
  filter.push('-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT');
}

/**
 * The restore text of one sync (`*nat` then `*filter`), byte for byte in kube-proxy's order.
 * Set rules appear only for non-empty sets, as kube-proxy writes them.
 */
export function ipvsRestoreText(sets: IpvsSetEntries, cfg: KubeProxyOptions, noNodeAccess: LbNoNodeAccess[]): string {
  const nat: string[] = ['-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN'];
  const filter: string[] = [];
  for (const r of SET_RULES) {
    if (isEmptySet(sets, r.set)) continue;
    (r.table === 'nat' ? nat : filter).push(`-A ${r.from}${r.proto ? ` -p ${r.proto}` : ''} ${matchSet(r.set, r.flags)} -j ${r.to}`);
  }
  if (!isEmptySet(sets, 'KUBE-CLUSTER-IP')) nat.push(clusterIpRule(cfg));
  externalIpRules(nat, 'KUBE-EXTERNAL-IP', sets);
  externalIpRules(nat, 'KUBE-EXTERNAL-IP-LOCAL', sets);
  nat.push('-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  nat.push('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ');
  filter.push('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  for (const e of noNodeAccess) filter.push(`-A KUBE-IPVS-OUT-FILTER -s ${e.ip} -m ipvs --vaddr ${e.ip} --vproto ${e.protocol} --vport ${e.port} -j DROP`);
  natTail(nat, sets, cfg.masqueradeMark, cfg.randomFully);
  filterTail(filter, cfg.masqueradeMark);
  const lines = ['*nat', ...NAT_CHAINS.map((c) => `:${c} - [0:0]`), ...nat, 'COMMIT', '*filter', ...FILTER_CHAINS.map((c) => `:${c} - [0:0]`), ...filter, 'COMMIT'];
  return `${lines.join('\n')}\n`;
}

/** The jumps as `-I CHAIN 1` restore text, in kube-proxy's order (so each lands on top). */
export function ipvsJumpInsertions(): string {
  const out: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    out.push(`*${table}`);
    for (const j of IPVS_JUMPS) if (j.table === table) out.push(`-I ${j.from} 1 -m comment --comment "${j.comment}" -j ${j.to}`);
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}
