/**
 * A trace is plain data (DESIGN §4): the UI animates it, the CLI prints it, pcap export
 * serialises it. Nothing here refers back to the live model.
 */
import type { Packet } from '../datapath/packet';

export type DropReason =
  | 'no-route'
  | 'ttl-exceeded'
  | 'reject'
  | 'no-endpoints'
  | 'policy'
  | 'arp-failed'
  | 'unreachable'
  | 'port-unreachable'
  | 'connection-refused'
  | 'forwarding-disabled'
  | 'filtered'
  | 'not-for-us'
  | 'mtu-exceeded'
  | 'loop'
  | 'martian-source';

/** What decided a hop: a route, a netfilter rule, an FDB or neighbour entry, an IPVS service. */
export interface RuleRef {
  kind: 'route' | 'iptables' | 'fdb' | 'neigh' | 'ipvs' | 'socket' | 'conntrack' | 'nft';
  /** The rule as the real tool prints it, e.g. `10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink`. */
  text: string;
  /** iptables: table and chain; the 0-based rule index within the chain. */
  table?: string;
  chain?: string;
  index?: number;
  /**
   * Rules evaluated before this one decided (iptables walks are O(n): the count is the lesson).
   * An nftables rule that looked up a set or verdict map carries the `element` it found (one
   * hash lookup, O(1)). nftables rules have `table` as `FAMILY NAME` (`ip kube-proxy`).
   */
  evaluated?: { table: string; chain: string; index: number; text: string; matched?: boolean; element?: string }[];
}

export interface Hop {
  /** Order within the flow. */
  seq: number;
  /** Kubernetes node name, or "underlay"/"external". */
  node: string;
  /** e.g. "node-1", "pod:default/client". */
  netns: string;
  /** e.g. "eth0", "veth3f2a1b", "cni0", "flannel.1". */
  device?: string;
  /** Stable canvas id of the device: `${netns}#${device}`. */
  deviceId?: string;
  /** e.g. "route", "bridge", "netfilter:nat/PREROUTING", "encap", "decap", "ipvs", "deliver", "drop". */
  stage: string;
  /** Headers after this hop, encapsulation outermost first. */
  packet: Packet;
  /** Header fields this hop rewrote, e.g. ["ipv4.dst", "ipv4.ttl", "outer"]. */
  changed?: string[];
  rule?: RuleRef;
  /** One sentence a student understands. */
  explain: string;
}

export type Verdict = 'delivered' | 'dropped';

/** One direction of an exchange. */
export interface Walk {
  verdict: Verdict;
  reason?: DropReason;
  hops: Hop[];
}

/** A request and its reply: what `hopscope trace --json` prints. */
export interface Flow {
  verdict: Verdict;
  reason?: string;
  from: string;
  to: string;
  /** Which pod (NS/NAME) or node answered, when delivered. */
  endpoint?: string;
  hops: Hop[];
  reply?: { verdict: Verdict; reason?: string; hops: Hop[] };
}
