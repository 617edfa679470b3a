/**
 * A memo of parsed restore rules, alive only while `withRestoreMemo` runs (one compile). Every
 * node's kube-proxy restores the same sync text, and parsing those rules again on each of 100
 * nodes was the largest part of kube-proxy's share of a compile. The kernel has a copy of each
 * rule per netns, and so does the model: a rule parsed once here gives every later node fresh
 * Rule, Match and Target objects (their counters and the `text` render cache stay per node; the
 * evaluator's memos hang off each netns's chains), a fresh copy of each module's `parsed` value (statistic's
 * nth counter lives there), and shares only the option tuples, which nothing writes after parsing.
 *
 * Remembered by restore text and line number (the same text gives the same words, table and
 * chain on a line; its lines are split and tokenized once), and by table and line text (texts that
 * differ in a line, as flanneld's do between nodes, share the others). What else a rule's parse
 * depends on is one fact about the table — whether its `-j`/`-g` name is a chain there (a jump)
 * or a target — so the answer is remembered with the rule, and a line met where the answer
 * differs is parsed afresh. A line of a text met for the first time is remembered only when it
 * comes again (in another text, or when the text repeats). Failed parses are not remembered, nor
 * `-s a,b` lines (their rules share parsed values), nor rules holding anything but plain data.
 */
import type { ParseResult } from './module';
import type { RuleParseContext } from './rule-parse';
import type { AddressSelector, Match, Rule, Target } from './types';

interface Remembered {
  /** A pristine copy of the parse (never handed out: each use gets a copy of it). */
  rule: Rule;
  /** Its properties after the parser's first four, in order (copies follow them, no `for…in`). */
  extra: readonly (keyof Rule)[];
  /** The `-j`/`-g` name the parser asked about, and whether it named a chain of the table. */
  asked: string | undefined;
  wasChain: boolean;
}

/** What is remembered of one restore text, by line number from 0. */
export interface RememberedLines {
  /** The text split into lines. */
  lines: string[] | undefined;
  /** Each line's words, as tokenized the first time (shared: words are strings, and read only). */
  words: (readonly string[] | undefined)[];
  /** The rule each line parsed to; null: parse this line every time. */
  rules: (Remembered | null | undefined)[];
}

/**
 * A class rather than an object literal: V8 builds a literal's template on its second run and
 * widens the field types of what the first run stored (here the two Maps) as it does, which
 * throws away the optimised restore code that relied on them. A literal run once per compile made
 * that second run the second compile, so the first timed compile re-optimised restore mid-run.
 */
class Memo {
  /**
   * Rules by table and line text, whatever text they came in: flanneld's masquerade rules differ
   * between nodes in one line (the node's lease) and are otherwise the same.
   */
  byLine: Map<string, Remembered | null | typeof ONCE>;
  /** By text: its lines, or null while the text has been restored only once. */
  texts: Map<string, RememberedLines | null>;
  /** Characters of text kept as keys so far (see MAX_CHARS). */
  chars: number;

  constructor() {
    this.byLine = new Map();
    this.texts = new Map();
    this.chars = 0;
  }
}

/**
 * How much restore text one memo keeps: a compile of thousands of Services restores tens of
 * megabytes, mostly distinct per node, and remembering it all would hold a second copy of every
 * rule until the compile ends. Texts past this are restored as without a memo.
 */
const MAX_CHARS = 4 << 20;

/** A line parsed once and not remembered yet (see parseRememberedRule). */
const ONCE: unique symbol = Symbol('parsed once');

let active: Memo | undefined;

/** Runs `fn` with a fresh memo (a nested call shares the outer one); the memo is dropped after. */
export function withRestoreMemo<T>(fn: () => T): T {
  if (active) return fn();
  active = new Memo();
  try {
    return fn();
  } finally {
    active = undefined;
  }
}

/**
 * The remembered lines of `text`, or undefined when no memo is running or the text is not kept.
 * Lines are remembered from a text's second restore on: a text restored once (flanneld's rules
 * name the node's own lease) would only pay for copies nobody takes.
 */
export function rememberedLines(text: string): RememberedLines | undefined {
  const memo = active;
  if (!memo) return undefined;
  const lines = memo.texts.get(text);
  if (lines) return lines;
  if (lines === null) {
    const made: RememberedLines = { lines: undefined, words: [], rules: [] };
    memo.texts.set(text, made);
    return made;
  }
  if (memo.chars + text.length <= MAX_CHARS) {
    memo.texts.set(text, null);
    memo.chars += text.length;
  }
  return undefined;
}

/**
 * `parse(words, ctx, from)`, or a copy of what it gave on this line (`line`, `lineNo` from 1) of
 * the same text before, or on the same line of another text in the same table.
 */
export function parseRememberedRule(
  lines: RememberedLines | undefined,
  lineNo: number,
  line: string,
  words: readonly string[],
  ctx: RuleParseContext,
  from: number,
  parse: (words: readonly string[], ctx: RuleParseContext, from: number) => ParseResult<Rule[]>,
): ParseResult<Rule[]> {
  const memo = active;
  if (!memo) return parse(words, ctx, from);
  let hit = lines?.rules[lineNo];
  let lineKey: string | undefined;
  if (hit === undefined) {
    lineKey = `${ctx.table} ${line}`;
    const byLine = memo.byLine.get(lineKey);
    if (byLine === undefined && !lines) {
      // A line met for the first time in a text met for the first time: parsed as without a memo,
      // and remembered only if it comes again (flanneld's line naming the node's own lease never
      // does; checking and copying it for every node was wasted).
      if (memo.chars + lineKey.length <= MAX_CHARS) {
        memo.chars += lineKey.length;
        memo.byLine.set(lineKey, ONCE);
      }
      return parse(words, ctx, from);
    }
    if (byLine !== ONCE) {
      hit = byLine;
      if (hit !== undefined && lines) lines.rules[lineNo] = hit;
    }
  }
  if (hit) {
    const name = hit.asked === undefined ? undefined : chainNameIn(ctx, hit.asked);
    if ((name !== undefined) === hit.wasChain) return { ok: true, parsed: [copyRule(hit.rule, ctx.chain, name, hit.extra)] };
  }
  if (hit === null) return parse(words, ctx, from);
  // Parse, noting what the parser asks about the table's chains.
  let asked: string | undefined;
  let wasChain = false;
  const noting: RuleParseContext = {
    table: ctx.table,
    chain: ctx.chain,
    hasChain: (n) => noting.chainName!(n) !== undefined,
    chainName: (n) => {
      const found = chainNameIn(ctx, n);
      asked = n;
      wasChain = found !== undefined;
      return found;
    },
  };
  const r = parse(words, noting, from);
  if (!r.ok) return r;
  const rule = r.parsed.length === 1 ? r.parsed[0]! : undefined;
  let remembered: Remembered | null = null;
  if (rule && isPlain(rule)) {
    const extra = (Object.keys(rule) as (keyof Rule)[]).filter((k) => k !== 'chain' && k !== 'matches' && k !== 'packets' && k !== 'bytes');
    remembered = { rule: copyRule(rule, rule.chain, wasChain ? rule.target!.name : undefined, extra), extra, asked, wasChain };
  }
  if (lines) lines.rules[lineNo] = remembered;
  if (lineKey !== undefined && (hit !== undefined || memo.byLine.has(lineKey) || memo.chars + lineKey.length <= MAX_CHARS)) {
    if (hit === undefined && !memo.byLine.has(lineKey)) memo.chars += lineKey.length;
    memo.byLine.set(lineKey, remembered);
  }
  return r;
}

/** What a RuleParseContext answers for `-j NAME`: the table's string for the chain, or undefined. */
function chainNameIn(ctx: RuleParseContext, n: string): string | undefined {
  if (ctx.chainName) return ctx.chainName(n);
  return ctx.hasChain(n) ? n : undefined;
}

/**
 * A fresh rule equal to `r`, its properties in the same order (JSON of the model stays the
 * same), for `chain` (the table's string), its jump naming `jump` when it is one. The first
 * four are the parser's literal; the others (`extra`) follow in the order the parser added them.
 */
function copyRule(r: Rule, chain: string, jump: string | undefined, extra: readonly (keyof Rule)[]): Rule {
  const out: Rule = { chain, matches: copyList(r.matches, copyMatch), packets: r.packets, bytes: r.bytes };
  for (const k of extra) {
    switch (k) {
      case 'src':
        out.src = copySelector(r.src!);
        break;
      case 'dst':
        out.dst = copySelector(r.dst!);
        break;
      case 'inIface':
        out.inIface = { ...r.inIface! };
        break;
      case 'outIface':
        out.outIface = { ...r.outIface! };
        break;
      case 'protocol':
        out.protocol = { ...r.protocol! };
        break;
      case 'target':
        out.target = copyTarget(r.target!, jump);
        break;
      case 'goto':
        out.goto = r.goto!;
        break;
      case 'text':
        out.text = r.text!;
        break;
      default:
        // A field this copy does not know (the Rule type grew): copied as plain data.
        (out as unknown as Record<string, unknown>)[k] = copyValue((r as unknown as Record<string, unknown>)[k]);
    }
  }
  return out;
}

function copySelector(s: AddressSelector): AddressSelector {
  return { ...s };
}

/** As finishRule makes them: `parsed` or `unmodelled` in the literal. */
function copyMatch(m: Match): Match {
  if (m.unmodelled) return { module: m.module, options: m.options, unmodelled: true };
  return 'parsed' in m ? { module: m.module, options: m.options, parsed: copyValue(m.parsed) } : { module: m.module, options: m.options };
}

function copyTarget(t: Target, jump: string | undefined): Target {
  const name = jump ?? t.name;
  if (t.unmodelled) return { name, options: t.options, unmodelled: true };
  return 'parsed' in t ? { name, options: t.options, parsed: copyValue(t.parsed) } : { name, options: t.options };
}

/**
 * `list.map(copy)`, the result in `list`'s own elements kind (V8's kind of array: empty or small
 * integers, doubles, anything; packed or holey). Array.prototype.map makes a holey array when it
 * runs as the builtin and a packed one when optimised code inlines it, so copies made while
 * restore warmed up and copies made later had different hidden classes, and a copy is the next
 * copy's source: the first rules of the compile after a warm-up met an array class the
 * optimised copyRule had not seen, and copyRule, copyValue and the restore that inlined them were
 * thrown away and optimised again. A slice keeps the source's kind whoever runs it, and the
 * parser's lists are the first source.
 */
function copyList<T>(list: readonly T[], copy: (x: T) => T): T[] {
  const out = list.slice();
  // `i in out`: a hole stays a hole, as map leaves it.
  for (let i = 0; i < out.length; i++) if (i in out) out[i] = copy(out[i]!);
  return out;
}

/** A deep copy of plain data (what `isPlain` allows). */
function copyValue<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return copyList(v as unknown[], copyValue) as T;
  const out = { ...v } as Record<string, unknown>;
  for (const k in out) {
    const x = out[k];
    if (x !== null && typeof x === 'object') out[k] = copyValue(x);
  }
  return out as T;
}

/**
 * True when `v` is plain data all through: primitives, arrays and plain objects with only
 * enumerable own data properties (what copyRule and copyValue copy faithfully).
 */
function isPlain(v: unknown): boolean {
  if (typeof v === 'function' || typeof v === 'symbol') return false;
  if (v === null || typeof v !== 'object') return true;
  const proto = Object.getPrototypeOf(v);
  if (proto !== (Array.isArray(v) ? Array.prototype : Object.prototype)) return false;
  if (Object.getOwnPropertySymbols(v).length) return false;
  for (const k of Object.getOwnPropertyNames(v)) {
    if (Array.isArray(v) && k === 'length') continue;
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    if (!d.enumerable || !('value' in d) || !isPlain(d.value)) return false;
  }
  return true;
}
