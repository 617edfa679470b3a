/**
 * Walks one table's built-in chain for a packet, as ipt_do_table does: rules in order, a
 * matching rule's counters go up, `-j CHAIN` pushes a return point, `-g CHAIN` does not,
 * RETURN pops (at the built-in level it means the policy), the end of a user chain returns,
 * the end of a built-in chain applies its policy. Every rule looked at is recorded, matched or
 * not: that list is how the UI shows that iptables is a linear scan.
 *
 * `traverseBase` first asks the walk cache (`walk-cache.ts`) for a recorded walk that this
 * packet would repeat, and replays it; else it walks, and records the walk.
 */
import { addressContains } from './address';
import { ifaceMatches } from './iface';
import { getMatchModule } from './matches/registry';
import type { MatchModule, NatRequest, PacketContext, PacketField, TargetModule } from './module';
import { packetProtocolNumber, protocolNumber } from './protocols';
import { renderRule } from './render-rule';
import { chainsAdded } from './state';
import { getTargetModule } from './targets/registry';
import type { Chain, EvaluatedRule, HookName, Match, Rule, Table, Target } from './types';
import type { Replay, Root } from './walk-cache';
import { checkRoot, endedBy, findReplay, newRoot, policyOf, recordReplay, replayWalk, walkCacheEnabled } from './walk-cache';
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

/**
 * What walks of one chain remember about the rule at one position (see `ChainMemo`):
 *
 * - the rule and the text the memo was made for;
 * - its records, one object per (rule, matched) shared by every walk (a walk of n rules allocated
 *   n records before, and this list is the largest part of a trace); records are never mutated
 *   after creation, consumers only read them, so sharing them between hops and traces is safe
 *   and they stay plain JSON data;
 * - the rule's own fields (`-s -d -i -o -p`, matches, target, `-g`), read from the memo rather
 *   than the rule: rules have many object shapes (optional fields set in parse order), so each
 *   read of a rule field was a megamorphic load, most of a rule's evaluation time. The text is
 *   the rule (iptables-save's own cache): a rule edited in place drops its cached text, as
 *   rendering already requires, and gets a new memo. What the fields point to (matches, their
 *   parsed options, the target) is still read live;
 * - the modules found for its matches' and target's names (a module is a function of its name
 *   alone, checked on every use) and its jump.
 */
interface RuleMemo {
  rule: Rule;
  text: string;
  no: EvaluatedRule;
  yes: EvaluatedRule;
  src: Rule['src'];
  dst: Rule['dst'];
  inIface: Rule['inIface'];
  outIface: Rule['outIface'];
  protocol: Rule['protocol'];
  matches: Match[];
  target: Target | undefined;
  goto: boolean;
  /** Per match position: the module name a module was found for, and that module. */
  names: string[];
  mods: (MatchModule | undefined)[];
  /** The target name `tmod` was found for (`undefined` before the first lookup). */
  tname: string | undefined;
  tmod: TargetModule | undefined;
  jump: Jump | undefined;
  /** What evaluating the rule may read, for the walk cache (null: it has no declared reads); computed on first record. */
  reads: readonly PacketField[] | null | undefined;
}

/**
 * A rule's jump target with the table's chain Map, its size and `chainsAdded` count it was found
 * with: the Map lookup by name per jump per packet was the largest single line of trace profiles
 * (the names parsed from `-j` are not the Map's own key strings, so every lookup compared the
 * text). See `chainsAdded` for why the three detect any change of the table's chains.
 */
interface Jump {
  /** The `-j` name it was found for (the same string object while the target is unchanged). */
  name: string;
  chains: Map<string, Chain>;
  size: number;
  added: number;
  chain: Chain;
  /** The chain's memo when last jumped to (checked like `memoOf` checks it before use). */
  memo: ChainMemo | undefined;
}

/**
 * A chain's memo, kept on the chain under a symbol-keyed, non-enumerable property (JSON,
 * structuredClone and test equality never see it), for the table and chain name and rules array
 * it was made for. One memo per chain rather than caches on each rule, match and target: those
 * were three or four megamorphic symbol loads per rule walked (rules have many shapes), a third
 * of a walk's time. Every remembered item is checked against the live rule before use, so a
 * rule replaced, edited in place (text dropped, a match or target renamed) or moved is seen.
 */
interface ChainMemo {
  table: Table['name'];
  name: string;
  rules: Rule[];
  byIndex: (RuleMemo | undefined)[];
  /** A built-in chain's recorded walks (walk-cache.ts), made on the first walk with the cache on. */
  walks: Root | undefined;
}

const MEMO: unique symbol = Symbol('chain memo');
type WithMemo = Chain & { [MEMO]?: ChainMemo };

function memoFits(m: ChainMemo, table: Table, chain: Chain): boolean {
  return m.rules === chain.rules && m.name === chain.name && m.table === table.name;
}

function memoOf(table: Table, chain: Chain): ChainMemo {
  const holder = chain as WithMemo;
  const m = holder[MEMO];
  if (m && memoFits(m, table, chain)) return m;
  const made: ChainMemo = { table: table.name, name: chain.name, rules: chain.rules, byIndex: [], walks: undefined };
  if (MEMO in holder) holder[MEMO] = made;
  else Object.defineProperty(holder, MEMO, { value: made, writable: true, configurable: true, enumerable: false });
  return made;
}

/** The memo of the rule at `index`, made afresh when the rule or its text changed. */
function ruleMemo(memo: ChainMemo, rule: Rule, text: string, index: number): RuleMemo {
  const rm = memo.byIndex[index];
  if (rm && rm.rule === rule && rm.text === text) return rm;
  const { table, name: chain } = memo;
  const made: RuleMemo = {
    rule,
    text,
    no: { table, chain, index, text, matched: false },
    yes: { table, chain, index, text, matched: true },
    src: rule.src,
    dst: rule.dst,
    inIface: rule.inIface,
    outIface: rule.outIface,
    protocol: rule.protocol,
    matches: rule.matches,
    target: rule.target,
    goto: rule.goto === true,
    names: [],
    mods: [],
    tname: undefined,
    tmod: undefined,
    jump: undefined,
    reads: undefined,
  };
  memo.byIndex[index] = made;
  return made;
}

function matchModuleOf(rm: RuleMemo, j: number, m: Match): MatchModule | undefined {
  const name = m.module;
  if (rm.names[j] === name) return rm.mods[j];
  const module = getMatchModule(name);
  rm.names[j] = name;
  rm.mods[j] = module;
  return module;
}

function targetModuleOf(rm: RuleMemo, t: Target): TargetModule | undefined {
  const name = t.name;
  if (rm.tname === name) return rm.tmod;
  rm.tmod = getTargetModule(name);
  rm.tname = name;
  return rm.tmod;
}

/** The rule's jump (undefined when `-j` names no chain of the table). */
function jumpOf(rm: RuleMemo, table: Table, t: Target): Jump | undefined {
  const j = rm.jump;
  const chains = table.chains;
  if (j && j.name === t.name && j.chains === chains && j.size === chains.size && j.added === chainsAdded(table)) return j;
  const chain = chains.get(t.name);
  if (!chain) return undefined;
  const made: Jump = { name: t.name, chains, size: chains.size, added: chainsAdded(table), chain, memo: undefined };
  rm.jump = made;
  return made;
}

/** The memo of a jump's chain, remembered on the jump (one symbol load per chain entered was a tenth of a walk). */
function jumpMemo(j: Jump, table: Table): ChainMemo {
  const m = j.memo;
  if (m && memoFits(m, table, j.chain)) return m;
  return (j.memo = memoOf(table, j.chain));
}

function ruleMatches(rm: RuleMemo, ctx: PacketContext, src: number, dst: number, log: TraverseLog, rec: boolean): boolean {
  const s = rm.src;
  if (s && addressContains(s, src) === s.negate) return false;
  const d = rm.dst;
  if (d && addressContains(d, dst) === d.negate) return false;
  const i = rm.inIface;
  if (i && ifaceMatches(i.name, ctx.input.inIface) === i.negate) return false;
  const o = rm.outIface;
  if (o && ifaceMatches(o.name, ctx.input.outIface) === o.negate) return false;
  const p = rm.protocol;
  if (p) {
    // Resolving the name (a lowercase + a table lookup) per packet showed up in profiles.
    if (!('num' in p)) p.num = protocolNumber(p.name);
    if ((p.num === packetProtocolNumber(ctx.packet.protocol)) === p.negate) return false;
  }
  const ms = rm.matches;
  for (let j = 0; j < ms.length; j++) {
    const m = ms[j]!;
    const module = m.unmodelled ? undefined : matchModuleOf(rm, j, m);
    if (!module) {
      note(log, `-m ${m.module}`, rec);
      continue;
    }
    if (!module.evaluate(m.parsed, ctx)) return false;
  }
  return true;
}

/**
 * Every field evaluating the rule may read (its selectors', then each match module's declared
 * reads), or null when a match declares none (state, effects, randomness: see `MatchModule.reads`).
 */
function readsOf(rm: RuleMemo): readonly PacketField[] | null {
  if (rm.reads !== undefined) return rm.reads;
  const fields: PacketField[] = [];
  if (rm.src) fields.push('src');
  if (rm.dst) fields.push('dst');
  if (rm.inIface) fields.push('inIface');
  if (rm.outIface) fields.push('outIface');
  if (rm.protocol) fields.push('protocol');
  const ms = rm.matches;
  for (let j = 0; j < ms.length; j++) {
    const m = ms[j]!;
    // Unmodelled: the walk notes it, and a walk that notes is not recorded.
    const module = m.unmodelled ? undefined : matchModuleOf(rm, j, m);
    if (!module) continue;
    if (!module.reads || m.parsed === undefined) return (rm.reads = null);
    fields.push(...module.reads(m.parsed));
  }
  return (rm.reads = fields);
}

/**
 * The return stack of a walk as two parallel arrays with a depth counter, reused by every walk (a
 * frame object per jump, then two fresh arrays per walk, were garbage per rule walked). A walk
 * never starts another (matches and targets do not traverse tables); `busy` guards that anyway:
 * a walk that finds it set (or one after a walk that threw) uses arrays of its own.
 */
const sharedChains: Chain[] = [];
const sharedMemos: ChainMemo[] = [];
const sharedIndex: number[] = [];
let busy = false;

/**
 * What a walk that may be recorded collects, reused by every walk like the stack above: the
 * memo and chain of each rule looked at, the chains it fell off the end of with their lengths,
 * and whether it is not to be recorded: it ran into the step or depth limit, or met a match or
 * target the model does not implement (noted; such walks are left to the walk itself).
 */
const recMemos: RuleMemo[] = [];
const recChains: Chain[] = [];
const recEnds: Chain[] = [];
const recEndLengths: number[] = [];
let recCut = false;
let recNoted = false;

/**
 * The last address text turned into a number and the number, per side: a hook walks up to four
 * tables with the same addresses (NAT between them is rare), each walk converted both.
 */
let lastSrc = '';
let lastSrcInt = 0;
let lastDst = '';
let lastDstInt = 0;

/** Traverses `table`'s built-in chain `base` (`table.chains.get(hook)`, looked up by the caller) for the packet in `ctx`. */
export function traverseBase(table: Table, base: Chain, hook: HookName, ctx: PacketContext, log: TraverseLog): TraverseResult {
  if (busy) return walk(table, base, ctx, log, [], [], [], false);
  busy = true;
  let r: TraverseResult | undefined;
  if (walkCacheEnabled()) {
    const memo = memoOf(table, base);
    const root = (memo.walks ??= newRoot(table, hook));
    checkRoot(root, table);
    const found = findReplay(root, ctx);
    if (found) r = replayWalk(found, base, ctx, log);
    if (r) root.counts.hits++;
    else {
      if (found) root.counts.stale++;
      const mark = ctx.packet.mark;
      const start = log.evaluated.length;
      r = walk(table, base, ctx, log, sharedChains, sharedMemos, sharedIndex, true);
      const rec = recorded(base, log.evaluated, start);
      if (rec) {
        recordReplay(root, rec.fields, ctx, mark, rec.replay);
        root.counts.misses++;
      } else root.counts.uncacheable++;
    }
  } else r = walk(table, base, ctx, log, sharedChains, sharedMemos, sharedIndex, false);
  busy = false;
  return r;
}

/**
 * The walk just collected (its records are `evaluated[start…]`) as a replay with the fields it
 * read in order, or undefined when it cannot be replayed: a match without declared reads, a
 * target without a declared outcome kind, or a walk cut short by the step or depth limit.
 */
function recorded(base: Chain, evaluated: EvaluatedRule[], start: number): { fields: PacketField[]; replay: Replay } | undefined {
  if (recCut || recNoted) return undefined;
  const n = recMemos.length;
  const fields: PacketField[] = [];
  const counted: Rule[] = [];
  const runRules: Rule[] = [];
  const runs: TargetModule[] = [];
  let byPolicy = true;
  for (let i = 0; i < n; i++) {
    const rm = recMemos[i]!;
    const reads = readsOf(rm);
    if (!reads) return undefined;
    for (const f of reads) if (!fields.includes(f)) fields.push(f);
    if (!evaluated[start + i]!.matched) continue;
    counted.push(rm.rule);
    const t = rm.target;
    if (!t || t.unmodelled || t.parsed === undefined) continue;
    const module = targetModuleOf(rm, t);
    if (!module) continue; // a jump
    if (!module.replayAs) return undefined;
    if (module.replayAs === 'return') continue;
    runRules.push(rm.rule);
    runs.push(module);
    if (module.replayAs === 'ends') byPolicy = false;
  }
  const replay: Replay = {
    base,
    chains: recChains.slice(),
    rules: recMemos.map((rm) => rm.rule),
    records: evaluated.slice(start),
    counted,
    runRules,
    runs,
    ends: recEnds.slice(),
    endLengths: recEndLengths.slice(),
    byPolicy,
    verdict: undefined,
  };
  return { fields, replay };
}

/** Notes an unmodelled match or target of a walk (which is then not recorded). */
function note(log: TraverseLog, what: string, rec: boolean): void {
  noteUnmodelled(log, what);
  if (rec) recNoted = true;
}

function walk(table: Table, base: Chain, ctx: PacketContext, log: TraverseLog, stackChains: Chain[], stackMemos: ChainMemo[], stackIndex: number[], rec: boolean): TraverseResult {
  const len = ctx.packet.length;
  const ps = ctx.packet.src;
  const pd = ctx.packet.dst;
  if (ps !== lastSrc) {
    lastSrcInt = ipv4ToInt(ps);
    lastSrc = ps;
  }
  if (pd !== lastDst) {
    lastDstInt = ipv4ToInt(pd);
    lastDst = pd;
  }
  const src = lastSrcInt;
  const dst = lastDstInt;
  const evaluated = log.evaluated;
  let chain = base;
  let memo = memoOf(table, chain);
  let rules = chain.rules;
  let next = 0;
  let sp = 0;
  if (rec) {
    recMemos.length = recChains.length = recEnds.length = recEndLengths.length = 0;
    recNoted = false;
    recCut = true;
  }
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    if (next >= rules.length) {
      if (rec) {
        recEnds.push(chain);
        recEndLengths.push(rules.length);
      }
      if (sp === 0) {
        recCut = false;
        break;
      }
      sp--;
      chain = stackChains[sp]!;
      memo = stackMemos[sp]!;
      rules = chain.rules;
      next = stackIndex[sp]!;
      continue;
    }
    const index = next++;
    const rule = rules[index]!;
    // Rendering first also compiles a hand-built rule (its matches' parsed options) for matching.
    const text = rule.text ?? renderRule(rule);
    const rm = ruleMemo(memo, rule, text, index);
    const matched = ruleMatches(rm, ctx, src, dst, log, rec);
    const ev = matched ? rm.yes : rm.no;
    if (rec) {
      recMemos.push(rm);
      recChains.push(chain);
    }
    evaluated.push(ev);
    if (!matched) continue;
    rule.packets++;
    rule.bytes += len;
    const t = rm.target;
    if (!t) continue;
    if (t.unmodelled) {
      note(log, `-j ${t.name}`, rec);
      continue;
    }
    const module = t.parsed === undefined ? undefined : targetModuleOf(rm, t);
    if (!module) {
      const j = jumpOf(rm, table, t);
      if (!j) {
        note(log, `-j ${t.name}`, rec);
        continue;
      }
      if (!rm.goto) {
        stackChains[sp] = chain;
        stackMemos[sp] = memo;
        stackIndex[sp] = next;
        sp++;
      }
      if (sp > MAX_DEPTH) return { verdict: 'DROP', decided: ev, byPolicy: false };
      chain = j.chain;
      memo = jumpMemo(j, table);
      rules = chain.rules;
      next = 0;
      continue;
    }
    const out = module.apply(t.parsed, ctx);
    if (out.kind === 'continue') continue;
    if (out.kind === 'return') {
      // As falling off the chain's end: the top of the loop pops back to the calling chain.
      next = rules.length;
      continue;
    }
    if (rec) recCut = false;
    return endedBy(out, ev);
  }
  base.packets++;
  base.bytes += len;
  return policyOf(base);
}
