/**
 * Netfilter as the kernel holds it (iptables-legacy semantics, which the nf_tables backend
 * preserves): tables of chains of rules, traversed at five hooks in kernel order, with
 * conntrack deciding NAT once per connection.
 *
 * Read first: net/netfilter/core.c (hook order), iptables(8), iptables-extensions(8).
 *
 * This file is the contract between the datapath walker and the netfilter layer.
 */
import type { IpProtocol } from '../datapath/packet';
import type { Rng } from '../util/rng';

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';
export type HookName = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** A match such as `-m comment --comment "…"`, `-m statistic …`, `-d 10.0.0.0/8`. */
export interface Match {
  /** The module name (`comment`, `statistic`, `tcp`, `addrtype`, `mark`, …). */
  module: string;
  /** Options exactly as written, in order, e.g. [["--mode","random"],["--probability","0.5"]]. */
  options: [string, ...string[]][];
  /** Negations are part of option tokens ("!" before the option). */
  /**
   * What the module's parser made of `options` (numbers, flags), filled by `restore` or lazily by
   * the evaluator, so matching never re-parses strings. Opaque outside the module.
   */
  parsed?: unknown;
  /** True when no module models this match: it is rendered as written and evaluates as "matches". */
  unmodelled?: boolean;
}

export interface Target {
  /** `ACCEPT`, `DROP`, `RETURN`, `REJECT`, `DNAT`, `SNAT`, `MASQUERADE`, `MARK`, `REDIRECT`, or a user chain. */
  name: string;
  options: [string, ...string[]][];
  /** The target module's parse of `options` (see `Match.parsed`). */
  parsed?: unknown;
  /** True when no module models this target: it is rendered as written and does nothing. */
  unmodelled?: boolean;
}

/** One rule as parsed from iptables-restore text; rendered back by `render/iptables-save`. */
export interface Rule {
  chain: string;
  /** Generic L3/L4 selectors: `-s`, `-d`, `-i`, `-o`, `-p` with their negation flags. */
  src?: AddressSelector;
  dst?: AddressSelector;
  inIface?: { name: string; negate: boolean };
  outIface?: { name: string; negate: boolean };
  /** `num` is the protocol number, computed once on first evaluation. */
  protocol?: { name: string; negate: boolean; num?: number | undefined };
  matches: Match[];
  /** Absent for a rule with no `-j` (it only counts). */
  target?: Target;
  /** `-g` (goto) instead of `-j`. */
  goto?: boolean;
  /** Packet and byte counters (for `iptables -L -v` and `iptables-save -c`). */
  packets: number;
  bytes: number;
  /** The rule as `iptables-save` prints it (without counters), cached on first render. */
  text?: string;
}

/** `-s`/`-d`: the CIDR text as iptables stores it plus its numbers, so matching never re-parses. */
export interface AddressSelector {
  cidr: string;
  negate: boolean;
  /** Network address as an unsigned 32-bit integer (filled by `restore`, or lazily). */
  network?: number;
  /** Netmask as an unsigned 32-bit integer. */
  mask?: number;
}

/** One `-m recent` list: address → the times (seconds) it was seen, oldest first. */
export type RecentList = Map<string, number[]>;

export interface Chain {
  name: string;
  /** Built-in chains have a policy; user chains have none (`-`). */
  policy?: 'ACCEPT' | 'DROP';
  rules: Rule[];
  packets: number;
  bytes: number;
}

export interface Table {
  name: TableName;
  /** In creation order; built-in chains first. */
  chains: Map<string, Chain>;
}

/** An ipset (`ipset list`), referenced by `-m set --match-set NAME src|dst[,dst]`. */
export interface IpSet {
  name: string;
  /** `hash:ip`, `hash:net`, `hash:ip,port`, `hash:ip,port,ip`, `bitmap:port` … */
  type: string;
  /** Members as `ipset list` prints them, e.g. `10.244.0.0/16` or `10.96.0.10,udp:53`. */
  entries: Set<string>;
}

export interface NetfilterState {
  tables: Map<TableName, Table>;
  /** ipsets live beside netfilter in the kernel; IPVS mode and Calico use them. Created by the first `setIpset`. */
  ipsets?: Map<string, IpSet>;
  /** `-m recent` lists by `--name` (the kernel's /proc/net/xt_recent/NAME); created on first use. */
  recent?: Map<string, RecentList>;
}

/** The fields of a packet netfilter can see and rewrite. */
export interface NfPacket {
  src: string;
  dst: string;
  protocol: IpProtocol;
  sport?: number;
  dport?: number;
  icmpType?: number;
  /** ICMP code (0 for echo). */
  icmpCode?: number;
  /** ICMP echo identifier: conntrack keys ICMP flows by it. */
  icmpId?: number;
  tcpFlags?: string;
  /** skb->mark */
  mark: number;
  length: number;
}

/** What a hook needs to know about the host it runs in. */
export interface HookEnv {
  /** `-m addrtype --dst-type LOCAL`: is this an address of this netns? */
  isLocal(ip: string): boolean;
  /** Primary address of an interface, for MASQUERADE (out) and REDIRECT (in). */
  primaryAddress(ifname: string): string | undefined;
  rng: Rng;
  /** Simulated time in seconds (for `-m recent` and conntrack timeouts). */
  now: number;
}

export interface HookInput {
  hook: HookName;
  packet: NfPacket;
  inIface?: string;
  outIface?: string;
  /** True while a bridge is forwarding the frame (br_netfilter): nat OUTPUT/INPUT never apply. */
  bridged?: boolean;
  /** Bridge ports the frame entered/leaves by, for `-m physdev` (br_netfilter only). */
  physInIface?: string;
  physOutIface?: string;
  /**
   * The packet lost its conntrack entry on the way here (nf_reset_ct: a promiscuous bridge's
   * copy passed up to the host, br_nf_local_in): the lookup hooks (INPUT, FORWARD, POSTROUTING)
   * do not track it again, so `--ctstate` sees INVALID and no NAT applies.
   */
  noConntrack?: boolean;
}

/** An nftables table as `nft list table` names it: `ip kube-proxy`. */
export type NftTableId = `${'ip' | 'ip6' | 'inet'} ${string}`;

export interface EvaluatedRule {
  /** The iptables table, or the nftables table (`ip kube-proxy`) of an nft rule. */
  table: TableName | NftTableId;
  chain: string;
  /** 0-based index in the chain. */
  index: number;
  /** The rule as `iptables-save` (or `nft list`) prints it. */
  text: string;
  matched: boolean;
  /** nftables: the set or map element a lookup of this rule found, as `nft list` prints it. */
  element?: string;
}

export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

export interface NatChange {
  kind: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT' | 'un-DNAT' | 'un-SNAT';
  field: 'src' | 'dst';
  before: { ip: string; port?: number };
  after: { ip: string; port?: number };
}

export interface HookResult {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  /** The packet after this hook (NAT and MARK applied). */
  packet: NfPacket;
  ctState: CtState;
  /** Every rule evaluated, in order, across the tables of this hook. */
  evaluated: EvaluatedRule[];
  /** The rule that decided a verdict or NAT (the last terminating rule that matched). */
  decided?: EvaluatedRule;
  nat?: NatChange;
  /** `--reject-with` for REJECT (e.g. `icmp-port-unreachable`). */
  rejectWith?: string;
  /** Set when a built-in chain's policy gave the verdict (no rule decided it). */
  policy?: { table: TableName | NftTableId; chain: string; policy: 'ACCEPT' | 'DROP' };
  /** Every NAT manip applied in this hook, in order (`nat` is the last of them). */
  nats?: NatChange[];
  /** Direction of the packet relative to its conntrack entry (absent when untracked). */
  ctDirection?: 'original' | 'reply';
  /** Matches and targets evaluated that the model does not implement (they matched / did nothing). */
  unmodelled?: string[];
  /** `LOG` target lines, as the kernel log would show their prefix. */
  logs?: string[];
}
