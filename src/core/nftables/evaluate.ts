/**
 * The nftables evaluator: the base chains of a netns's nftables tables, walked at their hooks as
 * nf_tables does (nft_do_chain): rules in order, a rule's statements left to right until one
 * does not match or gives a verdict; `jump` pushes a return point, `goto` does not, `return` and
 * the end of a regular chain pop, the end of a base chain applies its policy. A set or verdict
 * map is one hash lookup (the rule records the element it found): kube-proxy's dispatch costs
 * the same for 10 Services as for 10,000, where iptables walks KUBE-SERVICES rule by rule.
 *
 * NAT goes through the one netfilter evaluator and its conntrack (`runHook` with `HookChain`s):
 * a nat-type chain runs only for a connection's first packet, its `dnat`/`masquerade` becomes a
 * NatRequest set up by netfilter/nat.ts, and replies are un-NATed from the entry.
 *
 * Read first: net/netfilter/nf_tables_core.c (nft_do_chain), nft_lookup.c, nft_numgen.c,
 * nft_fib.c, nft_nat.c, nft_masq.c, nft_dynset.c; nft(8).
 */
import type { HookChain } from '../netfilter/evaluate';
import type { NatRequest, PacketContext } from '../netfilter/module';
import type { TraverseLog, TraverseResult } from '../netfilter/traverse';
import { noteUnmodelled } from '../netfilter/traverse';
import type { ConntrackTable } from '../netfilter/conntrack';
import type { EvaluatedRule, HookEnv, HookInput, HookName, HookResult, NftTableId } from '../netfilter/types';
import type { NftChain, NftRule, NftSet, NftTable } from './types';
import type { CompiledRule, Literal, Rhs, Selector, Stmt } from './rule';
import { runHook } from '../netfilter/evaluate';
import { createNetfilter } from '../netfilter/state';
import { masqueradeTarget } from '../netfilter/targets/masquerade';
import { ipv4ToInt } from '../util/ip';
import { compileNftRule } from './rule';

const NFT_HOOK: Readonly<Record<HookName, NonNullable<NftChain['base']>['hook']>> = {
  PREROUTING: 'prerouting',
  INPUT: 'input',
  FORWARD: 'forward',
  OUTPUT: 'output',
  POSTROUTING: 'postrouting',
};

/** Deeper than nft allows (it refuses loops and more than 16 jumps at load time). */
const MAX_DEPTH = 16;
const MAX_STEPS = 100_000;

/** Per-table indexes, built on first use and rebuilt when the table's shape changes. */
interface TableIndex {
  chains: Map<string, NftChain>;
  sets: Map<string, NftSet>;
  size: number;
}

const indexes = new WeakMap<NftTable, TableIndex>();
const compiled = new WeakMap<NftRule, CompiledRule>();
const elementIndexes = new WeakMap<NftSet, { size: number; byKey: Map<string, { value?: string; text: string }> }>();

function indexOf(t: NftTable): TableIndex {
  const size = t.chains.length * 65536 + t.sets.length;
  let ix = indexes.get(t);
  if (!ix || ix.size !== size) {
    ix = { chains: new Map(t.chains.map((c) => [c.name, c])), sets: new Map(t.sets.map((s) => [s.name, s])), size };
    indexes.set(t, ix);
  }
  return ix;
}

function compiledOf(r: NftRule): CompiledRule {
  let c = compiled.get(r);
  if (!c) {
    c = compileNftRule(r.text);
    compiled.set(r, c);
  }
  return c;
}

/** A set's elements by key (`10.96.0.10 . udp . 53`): nft's hash lookup. */
function elementsOf(s: NftSet): Map<string, { value?: string; text: string }> {
  let ix = elementIndexes.get(s);
  if (!ix || ix.size !== s.elements.length) {
    const byKey = new Map<string, { value?: string; text: string }>();
    for (const e of s.elements) {
      const key = e.key.join(' . ');
      byKey.set(key, { ...(e.value !== undefined ? { value: e.value } : {}), text: e.value !== undefined ? `${key} : ${e.value}` : key });
    }
    ix = { size: s.elements.length, byKey };
    elementIndexes.set(s, ix);
  }
  return ix.byKey;
}

type Value = string | number | undefined;

/** What a selector reads from the packet, its connection or the host. */
function readSelector(s: Selector, ctx: PacketContext): Value {
  const p = ctx.packet;
  let v: Value;
  switch (s.field) {
    case 'saddr':
      return p.src;
    case 'daddr':
      return p.dst;
    case 'l4proto':
      return p.protocol;
    case 'th dport':
    case 'th sport':
    case 'tcp dport':
    case 'tcp sport':
    case 'udp dport':
    case 'udp sport': {
      const [proto, which] = s.field.split(' ');
      if (p.protocol !== 'tcp' && p.protocol !== 'udp') return undefined;
      if (proto !== 'th' && proto !== p.protocol) return undefined;
      const port = which === 'dport' ? p.dport : p.sport;
      return port === undefined ? undefined : String(port);
    }
    case 'mark':
      v = p.mark;
      break;
    case 'ctmark':
      v = ctx.ct?.mark ?? 0;
      break;
    case 'numgen':
      // nft_ng_random: a uniform draw in [0, mod); the model's seeded stream stands in for prandom.
      v = ctx.env.rng.int(0, s.mod! - 1);
      break;
    case 'ctstate':
      return ctx.ctState.toLowerCase();
    case 'iifname':
      return ctx.input.inIface;
    case 'oifname':
      return ctx.input.outIface;
    case 'fib saddr':
      return ctx.env.isLocal(p.src) ? 'local' : 'unicast';
    case 'fib daddr':
      return ctx.env.isLocal(p.dst) ? 'local' : 'unicast';
    default:
      return undefined;
  }
  if (s.op && typeof v === 'number') v = (s.op.fn === '&' ? v & s.op.arg : s.op.fn === '|' ? v | s.op.arg : v ^ s.op.arg) >>> 0;
  return v;
}

/** `ct status` flags of the packet's connection. */
function ctStatus(ctx: PacketContext): Set<string> {
  const e = ctx.ct;
  const out = new Set<string>();
  if (!e) return out;
  if (e.dstNat) out.add('dnat');
  if (e.srcNat) out.add('snat');
  if (e.confirmed) out.add('confirmed');
  if (e.assured) out.add('assured');
  if (e.seenReply) out.add('seen-reply');
  return out;
}

function literalMatches(l: Literal, v: Value, kind: Selector['kind']): boolean {
  if (v === undefined) return false;
  if ('network' in l) return typeof v === 'string' && ((ipv4ToInt(v) & l.mask) >>> 0) === l.network;
  if (kind === 'iface' && typeof l.value === 'string' && l.value.endsWith('*')) return typeof v === 'string' && v.startsWith(l.value.slice(0, -1));
  return l.value === v;
}

interface Walk {
  table: NftTable;
  id: NftTableId;
  ctx: PacketContext;
  log: TraverseLog;
}

/** A named set's membership test; records the element found on `ev`. */
function inSet(w: Walk, name: string, key: string, ev: EvaluatedRule): boolean {
  const set = indexOf(w.table).sets.get(name);
  if (!set) {
    noteUnmodelled(w.log, `nft: @${name} (no such set)`);
    return false;
  }
  const exp = set.dynamic?.get(key);
  if (exp !== undefined && exp > w.ctx.env.now) {
    ev.element = key;
    return true;
  }
  const hit = elementsOf(set).get(key);
  if (hit) {
    ev.element = hit.text;
    return true;
  }
  // Interval sets (CIDR elements) are a range lookup; kube-proxy's own sets hold plain keys.
  if (set.flags?.includes('interval') && set.elements.some((e) => e.key.length === 1 && literalMatches(cidr(e.key[0]!), key, 'addr'))) {
    ev.element = key;
    return true;
  }
  return false;
}

function cidr(s: string): Literal {
  const [ip, bits = '32'] = s.split('/');
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  return { network: (ipv4ToInt(ip!) & mask) >>> 0, mask };
}

function keyOf(sel: Selector[], ctx: PacketContext): string | undefined {
  if (sel.length === 1) {
    const v = readSelector(sel[0]!, ctx);
    return v === undefined ? undefined : String(v);
  }
  const parts: string[] = [];
  for (const s of sel) {
    const v = readSelector(s, ctx);
    if (v === undefined) return undefined;
    parts.push(String(v));
  }
  return parts.join(' . ');
}

function matchStmt(w: Walk, sel: Selector[], rhs: Rhs, ev: EvaluatedRule): boolean {
  if (rhs.kind === 'set') {
    const key = keyOf(sel, w.ctx);
    return key !== undefined && inSet(w, rhs.name, key, ev);
  }
  const s = sel[0]!;
  if (s.kind === 'ctstatus') {
    const flags = ctStatus(w.ctx);
    return rhs.values.some((l) => 'value' in l && flags.has(String(l.value)));
  }
  const v = sel.length === 1 ? readSelector(s, w.ctx) : keyOf(sel, w.ctx);
  return rhs.values.some((l) => literalMatches(l, v, s.kind));
}

/** How a rule ended: fell through (not matched, or matched without a verdict), or a verdict. */
type RuleOutcome =
  | { kind: 'next' }
  | { kind: 'accept' | 'drop' | 'return' }
  | { kind: 'reject'; with: string }
  | { kind: 'jump' | 'goto'; chain: string }
  | { kind: 'nat'; request: NatRequest };

/** `accept`, `drop`, `goto CHAIN` … as a map element's value says it. */
function verdictOf(text: string): RuleOutcome {
  const [v, chain] = text.split(' ');
  if ((v === 'goto' || v === 'jump') && chain) return { kind: v, chain };
  if (v === 'accept' || v === 'drop' || v === 'return') return { kind: v };
  return { kind: 'next' };
}

const REJECT_WITH: Readonly<Record<string, string>> = { 'tcp reset': 'tcp-reset', 'icmp type host-unreachable': 'icmp-host-unreachable', 'icmp type net-unreachable': 'icmp-net-unreachable', 'icmp type admin-prohibited': 'icmp-admin-prohibited', 'icmp type port-unreachable': 'icmp-port-unreachable' };

function vmapStmt(w: Walk, s: Extract<Stmt, { kind: 'vmap' }>, ev: EvaluatedRule): RuleOutcome | undefined {
  const key = keyOf(s.sel, w.ctx);
  if (key === undefined) return undefined;
  if (s.map.kind === 'inline') {
    const hit = s.map.elements.find((e) => e.key === key);
    if (!hit) return undefined;
    ev.element = `${hit.key} : ${hit.value}`;
    return verdictOf(hit.value);
  }
  const set = indexOf(w.table).sets.get(s.map.name);
  if (!set) {
    noteUnmodelled(w.log, `nft: @${s.map.name} (no such map)`);
    return undefined;
  }
  const hit = elementsOf(set).get(key);
  if (!hit?.value) return undefined;
  ev.element = hit.text;
  return verdictOf(hit.value);
}

/** Runs one statement; `undefined` means "the rule stops matching here". */
function runStmt(w: Walk, s: Stmt, ev: EvaluatedRule): RuleOutcome | 'go-on' | undefined {
  const { ctx } = w;
  switch (s.kind) {
    case 'match':
      return matchStmt(w, s.sel, s.rhs, ev) !== s.negate ? 'go-on' : undefined;
    case 'vmap':
      return vmapStmt(w, s, ev);
    case 'verdict':
      return s.verdict === 'continue' ? 'go-on' : { kind: s.verdict };
    case 'jump':
    case 'goto':
      return { kind: s.kind, chain: s.chain };
    case 'reject':
      return { kind: 'reject', with: (s.with && REJECT_WITH[s.with]) ?? 'icmp-port-unreachable' };
    case 'mark-set': {
      const cur = s.target === 'meta' ? ctx.packet.mark : (ctx.ct?.mark ?? 0);
      const v = s.value ?? ((s.op!.fn === '&' ? cur & s.op!.arg : s.op!.fn === '|' ? cur | s.op!.arg : cur ^ s.op!.arg) >>> 0);
      if (s.target === 'meta') ctx.packet.mark = v;
      else if (ctx.ct) ctx.ct.mark = v;
      return 'go-on';
    }
    case 'dnat':
    case 'snat':
      return { kind: 'nat', request: { kind: s.kind === 'dnat' ? 'DNAT' : 'SNAT', minIp: s.ip, maxIp: s.ip, ...(s.port !== undefined ? { ports: [s.port, s.port] as [number, number] } : {}) } };
    case 'masquerade': {
      const out = masqueradeTarget.apply({ random: false, randomFully: s.randomFully }, ctx);
      return out.kind === 'nat' ? { kind: 'nat', request: out.request } : { kind: 'drop' };
    }
    case 'update': {
      const set = indexOf(w.table).sets.get(s.set);
      const key = keyOf(s.sel, ctx);
      if (set && key !== undefined) (set.dynamic ??= new Map()).set(key, ctx.env.now + (set.timeout ?? 0));
      return 'go-on';
    }
    case 'counter':
      return 'go-on';
    case 'unknown':
      noteUnmodelled(w.log, `nft: ${s.text}`);
      return 'go-on';
  }
}

function runRule(w: Walk, rule: CompiledRule, ev: EvaluatedRule): RuleOutcome {
  for (const s of rule.stmts) {
    const r = runStmt(w, s, ev);
    if (r === undefined) {
      delete ev.element;
      return { kind: 'next' };
    }
    if (r !== 'go-on') {
      ev.matched = true;
      return r;
    }
  }
  ev.matched = true;
  return { kind: 'next' };
}

/** Walks base chain `base` of `table` for the packet in `ctx` (nft_do_chain). */
export function walkNftChain(table: NftTable, base: NftChain, ctx: PacketContext, log: TraverseLog): TraverseResult {
  const w: Walk = { table, id: `${table.family} ${table.name}`, ctx, log };
  const chains = indexOf(table).chains;
  const stack: { chain: NftChain; index: number }[] = [];
  let frame = { chain: base, index: 0 };
  const policy = (): TraverseResult => ({ verdict: base.base?.policy === 'drop' ? 'DROP' : 'ACCEPT', byPolicy: true });
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    if (frame.index >= frame.chain.rules.length) {
      const back = stack.pop();
      if (!back) return policy();
      frame = back;
      continue;
    }
    const index = frame.index++;
    const rule = frame.chain.rules[index]!;
    const ev: EvaluatedRule = { table: w.id, chain: frame.chain.name, index, text: rule.text, matched: false };
    log.evaluated.push(ev);
    const out = runRule(w, compiledOf(rule), ev);
    switch (out.kind) {
      case 'next':
        continue;
      case 'accept':
        return { verdict: 'ACCEPT', decided: ev, byPolicy: false };
      case 'drop':
        return { verdict: 'DROP', decided: ev, byPolicy: false };
      case 'reject':
        return { verdict: 'REJECT', rejectWith: out.with, decided: ev, byPolicy: false };
      case 'nat':
        return { verdict: 'ACCEPT', nat: out.request, decided: ev, byPolicy: false };
      case 'return': {
        const back = stack.pop();
        if (!back) return policy();
        frame = back;
        continue;
      }
      default: {
        const next = chains.get(out.chain);
        if (!next) {
          noteUnmodelled(log, `nft: ${out.kind} ${out.chain} (no such chain)`);
          continue;
        }
        if (out.kind === 'jump') stack.push(frame);
        if (stack.length > MAX_DEPTH) return { verdict: 'DROP', decided: ev, byPolicy: false };
        frame = { chain: next, index: 0 };
      }
    }
  }
  return policy();
}

const hookChains = new WeakMap<NftTable, { size: number; byHook: Map<HookName, HookChain[]> }>();

/**
 * The base chains of `tables` registered at `hook` (family ip and inet: the model is IPv4), as
 * `HookChain`s for `runHook`, in priority order. Empty when there are none.
 */
export function nftHookChains(tables: readonly NftTable[] | undefined, hook: HookName): readonly HookChain[] {
  if (!tables?.length) return [];
  const out: HookChain[] = [];
  for (const t of tables) {
    if (t.family === 'ip6') continue;
    let cached = hookChains.get(t);
    if (!cached || cached.size !== t.chains.length) {
      cached = { size: t.chains.length, byHook: new Map() };
      hookChains.set(t, cached);
    }
    let list = cached.byHook.get(hook);
    if (!list) {
      const id: NftTableId = `${t.family} ${t.name}`;
      list = t.chains
        .filter((c) => c.base?.hook === NFT_HOOK[hook] && c.base.type !== 'route')
        .map((c) => ({ type: c.base!.type as 'filter' | 'nat', priority: c.base!.priority, table: id, chain: c.name, run: (ctx: PacketContext, log: TraverseLog) => walkNftChain(t, c, ctx, log) }))
        .sort((a, b) => a.priority - b.priority);
      cached.byHook.set(hook, list);
    }
    // One table (the usual case): its cached list as is, no allocation per packet.
    if (tables.length === 1) return list;
    out.push(...list);
  }
  return out.sort((a, b) => a.priority - b.priority);
}

/** True when some table has a base chain with rules (so a netns must run its hooks). */
export function hasNftRules(tables: readonly NftTable[] | undefined): boolean {
  return !!tables?.some((t) => t.family !== 'ip6' && t.chains.some((c) => c.base && (c.rules.length > 0 || c.base.policy === 'drop')));
}

/**
 * Runs the nftables base chains of `tables` at `input.hook` on `input.packet` with conntrack and
 * NAT as the kernel does, and no iptables rules (a pure-nftables netns). The walker runs both
 * rulesets together through `runHook(nf, ct, input, env, nftHookChains(…))`. Never throws.
 */
export function runNftHook(tables: readonly NftTable[] | undefined, input: HookInput, env: HookEnv, conntrack: ConntrackTable): HookResult {
  return runHook(createNetfilter(), conntrack, input, env, nftHookChains(tables, input.hook));
}
