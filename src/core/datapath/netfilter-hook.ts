/**
 * The datapath's door into netfilter: converts the packet to what netfilter sees, runs one
 * hook through `runHook`, applies the NAT and mark it decided, and drafts a hop when rules were
 * evaluated. A namespace with no rules at all skips netfilter (the kernel registers conntrack
 * hooks in a namespace only when rules there need them), which keeps pod namespaces free.
 * nftables base chains at the hook (kube-proxy's nftables mode) run in the same pass, by
 * priority among the iptables tables; a hop an nft rule decided is `netfilter:nft/<hook>`.
 * Read first: net/netfilter/core.c (nf_hook_slow), net/netfilter/nf_nat_core.c.
 */
import type { Netns } from '../model/types';
import type { HookEnv, HookInput, HookName, HookResult, NfPacket, TableName } from '../netfilter/types';
import type { Rng } from '../util/rng';
import type { Ipv4Header, Packet } from './packet';
import type { HopDraft, WalkContext } from './context';
import type { RuleRef } from '../trace/types';
import { runHook } from '../netfilter/evaluate';
import { lookupConntrack, removeConntrack } from '../netfilter/conntrack';
import { hasNftRules, nftHookChains } from '../nftables/evaluate';
import { conntrackOf, getDevice, primaryAddress, findLocalAddress } from '../model/netns';
import { ipv4ToInt } from '../util/ip';
import { ipv4With, outerIp, outerIpIndex, replaceHeader, withMark, withPorts } from './headers';
import { packetLength } from './packet';
import { hop } from './context';
import { explainPolicyDropHop, policyAllowsIn } from '../netpol/explain';

/** True when any chain of any table holds a rule (iptables, or an nftables base chain). */
export function hasRules(ns: Netns): boolean {
  for (const t of ns.netfilter.tables.values()) for (const c of t.chains.values()) if (c.rules.length) return true;
  return hasNftRules(ns.nftables);
}

/** A hook's position in HOOKS: the index of the per-hook texts below. */
function hookIndex(hook: HookName): number {
  switch (hook) {
    case 'PREROUTING':
      return 0;
    case 'INPUT':
      return 1;
    case 'FORWARD':
      return 2;
    case 'OUTPUT':
      return 3;
    case 'POSTROUTING':
      return 4;
  }
}

/** `netfilter:TABLE/HOOK` for each iptables table and hook, made once rather than per hop. */
const HOOKS: readonly HookName[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];
const TABLES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter'];
const STAGES: readonly (readonly string[])[] = TABLES.map((t) => HOOKS.map((h) => `netfilter:${t}/${h}`));
/** `netfilter:nft/<hook>` for a hop an nftables rule decided. */
const NFT_STAGES: readonly string[] = HOOKS.map((h) => `netfilter:nft/${h.toLowerCase()}`);

function iptablesStage(table: string, hook: HookName): string {
  // A switch on the table rather than a keyed lookup by two strings (that lookup was visible in
  // trace profiles: it runs for every hop netfilter drafts).
  const row = table === 'filter' ? 3 : table === 'nat' ? 2 : table === 'mangle' ? 1 : table === 'raw' ? 0 : -1;
  return row < 0 ? `netfilter:${table}/${hook}` : STAGES[row]![hookIndex(hook)]!;
}

/** nftables rules carry their table as `FAMILY NAME` (`ip kube-proxy`); iptables ones a table name. */
function isNft(table: string | undefined): boolean {
  return table !== undefined && table.includes(' ');
}

function toNf(p: Packet): NfPacket {
  const i = outerIpIndex(p);
  const ip = p.headers[i] as Ipv4Header;
  const l4 = p.headers[i + 1];
  // One shape for every protocol (absent fields undefined), so that matches stay monomorphic.
  const nf: NfPacket = { src: ip.src, dst: ip.dst, protocol: ip.protocol, mark: p.mark ?? 0, length: packetLength(p, i), sport: undefined, dport: undefined, tcpFlags: undefined, icmpType: undefined };
  if (l4?.kind === 'tcp') {
    nf.sport = l4.sport;
    nf.dport = l4.dport;
    nf.tcpFlags = l4.flags;
  } else if (l4?.kind === 'udp' || l4?.kind === 'sctp') {
    nf.sport = l4.sport;
    nf.dport = l4.dport;
  } else if (l4?.kind === 'icmp') nf.icmpType = l4.type;
  return nf;
}

/** The fields of the packet netfilter may rewrite (NAT, MARK), as they were before the hook. */
type Rewritable = Pick<NfPacket, 'src' | 'dst' | 'sport' | 'dport' | 'mark'>;

/** The packet with what netfilter rewrote (NAT, MARK) applied; the names of the fields land in `changed`. */
function applyNf(p: Packet, before: Rewritable, after: NfPacket, changed: string[]): Packet {
  let out = p;
  if (after.src !== before.src || after.dst !== before.dst) {
    const i = outerIpIndex(out);
    const ip = outerIp(out);
    out = replaceHeader(out, i, ipv4With(ip, after.src, after.dst, ip.ttl));
    if (after.src !== before.src) changed.push('ipv4.src');
    if (after.dst !== before.dst) changed.push('ipv4.dst');
  }
  if (after.sport !== before.sport || after.dport !== before.dport) {
    out = withPorts(out, after.sport, after.dport);
    const proto = outerIp(out).protocol;
    if (after.sport !== before.sport) changed.push(`${proto}.sport`);
    if (after.dport !== before.dport) changed.push(`${proto}.dport`);
  }
  if (after.mark !== before.mark) {
    out = withMark(out, after.mark);
    changed.push('mark');
  }
  return out;
}

/** What a hook did to the packet; `hop` is set when rules were evaluated (or conntrack NATed). */
export interface HookOutcome {
  packet: Packet;
  verdict: HookResult['verdict'];
  hop: HopDraft | undefined;
}

function ruleRef(r: HookResult): RuleRef | undefined {
  const d = r.decided;
  if (!d) return undefined;
  return {
    kind: isNft(d.table) ? 'nft' : 'iptables',
    text: d.text,
    table: d.table,
    chain: d.chain,
    index: d.index,
    // iptables records are shared, never-mutated objects of exactly this shape (traverse.ts):
    // reuse them; copy only records that carry an `element` key (nftables lookups).
    evaluated: ownRecords(r.evaluated),
  };
}

/**
 * The evaluated list for a hop: the hook's own fresh array when every record is a shared iptables
 * one (the usual case: no copy), else a copy whose nftables records are rebuilt.
 */
function ownRecords(evaluated: HookResult['evaluated']): NonNullable<RuleRef['evaluated']> {
  for (const e of evaluated) {
    if ('element' in e) return evaluated.map((x) => ('element' in x ? { table: x.table, chain: x.chain, index: x.index, text: x.text, matched: x.matched, ...(x.element !== undefined ? { element: x.element } : {}) } : x));
  }
  return evaluated;
}

/**
 * The sentences of a namespace's netfilter hops that depend only on the namespace's name, the
 * hook and the number of rules walked, made once per namespace and kept across walks (every
 * flow crosses the same hooks of the same namespaces). Kept beside the namespace in a WeakMap,
 * not on it, and used only while the name they were made from is the namespace's name.
 */
interface NsTexts {
  id: string;
  /** `${id} ${hook}: ` by hook index. */
  prefix: string[];
  /** `${id} ${hook}: N rules evaluated, none changed the packet; accepted.` by hook index, then N. */
  accepted: string[][];
  /** The ESTABLISHED sentence by hook index. */
  established: string[];
  /**
   * The sentences of hops a rule accepted or whose rules set the mark, by hook index, then by the
   * deciding rule's record (records are shared, never-mutated objects: see traverse.ts), or by
   * NO_RULE when the chain policy accepted: each is a pure function of what `AcceptedText` keeps.
   */
  acceptedBy: WeakMap<object, AcceptedText>[];
}

/** A remembered accept sentence and what it was made from (beside the ns, hook and rule of its key). */
interface AcceptedText {
  n: number;
  lookups: number;
  markBefore: number;
  markAfter: number;
  text: string;
}

/** The `acceptedBy` key of a hook its chain policy accepted (no rule decided). */
const NO_RULE = {};

const NS_TEXTS = new WeakMap<Netns, NsTexts>();

function nsTexts(ns: Netns): NsTexts {
  let t = NS_TEXTS.get(ns);
  if (t?.id !== ns.id) {
    const prefix = HOOKS.map((h) => `${ns.id} ${h}: `);
    t = { id: ns.id, prefix, accepted: HOOKS.map(() => []), established: prefix.map((p) => `${p}conntrack knows this connection (ESTABLISHED); no NAT rules are consulted.`), acceptedBy: HOOKS.map(() => new WeakMap()) };
    NS_TEXTS.set(ns, t);
  }
  return t;
}

/** `N rule(s) evaluated` by N, made once per count. */
const WALKED: string[] = [];

function walkedText(n: number, lookups: number): string {
  if (lookups) return `${n} rule${n === 1 ? '' : 's'} evaluated; ${lookups} set/map lookup${lookups === 1 ? '' : 's'}, one hash lookup each`;
  return (WALKED[n] ??= `${n} rule${n === 1 ? '' : 's'} evaluated`);
}

/** Set and map lookups among the rules a hook evaluated (only nftables rules look anything up). */
function countLookups(evaluated: HookResult['evaluated']): number {
  let lookups = 0;
  for (const e of evaluated) if (e.element !== undefined) lookups++;
  return lookups;
}

/**
 * Whether `d`, the rule that decided a hook, is the rule that asked for its NAT: a rule of the
 * iptables nat table, or an nftables rule with the NAT statement (`dnat to`, `masquerade`); a
 * filter rule that accepted after the nat step (OUTPUT runs nat, then filter) is not.
 */
function natRuleOf(d: NonNullable<HookResult['decided']>, kind: string): boolean {
  return isNft(d.table) ? d.text.includes(kind.toLowerCase()) : d.table === 'nat';
}

/** A mark as iptables-save and the trace print it. */
function hexMark(m: number): string {
  return `0x${m.toString(16)}`;
}

/**
 * The sentence of an accepting hop that a rule decided or whose rules set the mark: it names the
 * rule that accepted (the hop's `rule`) and the mark's change, so it never claims that nothing
 * changed when `changed` lists the mark. Remembered per namespace, hook and deciding rule.
 */
function acceptedText(texts: NsTexts, h: number, r: HookResult, n: number, lookups: number, markBefore: number): string {
  const key = r.decided ?? NO_RULE;
  const byRule = texts.acceptedBy[h]!;
  const markAfter = r.packet.mark;
  const m = byRule.get(key);
  if (m !== undefined && m.n === n && m.lookups === lookups && m.markBefore === markBefore && m.markAfter === markAfter) return m.text;
  const marked = markAfter !== markBefore ? `the rules set the mark ${hexMark(markBefore)} → ${hexMark(markAfter)}; ` : '';
  const text = `${texts.prefix[h]}${marked}accepted by ${r.decided ? r.decided.text : 'the chain policy'} (${walkedText(n, lookups)}).`;
  byRule.set(key, { n, lookups, markBefore, markAfter, text });
  return text;
}

function explainHook(ns: Netns, texts: NsTexts, hook: HookName, r: HookResult, rule: RuleRef | undefined, markBefore: number): string {
  const n = r.evaluated.length;
  // Without nftables the namespace's records are all iptables ones: no need to read each one.
  const lookups = ns.nftables ? countLookups(r.evaluated) : 0;
  const h = hookIndex(hook);
  const nat = r.nat;
  if (r.verdict === 'DROP') {
    // A NetworkPolicy engine's drop names the policy and the isolated pod.
    const policy = explainPolicyDropHop(rule, walkedText(n, lookups));
    return policy ? `${texts.prefix[h]}${policy}` : `${texts.prefix[h]}dropped by ${r.decided?.text ?? 'the chain policy'} (${walkedText(n, lookups)}).`;
  }
  if (r.verdict === 'REJECT') return `${texts.prefix[h]}rejected (${r.rejectWith ?? 'icmp-port-unreachable'}) by ${r.decided?.text ?? 'a rule'} (${walkedText(n, lookups)}).`;
  if (nat) {
    const field = nat.field === 'dst' ? 'destination' : 'source';
    const d = r.decided;
    // Only a connection's first packet is shown to the nat chains (nf_nat_inet_fn): later ones,
    // and replies, get the NAT conntrack recorded then, with no rule consulted.
    const reply = nat.kind === 'un-DNAT' || nat.kind === 'un-SNAT';
    const byRule = !reply && d !== undefined && natRuleOf(d, nat.kind);
    const what = reply ? `conntrack reverses the earlier ${nat.kind.slice(3)} of this connection` : byRule ? `${nat.kind} rewrites the ${field}` : `conntrack applies this connection's ${nat.kind} to the ${field}`;
    const marked = r.packet.mark !== markBefore ? `; the rules set the mark ${hexMark(markBefore)} → ${hexMark(r.packet.mark)}` : '';
    return `${texts.prefix[h]}${what}: ${nat.before.ip}${nat.before.port ? `:${nat.before.port}` : ''} → ${nat.after.ip}${nat.after.port ? `:${nat.after.port}` : ''}${byRule ? `, by ${d.text}` : ''}${marked}${n ? ` (${walkedText(n, lookups)})` : ''}.`;
  }
  if (r.ctState === 'ESTABLISHED' && n === 0) return texts.established[h]!;
  const allows = policyAllowsIn(rule);
  if (allows.length) return `${texts.prefix[h]}allowed by NetworkPolicy ${allows.join(', ')} (${walkedText(n, lookups)}).`;
  // A rule accepted, or the rules set the mark: say which rule, and what became of the mark.
  if (r.decided !== undefined || r.packet.mark !== markBefore) return acceptedText(texts, h, r, n, lookups, markBefore);
  if (lookups) return `${texts.prefix[h]}${walkedText(n, lookups)}, none changed the packet; accepted.`;
  const byCount = texts.accepted[h]!;
  return (byCount[n] ??= `${texts.prefix[h]}${walkedText(n, 0)}, none changed the packet; accepted.`);
}

/**
 * The host facts netfilter asks about (HookEnv) for one namespace and walk, plus whether the
 * namespace has any rules. Methods on a class rather than closures in a literal: one object per
 * namespace and flow instead of three.
 */
class WalkEnv implements HookEnv {
  /** `hasRules(ns)`: rules never change during a walk (faults and syncs run between walks). */
  readonly active: boolean;
  readonly texts: NsTexts;
  /**
   * The last address `isLocal` was asked about and the answer: the namespace's addresses, like
   * its rules, do not change during a walk, and `-m addrtype` asks of the same address at hook
   * after hook (a scan of every device's addresses each time).
   */
  private lastIp: string | undefined = undefined;
  private lastLocal = false;
  constructor(
    readonly ns: Netns,
    readonly rng: Rng,
    readonly now: number,
  ) {
    this.active = hasRules(ns);
    this.texts = nsTexts(ns);
  }

  isLocal(ip: string): boolean {
    if (ip === this.lastIp) return this.lastLocal;
    const local = findLocalAddress(this.ns, ipv4ToInt(ip)) !== undefined;
    this.lastIp = ip;
    this.lastLocal = local;
    return local;
  }

  // inet_select_addr: the device's address, else the first global one of the namespace
  // (MASQUERADE out of an addressless Calico cali* veth takes the node's eth0 address).
  primaryAddress(name: string): string | undefined {
    const d = getDevice(this.ns, name);
    if (!d) return undefined;
    const own = primaryAddress(d);
    if (own) return own;
    for (const x of this.ns.devices) for (const a of x.addresses) if (a.scope === 'global') return a.ip;
    return undefined;
  }
}

/**
 * nf_reset_ct on `p` in `ns`: the packet lets go of its connection. One that was never confirmed
 * (created by this packet's PREROUTING) had no other holder, so the kernel frees it; a confirmed
 * one stays in the table. Returns whether an entry was freed.
 */
export function resetConntrack(ns: Netns, p: Packet, now: number): boolean {
  const table = conntrackOf(ns);
  const hit = lookupConntrack(table, toNf(p), now);
  if (!hit || hit.entry.confirmed) return false;
  removeConntrack(table, hit.entry);
  return true;
}

/** The host facts netfilter asks about, built once per namespace and walk. */
function hookEnv(ctx: WalkContext, ns: Netns): WalkEnv {
  const last = ctx.lastEnv as WalkEnv | undefined;
  if (last !== undefined && last.ns === ns) return last;
  const cache = (ctx.envs ??= new Map<Netns, HookEnv>());
  let env = cache.get(ns) as WalkEnv | undefined;
  if (!env) {
    env = new WalkEnv(ns, ctx.rng, ctx.now);
    cache.set(ns, env);
  }
  ctx.lastEnv = env;
  return env;
}

/**
 * Runs `hook` in `ns` on `p`. `inIface`/`outIface` are what `-i`/`-o` see; `bridged`, `physIn`
 * and `physOut` are set only while br_netfilter hands a bridged frame to iptables (`-m physdev`).
 * `noConntrack`: the packet lost its conntrack entry after PREROUTING (HookInput.noConntrack).
 * Positional rather than an options object: one object fewer per hook, and every packet crosses
 * several hooks in every namespace.
 */
export function nfHook(ctx: WalkContext, ns: Netns, hook: HookName, p: Packet, inIface: string | undefined, outIface?: string, bridged?: boolean, physIn?: string, physOut?: string, noConntrack?: boolean): HookOutcome {
  // Scanning every chain of every table per hook showed up in trace profiles: once per walk.
  const env = hookEnv(ctx, ns);
  if (!env.active) return { packet: p, verdict: 'ACCEPT', hop: undefined };
  const nf = toNf(p);
  // The hook rewrites `nf` in place (it is made for this call): what it may rewrite is kept here.
  const { src, dst, sport, dport, mark } = nf;
  // Every field present (undefined when absent): one object shape for every hook, so the rule
  // matches that read it stay monomorphic. Readers only compare these fields with undefined.
  const input: HookInput = { hook, packet: nf, inIface: inIface || undefined, outIface: outIface || undefined, bridged: bridged || undefined, physInIface: physIn || undefined, physOutIface: physOut || undefined, noConntrack: noConntrack || undefined };
  const result = runHook(ns.netfilter, conntrackOf(ns), input, env, ns.nftables ? nftHookChains(ns.nftables, hook) : undefined, true);
  const after = result.packet;
  // Netfilter left every field the packet carries as it was (the usual case)?
  const same = after.src === src && after.dst === dst && after.sport === sport && after.dport === dport && after.mark === mark;
  const changed: string[] | undefined = same ? undefined : [];
  const packet = same ? p : applyNf(p, { src, dst, sport, dport, mark }, after, changed!);
  if (!result.evaluated.length && !result.nat && result.verdict === 'ACCEPT') return { packet, verdict: 'ACCEPT', hop: undefined };
  const table = result.decided?.table ?? (result.nat ? 'nat' : (result.evaluated[0]?.table ?? 'filter'));
  const rule = ruleRef(result);
  const stage = isNft(table) ? NFT_STAGES[hookIndex(hook)]! : iptablesStage(table, hook);
  const device = hook === 'PREROUTING' || hook === 'INPUT' ? inIface : (outIface ?? inIface);
  const draft = hop(ns, stage, packet, explainHook(ns, env.texts, hook, result, rule, mark), device, changed?.length ? changed : undefined, rule);
  return { packet, verdict: result.verdict, hop: draft };
}
