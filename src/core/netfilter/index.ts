/**
 * Netfilter: iptables tables, chains and rules of one netns, the hook evaluator, conntrack and
 * NAT — modelled on the Linux kernel (iptables-nft semantics, which keep iptables-legacy's).
 *
 * Contract:
 * - Pure: imports only `../util`, `../datapath/packet` types; no DOM, Node, time or ambient
 *   randomness (statistic, MASQUERADE --random-fully and port collisions draw from `HookEnv.rng`;
 *   time is `HookEnv.now`).
 * - `restore` accepts iptables-restore text and never throws: it returns the first error with
 *   its line, applying each table block atomically at COMMIT as iptables-nft does.
 * - `renderIptablesSave` prints what iptables v1.8.9 (nf_tables) `iptables-save` prints for the
 *   same rules, minus comment lines (checked against the real tool in fixtures/iptables-save and
 *   against kube-proxy's own dumps in fixtures/oracles).
 * - `runHook` never throws; it returns a verdict, the rewritten packet, the conntrack state and
 *   every rule it evaluated in order. The nat table sees only the first packet of a connection;
 *   replies are un-NATed from conntrack. Unmodelled matches match and unmodelled targets do
 *   nothing; both are listed in `HookResult.unmodelled`.
 */
export type {
  AddressSelector,
  Chain,
  CtState,
  EvaluatedRule,
  HookEnv,
  HookInput,
  HookName,
  HookResult,
  IpSet,
  Match,
  NatChange,
  NetfilterState,
  NfPacket,
  NftTableId,
  RecentList,
  Rule,
  Table,
  TableName,
  Target,
} from './types';
export { BUILTIN_CHAINS, TABLE_ORDER, createNetfilter, createTable, ensureChain, getChain, getTable, isBuiltinChain, readTable, zeroCounters } from './state';
export type { RestoreOptions, RestoreResult } from './restore';
export { restore } from './restore';
export { renderRule } from './render-rule';
export { compileRule } from './compile';
export { runHook } from './evaluate';
export type { HookChain } from './evaluate';
export type { ConntrackEntry, ConntrackTable, CtTuple, TcpCtState } from './conntrack';
export { createConntrack, lookupConntrack, removeConntrack, renderConntrack, renderConntrackEntry } from './conntrack';
export { getIpset, setIpset, testIpset } from './ipset';
export type { MatchModule, TargetModule } from './module';
export { getMatchModule } from './matches/registry';
export { getTargetModule } from './targets/registry';
