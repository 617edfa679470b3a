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
import type { Ipv4Header, Packet } from './packet';
import type { HopDraft, WalkContext } from './context';
import type { RuleRef } from '../trace/types';
import { runHook } from '../netfilter/evaluate';
import { hasNftRules, nftHookChains } from '../nftables/evaluate';
import { conntrackOf, getDevice, primaryAddress, findLocalAddress } from '../model/netns';
import { ipv4ToInt } from '../util/ip';
import { ipv4With, outerIp, outerIpIndex, replaceHeader, withMark, withPorts } from './headers';
import { packetLength } from './packet';
import { hop } from './context';
import { explainPolicyDrop, policyAllowsIn } from '../netpol/explain';

/** True when any chain of any table holds a rule (iptables, or an nftables base chain). */
export function hasRules(ns: Netns): boolean {
  for (const t of ns.netfilter.tables.values()) for (const c of t.chains.values()) if (c.rules.length) return true;
  return hasNftRules(ns.nftables);
}

/** `netfilter:TABLE/HOOK` for each iptables table and hook, made once rather than per hop. */
const HOOKS: readonly HookName[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];
const STAGES = Object.fromEntries((['raw', 'mangle', 'nat', 'filter'] as const).map((t) => [t, Object.fromEntries(HOOKS.map((h) => [h, `netfilter:${t}/${h}`]))])) as Record<TableName, Record<HookName, string>>;

function iptablesStage(table: TableName, hook: HookName): string {
  return STAGES[table]?.[hook] ?? `netfilter:${table}/${hook}`;
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

/** What `applyNf` reports for a packet netfilter left alone (shared: it is never exposed or changed). */
const UNCHANGED: readonly string[] = Object.freeze([]);

function applyNf(p: Packet, before: NfPacket, after: NfPacket): { packet: Packet; changed: string[] } {
  if (after.src === before.src && after.dst === before.dst && after.sport === before.sport && after.dport === before.dport && after.mark === before.mark) return { packet: p, changed: UNCHANGED as string[] };
  const changed: string[] = [];
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
  return { packet: out, changed };
}

export interface HookOutcome {
  packet: Packet;
  verdict: HookResult['verdict'];
  result?: HookResult;
  hop?: HopDraft;
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

function explainHook(ns: Netns, hook: HookName, r: HookResult, rule: RuleRef | undefined): string {
  const n = r.evaluated.length;
  let lookups = 0;
  for (const e of r.evaluated) if (e.element !== undefined) lookups++;
  const walked = `${n} rule${n === 1 ? '' : 's'} evaluated${lookups ? `; ${lookups} set/map lookup${lookups === 1 ? '' : 's'}, one hash lookup each` : ''}`;
  const nat = r.nat;
  if (r.verdict === 'DROP') {
    // A NetworkPolicy engine's drop names the policy and the isolated pod.
    const policy = explainPolicyDrop(rule);
    return policy ? `${ns.id} ${hook}: ${policy} (${walked}).` : `${ns.id} ${hook}: dropped by ${r.decided?.text ?? 'the chain policy'} (${walked}).`;
  }
  if (r.verdict === 'REJECT') return `${ns.id} ${hook}: rejected (${r.rejectWith ?? 'icmp-port-unreachable'}) by ${r.decided?.text ?? 'a rule'} (${walked}).`;
  if (nat) {
    const what = nat.kind === 'un-DNAT' || nat.kind === 'un-SNAT' ? `conntrack reverses the earlier ${nat.kind.slice(3)} of this connection` : `${nat.kind} rewrites the ${nat.field === 'dst' ? 'destination' : 'source'}`;
    return `${ns.id} ${hook}: ${what}: ${nat.before.ip}${nat.before.port ? `:${nat.before.port}` : ''} → ${nat.after.ip}${nat.after.port ? `:${nat.after.port}` : ''} (${walked}).`;
  }
  if (r.ctState === 'ESTABLISHED' && n === 0) return `${ns.id} ${hook}: conntrack knows this connection (ESTABLISHED); no NAT rules are consulted.`;
  const allows = policyAllowsIn(rule);
  if (allows.length) return `${ns.id} ${hook}: allowed by NetworkPolicy ${allows.join(', ')} (${walked}).`;
  return `${ns.id} ${hook}: ${walked}, none changed the packet; accepted.`;
}

/** A namespace's HookEnv plus whether it has any rules, both fixed for the walk. */
interface WalkEnv extends HookEnv {
  /** `hasRules(ns)`: rules never change during a walk (faults and syncs run between walks). */
  active: boolean;
}

/** The host facts netfilter asks about, built once per namespace and walk. */
function hookEnv(ctx: WalkContext, ns: Netns): WalkEnv {
  const cache = (ctx.envs ??= new Map<Netns, HookEnv>());
  let env = cache.get(ns) as WalkEnv | undefined;
  if (!env) {
    env = {
      active: hasRules(ns),
      isLocal: (ip) => findLocalAddress(ns, ipv4ToInt(ip)) !== undefined,
      // inet_select_addr: the device's address, else the first global one of the namespace
      // (MASQUERADE out of an addressless Calico cali* veth takes the node's eth0 address).
      primaryAddress: (name) => {
        const d = getDevice(ns, name);
        if (!d) return undefined;
        const own = primaryAddress(d);
        if (own) return own;
        for (const x of ns.devices) for (const a of x.addresses) if (a.scope === 'global') return a.ip;
        return undefined;
      },
      rng: ctx.rng,
      now: ctx.now,
    };
    cache.set(ns, env);
  }
  return env;
}

/** Runs `hook` in `ns` on `p`. */
export function nfHook(ctx: WalkContext, ns: Netns, hook: HookName, p: Packet, io: { in?: string; out?: string; bridged?: boolean; physIn?: string; physOut?: string }): HookOutcome {
  // Scanning every chain of every table per hook showed up in trace profiles: once per walk.
  const env = hookEnv(ctx, ns);
  if (!env.active) return { packet: p, verdict: 'ACCEPT' };
  const before = toNf(p);
  // Every field present (undefined when absent): one object shape for every hook, so the rule
  // matches that read it stay monomorphic. Readers only compare these fields with undefined.
  const input: HookInput = { hook, packet: before, inIface: io.in || undefined, outIface: io.out || undefined, bridged: io.bridged || undefined, physInIface: io.physIn || undefined, physOutIface: io.physOut || undefined };
  const result = runHook(ns.netfilter, conntrackOf(ns), input, env, ns.nftables ? nftHookChains(ns.nftables, hook) : undefined);
  const { packet, changed } = applyNf(p, before, result.packet);
  if (!result.evaluated.length && !result.nat && result.verdict === 'ACCEPT') return { packet, verdict: 'ACCEPT', result };
  const table = result.decided?.table ?? (result.nat ? 'nat' : (result.evaluated[0]?.table ?? 'filter'));
  const rule = ruleRef(result);
  const stage = isNft(table) ? `netfilter:nft/${hook.toLowerCase()}` : iptablesStage(table as TableName, hook);
  const device = hook === 'PREROUTING' || hook === 'INPUT' ? io.in : (io.out ?? io.in);
  const extra: { device?: string; changed?: string[]; rule?: RuleRef } = {};
  if (device !== undefined) extra.device = device;
  if (changed.length) extra.changed = changed;
  if (rule) extra.rule = rule;
  const draft = hop(ns, stage, packet, explainHook(ns, hook, result, rule), extra);
  return { packet, verdict: result.verdict, result, hop: draft };
}
