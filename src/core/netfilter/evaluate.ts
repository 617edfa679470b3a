/**
 * The one netfilter evaluator: runs a hook's tables in kernel priority order with conntrack
 * and NAT in between.
 *
 * Read first: include/uapi/linux/netfilter_ipv4.h (hook priorities), net/netfilter/core.c,
 * nf_conntrack_core.c, nf_nat_core.c (nf_nat_inet_fn). Per hook:
 *
 * - PREROUTING:  raw → conntrack (find or create) → mangle → nat (DNAT; first packet only)
 * - INPUT:       mangle → filter → nat (SNAT side; first packet only) → conntrack confirm
 * - FORWARD:     mangle → filter
 * - OUTPUT:      raw → conntrack (find or create) → mangle → nat (DNAT; first packet only) → filter
 * - POSTROUTING: mangle → nat (SNAT; first packet only) → conntrack confirm
 *
 * The nat table is consulted once per connection and manip type (`natInit`); afterwards, and
 * for replies, the NAT recorded in conntrack is applied (un-DNAT / un-SNAT for replies).
 * A hook whose chains are all empty with policy ACCEPT costs a conntrack lookup and nothing else.
 *
 * Base chains of another ruleset at the same hook (nftables: kube-proxy's `ip kube-proxy`
 * table) come in as `HookChain`s: a filter-type chain runs at its priority among the steps
 * above (raw -300, conntrack -200, mangle -150, nat -100 / 100, filter 0, confirm last; an
 * iptables table first on a tie); a nat-type chain runs inside the nat step, as nf_nat runs
 * every nat chain of a hook in priority order until one of them sets up the NAT.
 */
import type { ConntrackEntry, ConntrackTable } from './conntrack';
import { confirmEntry, createEntry, lookupConntrack, removeConntrack, touchEntry } from './conntrack';
import type { PacketContext } from './module';
import type { ManipType } from './nat';
import { applyNat, setupNat } from './nat';
import type { TraverseLog, TraverseResult } from './traverse';
import { traverseBase } from './traverse';
import type { EvaluatedRule, HookEnv, HookInput, HookName, HookResult, NatChange, NetfilterState, NftTableId, TableName } from './types';

/**
 * A base chain of another ruleset hooked here (an nftables `type filter|nat hook … priority …`
 * chain). `run` walks it for the packet in `ctx`, records what it evaluated in `log`, and
 * reports like a table traversal (a nat chain's NAT request is set up by the nat step).
 */
export interface HookChain {
  type: 'filter' | 'nat';
  priority: number;
  /** Names the chain in `HookResult.policy` (`ip kube-proxy`, `filter-forward`). */
  table: NftTableId;
  chain: string;
  run(ctx: PacketContext, log: TraverseLog): TraverseResult;
}

/**
 * One step of a hook's plan. A numeric `k` (table, nat, conntrack, confirm, foreign chain) rather
 * than telling the shapes apart with `in`: those checks on five shapes were megamorphic and showed
 * up in trace profiles.
 */
type Step = { k: 0; table: TableName } | { k: 1; nat: ManipType } | { k: 2; ct: 'create' | 'find' } | { k: 3 } | { k: 4; chain: HookChain };

/**
 * Every step made with every field (the others undefined), in one order: one object shape, so
 * reading `k` stays monomorphic (five shapes made that load megamorphic).
 */
function step<S extends Step>(s: S): S {
  return { ...{ k: s.k, table: undefined, nat: undefined, ct: undefined, chain: undefined }, ...s };
}

const PLANS: Readonly<Record<HookName, readonly Step[]>> = {
  PREROUTING: [step({ k: 0, table: 'raw' }), step({ k: 2, ct: 'create' }), step({ k: 0, table: 'mangle' }), step({ k: 1, nat: 'dst' })],
  INPUT: [step({ k: 2, ct: 'find' }), step({ k: 0, table: 'mangle' }), step({ k: 0, table: 'filter' }), step({ k: 1, nat: 'src' }), step({ k: 3 })],
  FORWARD: [step({ k: 2, ct: 'find' }), step({ k: 0, table: 'mangle' }), step({ k: 0, table: 'filter' })],
  OUTPUT: [step({ k: 0, table: 'raw' }), step({ k: 2, ct: 'create' }), step({ k: 0, table: 'mangle' }), step({ k: 1, nat: 'dst' }), step({ k: 0, table: 'filter' })],
  POSTROUTING: [step({ k: 2, ct: 'find' }), step({ k: 0, table: 'mangle' }), step({ k: 1, nat: 'src' }), step({ k: 3 })],
};

/** Kernel priorities of the plan's steps (include/uapi/linux/netfilter_ipv4.h). */
function stepPriority(s: Step): number {
  switch (s.k) {
    case 0:
      return { raw: -300, mangle: -150, nat: -100, filter: 0 }[s.table];
    case 2:
      return s.ct === 'create' ? -200 : -Infinity;
    case 1:
      return s.nat === 'dst' ? -100 : 100;
    case 4:
      return s.chain.priority;
    default:
      return Infinity;
  }
}

/** The hook's plan with the filter-type foreign chains placed by priority (stable: iptables first on a tie). */
function planWith(hook: HookName, chains: readonly HookChain[]): readonly Step[] {
  const filters = chains.filter((c) => c.type === 'filter');
  if (!filters.length) return PLANS[hook];
  const steps: Step[] = [...PLANS[hook], ...filters.map((chain) => step({ k: 4 as const, chain }))];
  return steps.map((s, i) => ({ s, i, p: stepPriority(s) })).sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.s);
}

/**
 * A hook run's state; it is also the packet context its matches and targets see and the log its
 * table walks write to (one object per hook, not three).
 */
interface HookState extends PacketContext, TraverseLog {
  /** Made on the first NAT change (most hooks make none). */
  nats: NatChange[] | undefined;
  decided: EvaluatedRule | undefined;
  policy: HookResult['policy'];
  entry: ConntrackEntry | undefined;
  /** Set when a table gave DROP or REJECT. */
  stop: { verdict: 'DROP' | 'REJECT'; rejectWith?: string } | undefined;
}

/**
 * `HookResult.policy` for each table, hook and policy: made once, as most table walks end by
 * their policy (an object per walk before). Shared and frozen: results are only read.
 */
type Policies = Record<'ACCEPT' | 'DROP', NonNullable<HookResult['policy']>>;
// Literal objects of one shape each (a table built by Object.fromEntries may be a slow dictionary).
const policies = (table: TableName, chain: HookName): Policies => ({
  ACCEPT: Object.freeze({ table, chain, policy: 'ACCEPT' as const }),
  DROP: Object.freeze({ table, chain, policy: 'DROP' as const }),
});
const hooks = (t: TableName): Record<HookName, Policies> => ({
  PREROUTING: policies(t, 'PREROUTING'),
  INPUT: policies(t, 'INPUT'),
  FORWARD: policies(t, 'FORWARD'),
  OUTPUT: policies(t, 'OUTPUT'),
  POSTROUTING: policies(t, 'POSTROUTING'),
});
const POLICIES: Record<TableName, Record<HookName, Policies>> = { raw: hooks('raw'), mangle: hooks('mangle'), nat: hooks('nat'), filter: hooks('filter') };

/** Attaches the packet to its connection (or a new one), as nf_conntrack_in does. */
function trackPacket(st: HookState, ct: ConntrackTable, create: boolean): void {
  const ctx = st;
  if (ctx.untracked) {
    ctx.ctState = 'UNTRACKED';
    return;
  }
  // Only PREROUTING and OUTPUT attach a connection to a packet that has none (nf_conntrack_in);
  // a packet stripped of its entry after PREROUTING meets the later hooks with none: INVALID.
  if (ctx.input.noConntrack && !create) {
    ctx.ctState = 'INVALID';
    return;
  }
  const now = ctx.env.now;
  let hit = lookupConntrack(ct, ctx.packet, now);
  // An unconfirmed entry met at a creation point belongs to an earlier packet that never made
  // it out (it was dropped after PREROUTING): the kernel would have freed it with that packet.
  if (hit && create && !hit.entry.confirmed) {
    removeConntrack(ct, hit.entry);
    hit = undefined;
  }
  if (!hit) {
    st.entry = createEntry(ct, ctx.packet, now);
    ctx.ct = st.entry;
    ctx.ctDirection = 'original';
    ctx.ctState = 'NEW';
    return;
  }
  st.entry = hit.entry;
  ctx.ct = hit.entry;
  ctx.ctDirection = hit.dir;
  // Only the creation points see each packet first; later hooks must not count it twice.
  if (create) touchEntry(hit.entry, hit.dir, ctx.packet, now);
  ctx.ctState = hit.dir === 'reply' || hit.entry.seenReply ? 'ESTABLISHED' : 'NEW';
}

function runTable(st: HookState, nf: NetfilterState, table: TableName, hook: HookName): TraverseResult | undefined {
  const t = nf.tables.get(table);
  const chain = t?.chains.get(hook);
  // Fast path: an empty built-in chain with policy ACCEPT does nothing, and neither does an
  // untouched table (which is that; getTable would create it).
  if (!chain || (chain.rules.length === 0 && chain.policy !== 'DROP')) return undefined;
  const r = traverseBase(t!, chain, hook, st, st);
  if (r.decided) st.decided = r.decided;
  if (r.byPolicy) st.policy = POLICIES[table][hook][r.verdict === 'DROP' ? 'DROP' : 'ACCEPT'];
  if (r.verdict !== 'ACCEPT') {
    st.stop = { verdict: r.verdict, ...(r.rejectWith ? { rejectWith: r.rejectWith } : {}) };
    if (r.byPolicy) st.decided = undefined;
  }
  return r;
}

function runChain(st: HookState, chain: HookChain): TraverseResult {
  const r = chain.run(st, st);
  if (r.decided) st.decided = r.decided;
  if (r.byPolicy && r.verdict === 'DROP') st.policy = { table: chain.table, chain: chain.chain, policy: 'DROP' };
  if (r.verdict !== 'ACCEPT') {
    st.stop = { verdict: r.verdict, ...(r.rejectWith ? { rejectWith: r.rejectWith } : {}) };
    if (r.byPolicy) st.decided = undefined;
  }
  return r;
}

/** The nat chains of a new connection in priority order (the iptables nat table at its own) until one asks for NAT. */
function natRequest(st: HookState, nf: NetfilterState, manip: ManipType, hook: HookName, chains: readonly HookChain[]) {
  // Without other rulesets (every iptables-mode hook) the nat table is the only nat chain: no
  // order to build (two arrays per new connection and manip type).
  if (!chains.length) {
    const r = runTable(st, nf, 'nat', hook);
    return st.stop ? undefined : r?.nat;
  }
  const own = manip === 'dst' ? -100 : 100;
  const order: (HookChain | 'nat')[] = ['nat', ...chains.filter((c) => c.type === 'nat')];
  if (order.length > 1) order.sort((a, b) => (a === 'nat' ? own : a.priority) - (b === 'nat' ? own : b.priority));
  for (const c of order) {
    const r = c === 'nat' ? runTable(st, nf, 'nat', hook) : runChain(st, c);
    if (st.stop) return undefined;
    if (r?.nat) return r.nat;
  }
  return undefined;
}

/** The nat step of a hook: consult the nat chains for a new connection, then apply conntrack's NAT. */
function natStep(st: HookState, nf: NetfilterState, ct: ConntrackTable, manip: ManipType, hook: HookName, chains: readonly HookChain[]): void {
  const ctx = st;
  const entry = st.entry;
  if (!entry) return;
  // br_netfilter never runs nat INPUT/OUTPUT for bridged frames.
  if (ctx.input.bridged && (hook === 'INPUT' || hook === 'OUTPUT')) return;
  if (ctx.ctDirection === 'original' && !entry.natInit[manip]) {
    entry.natInit[manip] = true;
    const req = natRequest(st, nf, manip, hook, chains);
    if (st.stop) return;
    if (req) setupNat(ct, entry, manip, req, ctx.env.rng);
  }
  const change = applyNat(entry, ctx.ctDirection ?? 'original', manip, ctx.packet);
  if (change) (st.nats ??= []).push(change);
}

/** No base chains of other rulesets at a hook (a default argument array was made per call). */
const NO_CHAINS: readonly HookChain[] = Object.freeze([]);

/**
 * The LOG lines of a hook that logged nothing: one shared, frozen empty list (the LOG target
 * replaces a frozen list with its own before adding a line) instead of an array per hook.
 */
const NO_LOGS: string[] = Object.freeze([]) as unknown as string[];

/**
 * Runs hook `input.hook` on `input.packet`: returns the verdict, the packet after NAT and MARK,
 * the conntrack state, and every rule evaluated in order. Never throws; counters, conntrack and
 * `-m recent` lists in `nf`/`ct` are updated as the kernel would update them. `chains` are the
 * base chains of other rulesets (nftables) at this hook, interleaved by priority. With `own`,
 * `input.packet` itself is rewritten and returned (one object fewer per hook for a caller that
 * made it for this call alone); else it is left as it was.
 */
export function runHook(nf: NetfilterState, ct: ConntrackTable, input: HookInput, env: HookEnv, chains: readonly HookChain[] = NO_CHAINS, own = false): HookResult {
  // Every field of the context from the start (ct and its direction come later): one object shape.
  // `own`: the caller gives `input.packet` away (it kept what it needs of it), so NAT and MARK
  // rewrite it in place and the result's packet is that object; else they rewrite a copy.
  const st: HookState = {
    packet: own ? input.packet : { ...input.packet },
    input,
    env,
    nf,
    ctState: 'NEW',
    ct: undefined,
    ctDirection: undefined,
    logs: NO_LOGS,
    untracked: false,
    evaluated: [],
    unmodelled: undefined,
    nats: undefined,
    decided: undefined,
    policy: undefined,
    entry: undefined,
    stop: undefined,
  };
  const ctx = st;
  const plan = chains.length ? planWith(input.hook, chains) : PLANS[input.hook];
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i]!;
    if (step.k === 0) runTable(st, nf, step.table, input.hook);
    else if (step.k === 4) runChain(st, step.chain);
    else if (step.k === 2) trackPacket(st, ct, step.ct === 'create');
    else if (step.k === 1) natStep(st, nf, ct, step.nat, input.hook, chains);
    else if (st.entry && !st.entry.confirmed) confirmEntry(st.entry);
    if (st.stop) break;
  }
  // A packet dropped before confirmation takes its new conntrack entry with it.
  if (st.stop && st.entry && !st.entry.confirmed) removeConntrack(ct, st.entry);
  const result: HookResult = {
    verdict: st.stop?.verdict ?? 'ACCEPT',
    packet: ctx.packet,
    ctState: ctx.ctState,
    evaluated: st.evaluated,
  };
  if (st.decided) result.decided = st.decided;
  if (st.nats?.length) {
    result.nat = st.nats[st.nats.length - 1]!;
    result.nats = st.nats;
  }
  if (st.stop?.rejectWith) result.rejectWith = st.stop.rejectWith;
  if (st.policy && !st.decided) result.policy = st.policy;
  if (ctx.ctDirection) result.ctDirection = ctx.ctDirection;
  if (st.unmodelled?.size) result.unmodelled = [...st.unmodelled];
  if (ctx.logs.length) result.logs = ctx.logs;
  return result;
}
