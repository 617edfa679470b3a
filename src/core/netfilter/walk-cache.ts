/**
 * Replays table walks instead of walking (Open vSwitch's megaflow cache, applied to iptables):
 * a walk of one table's built-in chain reads packet fields in an order fixed by the values it
 * read (the first rule's fields, then, by its outcome, the next rule's …), so a packet that
 * agrees with an earlier walk's packet on every field that walk read takes the same path
 * through the same rules. Successive flows differ mostly in the source port, which no rule
 * reads: most walks repeat an earlier one.
 *
 * Per table and hook, recorded walks form a decision tree: a `Branch` reads one field and picks
 * the child for its value, a `Replay` (leaf) is one recorded walk. A path from the root names
 * exactly the fields its walk read, in the order it read them (each field once), with their
 * values; two walks that agree on a prefix read the same next field, so they share the branch.
 * What a rule "reads" is everything its selectors and matches could read (see
 * `MatchModule.reads`), even when an early selector already failed: a superset keys a little
 * more finely, and the fields read stay a function of the path, which is all the tree needs.
 *
 * A walk is recorded only when each of its matches declares its reads (no state, effects or
 * randomness: `statistic`, `recent` are never replayed), each target it applied declares the
 * kind of outcome it always has (`TargetModule.replayAs`), and it met nothing the model does
 * not implement (an unmodelled match, target or jump). A replay re-applies
 * those targets to the live packet (MARK, NOTRACK, LOG, the verdict or NAT request at the end),
 * pushes the walk's shared records, and bumps the counters of its matched rules (and of the
 * base chain when its policy decided), as the walk would.
 *
 * Rules change between walks (restore, controller syncs, tests editing `chain.rules` in place).
 * A replay checks its path against the live table first, as the walk's own memos do: each rule
 * it visited is still the same object with the same text at the same index of the same chain,
 * each chain it fell off the end of has the same length, and (once per lookup, at the root) the
 * table still has the chain Map, chain count and `chainsAdded` count its jumps resolved with,
 * which `jumpOf` in traverse.ts relies on too. A replay that fails its check is not used: the
 * table is walked and the walk recorded in its place.
 */
import type { DerivedField, FieldValue, PacketContext, PacketField, PacketFieldName, TargetModule, TargetOutcome } from './module';
import { chainsAdded } from './state';
import type { TraverseLog, TraverseResult } from './traverse';
import type { Chain, EvaluatedRule, HookName, Rule, Table } from './types';

/** One recorded walk: its path (to check and to replay) and how it ended. */
export interface Replay {
  base: Chain;
  /** Per rule looked at, in order: the chain it sat in, the rule, its shared record. */
  chains: Chain[];
  rules: Rule[];
  records: EvaluatedRule[];
  /** The rules that matched, in order (their counters go up). */
  counted: Rule[];
  /** The matched rules whose target a replay applies again, in order, and their target modules. */
  runRules: Rule[];
  runs: TargetModule[];
  /** The chains the walk fell off the end of (RETURN included), with their lengths then. */
  ends: Chain[];
  endLengths: number[];
  /** True when the base chain's policy ended it; else the last rule's target did. */
  byPolicy: boolean;
  /**
   * The result of the last replay that a plain verdict ended (no NAT request, no reject type),
   * reused while the verdict is the same, as a policy's ending is (`policyOf`). Not frozen: a
   * frozen object has a shape of its own, one more at every reader of results (runTable), and
   * results are only read.
   */
  verdict: TraverseResult | undefined;
}

/** Reads one field and goes on by its value (the first child inline: most branches have one). */
class Branch {
  value: FieldValue = undefined;
  next: Branch | Replay | undefined = undefined;
  more: Map<FieldValue, Branch | Replay> | undefined = undefined;
  /** The field's number in `FIELDS`, -1 for a derived field. */
  readonly code: number;
  constructor(readonly field: PacketField) {
    this.code = codeOf(field);
  }
}

/**
 * How often walks of one table at one hook were replayed, walked and recorded (`stale`: of
 * those, how many had found a recorded walk whose path the table no longer holds), or walked
 * and not recordable.
 */
export interface WalkCacheCounts {
  hits: number;
  misses: number;
  stale: number;
  uncacheable: number;
}

/** The recorded walks of one table at one hook. */
export interface Root {
  top: Branch | Replay | undefined;
  leaves: number;
  /** The table's chain Map, its size and `chainsAdded` count the recorded jumps resolved with. */
  chains: Map<string, Chain>;
  size: number;
  added: number;
  counts: WalkCacheCounts;
}

/**
 * Recorded walks per table and hook. Scenarios here see tens of distinct walks per table and
 * hook; a tree that outgrows this (many sources and destinations) starts again empty.
 */
export const MAX_LEAVES = 1024;

let enabled = true;

/** Turns the walk cache on or off (tests and A/B runs). Off, every walk walks. */
export function setWalkCache(on: boolean): void {
  enabled = on;
}

export function walkCacheEnabled(): boolean {
  return enabled;
}

/** Debug counters per `table/hook` over every netns, since the last reset (not printed anywhere). */
const COUNTS = new Map<string, WalkCacheCounts>();

export function walkCacheCounts(): ReadonlyMap<string, Readonly<WalkCacheCounts>> {
  return COUNTS;
}

export function resetWalkCacheCounts(): void {
  for (const c of COUNTS.values()) c.hits = c.misses = c.stale = c.uncacheable = 0;
}

function countsFor(table: Table, hook: HookName): WalkCacheCounts {
  const key = `${table.name}/${hook}`;
  let c = COUNTS.get(key);
  if (!c) COUNTS.set(key, (c = { hits: 0, misses: 0, stale: 0, uncacheable: 0 }));
  return c;
}

/** An empty tree for `table` at `hook` (kept with the memo of the hook's base chain, traverse.ts). */
export function newRoot(table: Table, hook: HookName): Root {
  const chains = table.chains;
  return { top: undefined, leaves: 0, chains, size: chains.size, added: chainsAdded(table), counts: countsFor(table, hook) };
}

/** Empties the tree when the table's chains changed (see the header). */
export function checkRoot(root: Root, table: Table): void {
  const chains = table.chains;
  if (root.chains === chains && root.size === chains.size && root.added === chainsAdded(table)) return;
  root.top = undefined;
  root.leaves = 0;
  root.chains = chains;
  root.size = chains.size;
  root.added = chainsAdded(table);
}

/** The fields by number (a Branch keeps the number: a switch on it is a jump table). */
const FIELDS: readonly PacketFieldName[] = ['src', 'dst', 'protocol', 'inIface', 'outIface', 'sport', 'dport', 'tcpFlags', 'icmpType', 'icmpCode', 'mark', 'ctDirection', 'physInIface', 'physOutIface', 'bridged'];

/** The value of field number `code` (`FIELDS`; -1: the derived field `f`); `mark` is the mark the walk started with. */
function readField(code: number, f: PacketField, ctx: PacketContext, mark: number): FieldValue {
  switch (code) {
    case 0:
      return ctx.packet.src;
    case 1:
      return ctx.packet.dst;
    case 2:
      return ctx.packet.protocol;
    case 3:
      return ctx.input.inIface;
    case 4:
      return ctx.input.outIface;
    case 5:
      return ctx.packet.sport;
    case 6:
      return ctx.packet.dport;
    case 7:
      return ctx.packet.tcpFlags;
    case 8:
      return ctx.packet.icmpType;
    case 9:
      return ctx.packet.icmpCode;
    case 10:
      return mark;
    case 11:
      return ctx.ctDirection;
    case 12:
      return ctx.input.physInIface;
    case 13:
      return ctx.input.physOutIface;
    case 14:
      return ctx.input.bridged;
    default:
      return (f as DerivedField).read(ctx);
  }
}

function codeOf(f: PacketField): number {
  return typeof f === 'string' ? FIELDS.indexOf(f) : -1;
}

/** The recorded walk whose packet agreed with this one on every field it read, if any. */
export function findReplay(root: Root, ctx: PacketContext): Replay | undefined {
  let n = root.top;
  const mark = ctx.packet.mark;
  while (n instanceof Branch) {
    const v = readField(n.code, n.field, ctx, mark);
    n = n.next !== undefined && n.value === v ? n.next : n.more?.get(v);
  }
  return n;
}

/**
 * Records a walk that read `fields` (in order, each once) of the packet in `ctx`, whose mark was
 * `mark` when it started. Where the tree disagrees with the walk (a branch on another field: the
 * rules changed since that part was recorded), the tree starts again from this walk.
 */
export function recordReplay(root: Root, fields: readonly PacketField[], ctx: PacketContext, mark: number, replay: Replay): void {
  if (root.leaves >= MAX_LEAVES) {
    root.top = undefined;
    root.leaves = 0;
  }
  let parent: Branch | undefined;
  let n = root.top;
  let i = 0;
  for (; i < fields.length && n instanceof Branch; i++) {
    const f = fields[i]!;
    if (n.field !== f) break;
    const v = readField(n.code, f, ctx, mark);
    const child = n.next !== undefined && n.value === v ? n.next : n.more?.get(v);
    if (!child) {
      attach(n, v, chainOf(fields, i + 1, ctx, mark, replay));
      root.leaves++;
      return;
    }
    parent = n;
    n = child;
  }
  if (n === undefined || (i === fields.length && !(n instanceof Branch))) {
    // An empty tree, or a leaf this walk replaces (it failed its check).
    const made = chainOf(fields, i, ctx, mark, replay);
    if (!parent) root.top = made;
    else replaceChild(parent, n, made);
    if (n === undefined) root.leaves++;
    return;
  }
  root.top = chainOf(fields, 0, ctx, mark, replay);
  root.leaves = 1;
}

function attach(b: Branch, v: FieldValue, child: Branch | Replay): void {
  if (b.next === undefined) {
    b.value = v;
    b.next = child;
  } else (b.more ??= new Map()).set(v, child);
}

function replaceChild(b: Branch, old: Branch | Replay | undefined, made: Branch | Replay): void {
  if (b.next === old) b.next = made;
  else if (b.more) for (const [v, c] of b.more) if (c === old) b.more.set(v, made);
}

/** Branches for `fields[from…]` with this packet's values, ending in `replay`. */
function chainOf(fields: readonly PacketField[], from: number, ctx: PacketContext, mark: number, replay: Replay): Branch | Replay {
  let n: Branch | Replay = replay;
  for (let i = fields.length - 1; i >= from; i--) {
    const b: Branch = new Branch(fields[i]!);
    b.value = readField(b.code, b.field, ctx, mark);
    b.next = n;
    n = b;
  }
  return n;
}

/** A policy's ending, one frozen object per verdict (callers only read a result). */
const BY_ACCEPT: TraverseResult = Object.freeze({ verdict: 'ACCEPT', byPolicy: true });
const BY_DROP: TraverseResult = Object.freeze({ verdict: 'DROP', byPolicy: true });

export function policyOf(chain: Chain): TraverseResult {
  return chain.policy === 'DROP' ? BY_DROP : BY_ACCEPT;
}

/** The result of a walk that a rule's target ended. */
export function endedBy(out: TargetOutcome, ev: EvaluatedRule): TraverseResult {
  if (out.kind === 'nat') return { verdict: 'ACCEPT', nat: out.request, decided: ev, byPolicy: false };
  if (out.kind !== 'verdict') throw new Error(`a ${out.kind} outcome does not end a walk`);
  return out.rejectWith ? { verdict: out.verdict, rejectWith: out.rejectWith, decided: ev, byPolicy: false } : { verdict: out.verdict, decided: ev, byPolicy: false };
}

/** True while `r`'s path is the path the live table would take (see the header). */
function stillHolds(r: Replay, base: Chain): boolean {
  if (r.base !== base) return false;
  const { chains, rules, records } = r;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const rec = records[i]!;
    const chain = chains[i]!;
    if (chain.rules[rec.index] !== rule || rule.text !== rec.text || chain.name !== rec.chain) return false;
  }
  const ends = r.ends;
  for (let i = 0; i < ends.length; i++) if (ends[i]!.rules.length !== r.endLengths[i]) return false;
  return true;
}

/**
 * Does what the recorded walk did, to the live packet and tables, and returns its result; or
 * returns undefined, having done nothing, when the tables no longer hold its path.
 */
export function replayWalk(r: Replay, base: Chain, ctx: PacketContext, log: TraverseLog): TraverseResult | undefined {
  if (!stillHolds(r, base)) return undefined;
  const len = ctx.packet.length;
  const { records, counted, runRules, runs } = r;
  const evaluated = log.evaluated;
  for (let i = 0; i < records.length; i++) evaluated.push(records[i]!);
  for (let i = 0; i < counted.length; i++) {
    const rule = counted[i]!;
    rule.packets++;
    rule.bytes += len;
  }
  // Targets read and write only the packet (and LOG lines): applied after the counters as between them.
  let out: TargetOutcome | undefined;
  for (let i = 0; i < runs.length; i++) out = runs[i]!.apply(runRules[i]!.target!.parsed, ctx);
  if (r.byPolicy) {
    base.packets++;
    base.bytes += len;
    return policyOf(base);
  }
  const last = out!;
  const plain = last.kind === 'verdict' && last.rejectWith === undefined;
  const v = r.verdict;
  if (plain && v !== undefined && last.verdict === v.verdict) return v;
  const made = endedBy(last, records[records.length - 1]!);
  if (plain) r.verdict = made;
  return made;
}
