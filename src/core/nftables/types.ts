/**
 * nftables as the kernel holds it for one table (`nft list table FAMILY NAME`): sets and maps
 * (with their elements) and chains (base chains carry a hook and a priority) in creation order,
 * which is the order `nft list` prints them in. Rules are kept in nft's own listing syntax, as
 * `nft list` prints them back (the canonical form: `meta mark set meta mark | 0x00004000`).
 *
 * Read first: nft(8) (sets, maps, verdict maps, chain types/hooks/priorities).
 */

/** One element of a set or map: the key parts (a concatenation has several), and a map's value. */
export interface NftElement {
  key: string[];
  comment?: string;
  /** Maps only: `drop`, `goto CHAIN`, … */
  value?: string;
}

/** A named set or map. */
export interface NftSet {
  kind: 'set' | 'map';
  name: string;
  /** Key type, e.g. `ipv4_addr`, `ipv4_addr . inet_proto . inet_service`. */
  type: string;
  /** Maps: the value type (`verdict`). */
  valueType?: string;
  comment?: string;
  /** `dynamic`, `timeout`, `interval` … */
  flags?: string[];
  /** Element timeout in seconds. */
  timeout?: number;
  size?: number;
  elements: NftElement[];
  /**
   * Elements the packet path added (`update @set { ip saddr }`, kube-proxy's affinity sets): key
   * (parts joined by ` . `) → expiry in simulated seconds. Runtime state: `nft list` output of the
   * model leaves them out, and a re-sync keeps them (kube-proxy never flushes these sets).
   */
  dynamic?: Map<string, number>;
}

/** A base chain's attachment to a netfilter hook. */
export interface NftBaseChain {
  type: 'filter' | 'nat' | 'route';
  hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
  priority: number;
  policy: 'accept' | 'drop';
}

export interface NftRule {
  /** The rule as `nft list` prints it (without the comment). */
  text: string;
  comment?: string;
}

export interface NftChain {
  name: string;
  base?: NftBaseChain;
  comment?: string;
  rules: NftRule[];
}

/** One table, e.g. `ip kube-proxy`. */
export interface NftTable {
  family: 'ip' | 'ip6' | 'inet';
  name: string;
  comment?: string;
  /** Sets and maps in creation order. */
  sets: NftSet[];
  /** Chains in creation order. */
  chains: NftChain[];
}
