/**
 * nftables: tables of sets, maps and chains as `nft list` shows them (types.ts), their rules
 * compiled from nft's listing syntax (rule.ts), and the evaluator that walks base chains at
 * their hooks (evaluate.ts). kube-proxy's nftables mode (proxy/nftables.ts) builds the
 * `ip kube-proxy` table; render/nft.ts prints it.
 *
 * Contract:
 * - Pure: imports `../netfilter` (the one hook runner, conntrack, NAT, the MASQUERADE target),
 *   `../util`; randomness (`numgen random`) comes from `HookEnv.rng`, time from `HookEnv.now`.
 * - Family `ip` (and `inet` as IPv4) only; `ip6` tables are skipped by the evaluator.
 * - The evaluator never throws. A rule part it cannot read matches and does nothing, and is
 *   listed in `HookResult.unmodelled` as `nft: …`; a jump to a missing chain is skipped likewise.
 * - Every rule looked at is recorded (`EvaluatedRule`, table `FAMILY NAME`), with the set or map
 *   element a lookup found: a verdict map costs one lookup however many elements it holds.
 * - NAT is decided once per connection by netfilter's nat step and recorded in conntrack, so the
 *   replies of nft-NATed connections are un-NATed exactly like iptables-NATed ones.
 */
export type { NftBaseChain, NftChain, NftElement, NftRule, NftSet, NftTable } from './types';
export type { CompiledRule, Stmt } from './rule';
export { compileNftRule } from './rule';
export { hasNftRules, nftHookChains, runNftHook, walkNftChain } from './evaluate';
