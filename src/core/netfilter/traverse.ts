/**
 * Walks one table's built-in chain for a packet, as ipt_do_table does: rules in order, a
 * matching rule's counters go up, `-j CHAIN` pushes a return point, `-g CHAIN` does not,
 * RETURN pops (at the built-in level it means the policy), the end of a user chain returns,
 * the end of a built-in chain applies its policy. Every rule looked at is recorded, matched or
 * not: that list is how the UI shows that iptables is a linear scan.
 */
import { addressContains } from './address';
import { ifaceMatches } from './iface';
import { getMatchModule } from './matches/registry';
import type { MatchModule, NatRequest, PacketContext, TargetModule } from './module';
import { packetProtocolNumber, protocolNumber } from './protocols';
import { renderRule } from './render-rule';
import { chainsAdded } from './state';
import { getTargetModule } from './targets/registry';
import type { Chain, EvaluatedRule, Match, Rule, Table, Target } from './types';
import { ipv4ToInt } from '../util/ip';

/** How a table traversal ended. */
export interface TraverseResult {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  rejectWith?: string;
  /** A NAT target matched (nat table): the request, to be set up by the caller. */
  nat?: NatRequest;
  /** The rule that ended the traversal, if a rule did. */
  decided?: EvaluatedRule;
  /** True when the built-in chain's policy ended it. */
  byPolicy: boolean;
}

/** Where the evaluator collects what it saw. */
export interface TraverseLog {
  evaluated: EvaluatedRule[];
  /** Created on the first note (`noteUnmodelled`): almost every hook has nothing to note. */
  unmodelled: Set<string> | undefined;
}

/** Notes a match, target or statement the model does not implement. */
export function noteUnmodelled(log: TraverseLog, what: string): void {
  (log.unmodelled ??= new Set()).add(what);
}

/** Deeper than the kernel allows (it refuses loops at load time); guards hand-built loops. */
const MAX_DEPTH = 64;
const MAX_STEPS = 100_000;

/** A module found by name, remembered with the name it was found for. */
interface FoundModule<M> {
  name: string;
  module: M | undefined;
}

/**
 * A match's or target's module, remembered on it (a symbol-keyed, non-enumerable property,
 * invisible to JSON and structuredClone) with the name it was found for: the registry's Map lookup
 * per match per packet showed up in trace profiles. One renamed in place is looked up again.
 */
function rememberedModule<M>(holder: object, key: symbol, name: string, find: (name: string) => M | undefined): M | undefined {
  const slot = holder as Record<symbol, FoundModule<M> | undefined>;
  const c = slot[key];
  if (c && c.name === name) return c.module;
  const found: FoundModule<M> = { name, module: find(name) };
  if (key in slot) slot[key] = found;
  else Object.defineProperty(holder, key, { value: found, writable: true, configurable: true, enumerable: false });
  return found.module;
}

const MATCH_MODULE: unique symbol = Symbol('match module');
const TARGET_MODULE: unique symbol = Symbol('target module');

function matchModuleOf(m: Match): MatchModule | undefined {
  return rememberedModule(m, MATCH_MODULE, m.module, getMatchModule);
}

function targetModuleOf(t: Target): TargetModule | undefined {
  return rememberedModule(t, TARGET_MODULE, t.name, getTargetModule);
}

/**
 * A rule's jump target, remembered on its target (symbol-keyed, non-enumerable) with the table's
 * chain Map, its size and `chainsAdded` count: the Map lookup by name per jump per packet was the
 * largest single line of trace profiles (the names parsed from `-j` are not the Map's own key
 * strings, so every lookup compared the text). See `chainsAdded` for why the three detect any
 * change of the table's chains.
 */
const JUMP: unique symbol = Symbol('jump target');
interface Jump {
  /** The `-j` name it was found for (the same string object while the target is unchanged). */
  name: string;
  chains: Map<string, Chain>;
  size: number;
  added: number;
  chain: Chain;
}
type WithJump = Target & { [JUMP]?: Jump };

function jumpTarget(table: Table, t: Target): Chain | undefined {
  const holder = t as WithJump;
  const j = holder[JUMP];
  const chains = table.chains;
  if (j && j.name === t.name && j.chains === chains && j.size === chains.size && j.added === chainsAdded(table)) return j.chain;
  const chain = chains.get(t.name);
  if (!chain) return undefined;
  const made: Jump = { name: t.name, chains, size: chains.size, added: chainsAdded(table), chain };
  if (JUMP in holder) holder[JUMP] = made;
  else Object.defineProperty(holder, JUMP, { value: made, writable: true, configurable: true, enumerable: false });
  return chain;
}

function ruleMatches(rule: Rule, ctx: PacketContext, src: number, dst: number, log: TraverseLog): boolean {
  if (rule.src && addressContains(rule.src, src) === rule.src.negate) return false;
  if (rule.dst && addressContains(rule.dst, dst) === rule.dst.negate) return false;
  if (rule.inIface && ifaceMatches(rule.inIface.name, ctx.input.inIface) === rule.inIface.negate) return false;
  if (rule.outIface && ifaceMatches(rule.outIface.name, ctx.input.outIface) === rule.outIface.negate) return false;
  if (rule.protocol) {
    // Resolving the name (a lowercase + a table lookup) per packet showed up in profiles.
    if (!('num' in rule.protocol)) rule.protocol.num = protocolNumber(rule.protocol.name);
    if ((rule.protocol.num === packetProtocolNumber(ctx.packet.protocol)) === rule.protocol.negate) return false;
  }
  for (const m of rule.matches) {
    const module = m.unmodelled ? undefined : matchModuleOf(m);
    if (!module) {
      noteUnmodelled(log, `-m ${m.module}`);
      continue;
    }
    if (!module.evaluate(m.parsed, ctx)) return false;
  }
  return true;
}

/**
 * The record of a rule walked, one object per (rule, matched) shared by every walk while the rule
 * keeps its table, chain, index and text: a walk of n rules allocated n records before, and this
 * list is the largest part of a trace. The records are never mutated after creation (consumers
 * only read them), so sharing them between hops and traces is safe; they stay plain JSON data.
 */
interface WalkRecords {
  no: EvaluatedRule;
  yes: EvaluatedRule;
}

/**
 * Where a rule keeps its records: a symbol-keyed, non-enumerable property, so JSON, equality in
 * tests and structuredClone never see it (a WeakMap lookup per rule walked cost more than the
 * rest of the rule's evaluation at 1,000 Services).
 */
const RECORDS: unique symbol = Symbol('walk records');
type WithRecords = Rule & { [RECORDS]?: WalkRecords };

function recordOf(rule: Rule, text: string, table: Table['name'], chain: string, index: number, matched: boolean): EvaluatedRule {
  const holder = rule as WithRecords;
  let r = holder[RECORDS];
  const c = r?.no;
  if (!r || c!.index !== index || c!.chain !== chain || c!.table !== table || c!.text !== text) {
    r = { no: { table, chain, index, text, matched: false }, yes: { table, chain, index, text, matched: true } };
    if (RECORDS in holder) holder[RECORDS] = r;
    else Object.defineProperty(holder, RECORDS, { value: r, writable: true, configurable: true, enumerable: false });
  }
  return matched ? r.yes : r.no;
}

function policyOf(chain: Chain): TraverseResult {
  return { verdict: chain.policy ?? 'ACCEPT', byPolicy: true };
}

/** Traverses `table`'s built-in chain `hook` (which must exist) for the packet in `ctx`. */
export function traverseTable(table: Table, hook: string, ctx: PacketContext, log: TraverseLog): TraverseResult {
  const base = table.chains.get(hook);
  if (!base) return { verdict: 'ACCEPT', byPolicy: true };
  const len = ctx.packet.length;
  const src = ipv4ToInt(ctx.packet.src);
  const dst = ipv4ToInt(ctx.packet.dst);
  // The return stack as two parallel arrays: a frame object per jump was garbage per rule walked.
  const stackChains: Chain[] = [];
  const stackIndex: number[] = [];
  let chain = base;
  let next = 0;
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    if (next >= chain.rules.length) {
      if (!stackChains.length) break;
      chain = stackChains.pop()!;
      next = stackIndex.pop()!;
      continue;
    }
    const index = next++;
    const rule = chain.rules[index]!;
    // Rendering first also compiles a hand-built rule (its matches' parsed options) for matching.
    const text = rule.text ?? renderRule(rule);
    const matched = ruleMatches(rule, ctx, src, dst, log);
    const ev = recordOf(rule, text, table.name, chain.name, index, matched);
    log.evaluated.push(ev);
    if (!matched) continue;
    rule.packets++;
    rule.bytes += len;
    const t = rule.target;
    if (!t) continue;
    if (t.unmodelled) {
      noteUnmodelled(log, `-j ${t.name}`);
      continue;
    }
    const module = t.parsed === undefined ? undefined : targetModuleOf(t);
    if (!module) {
      const to = jumpTarget(table, t);
      if (!to) {
        noteUnmodelled(log, `-j ${t.name}`);
        continue;
      }
      if (!rule.goto) {
        stackChains.push(chain);
        stackIndex.push(next);
      }
      if (stackChains.length > MAX_DEPTH) return { verdict: 'DROP', decided: ev, byPolicy: false };
      chain = to;
      next = 0;
      continue;
    }
    const out = module.apply(t.parsed, ctx);
    if (out.kind === 'continue') continue;
    if (out.kind === 'return') {
      if (!stackChains.length) break;
      chain = stackChains.pop()!;
      next = stackIndex.pop()!;
      continue;
    }
    if (out.kind === 'nat') return { verdict: 'ACCEPT', nat: out.request, decided: ev, byPolicy: false };
    return { verdict: out.verdict, ...(out.rejectWith ? { rejectWith: out.rejectWith } : {}), decided: ev, byPolicy: false };
  }
  base.packets++;
  base.bytes += len;
  return policyOf(base);
}
