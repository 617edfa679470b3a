/**
 * Parses the words of one rule (`-s 10.0.0.0/8 -p tcp -m comment --comment x --dport 80 -j DNAT
 * --to-destination 10.1.1.1:80`) into a `Rule`, as iptables does: generic selectors may appear
 * anywhere, `!` precedes the option it negates, each `--option` belongs to the latest loaded
 * module that knows it, and an option only the protocol's module knows loads that module
 * implicitly at that point (`-p tcp --dport 80` saves as `-p tcp -m tcp --dport 80`).
 * Modules we do not model keep their options as written.
 */
import { parseAddress } from './address';
import { getMatchModule, implicitProtocolMatch } from './matches/registry';
import type { MatchModule, ModuleOption, ParseResult, RuleContext, TargetModule } from './module';
import { protocolName, protocolNumber } from './protocols';
import { getTargetModule, isKnownUnmodelledTarget } from './targets/registry';
import type { AddressSelector, Match, Rule, TableName } from './types';

interface Pending {
  name: string;
  module?: MatchModule | TargetModule;
  options: ModuleOption[];
  /** Loaded by `-p PROTO` rather than `-m`; a later `-m PROTO` reuses it, as iptables does. */
  implicit?: boolean;
  /** `-j NAME` names a chain of the table: a jump, with no options of its own. */
  chain?: boolean;
}

/** What the parser needs to know about the table the rule goes into. */
export interface RuleParseContext {
  table: TableName;
  chain: string;
  /** True if a chain of this name exists in the table (then `-j NAME` is a jump). */
  hasChain(name: string): boolean;
  /**
   * Optional: the table's own string for the chain `name` (undefined when `hasChain` is false).
   * A jump then names its chain with that string rather than a slice of the restore line.
   */
  chainName?(name: string): string | undefined;
}

/**
 * Each module's own strings for its option names. A rule keeps its options' names; taking the
 * module's string instead of the restore line's word keeps one copy of `--comment` rather than
 * one per rule (430k rules at 10k Services). Built the first time a module is seen.
 */
const optionNames = new Map<MatchModule | TargetModule, Map<string, string>>();

function optionName(module: MatchModule | TargetModule, w: string): string {
  let names = optionNames.get(module);
  if (!names) {
    names = new Map(Object.keys(module.options).map((k) => [k, k]));
    optionNames.set(module, names);
  }
  return names.get(w) ?? w;
}

/** The target of a jump to a user chain: it takes no options. */
const CHAIN_TARGET = { name: '', options: {} } as unknown as TargetModule;

const GENERIC: Readonly<Record<string, string>> = {
  '-s': 's', '--source': 's', '--src': 's',
  '-d': 'd', '--destination': 'd', '--dst': 'd',
  '-i': 'i', '--in-interface': 'i',
  '-o': 'o', '--out-interface': 'o',
  '-p': 'p', '--protocol': 'p',
  '-m': 'm', '--match': 'm',
  '-j': 'j', '--jump': 'j',
  '-g': 'g', '--goto': 'g',
  '-c': 'c', '--set-counters': 'c',
};

/** The long generic options (`--source` …), by name. */
const GENERIC_LONG = new Map(Object.entries(GENERIC).filter(([k]) => k.startsWith('--')));

/**
 * `GENERIC[w]`, answered without a property lookup by a word read from the line for the words
 * that are options: `-X` by its letter, `--long` from a map. Other words keep the object lookup.
 */
function genericKind(w: string): string | undefined {
  if (w.charCodeAt(0) === 45 /* - */) {
    if (w.length === 2) {
      switch (w.charCodeAt(1)) {
        case 115: return 's';
        case 100: return 'd';
        case 105: return 'i';
        case 111: return 'o';
        case 112: return 'p';
        case 109: return 'm';
        case 106: return 'j';
        case 103: return 'g';
        case 99: return 'c';
        default: return undefined;
      }
    }
    if (w.charCodeAt(1) === 45) return GENERIC_LONG.get(w);
  }
  return GENERIC[w];
}

/** Converts parsed options to the tuple form of `types.ts` (`['!', '--mark', '0x1']` when negated). */
export function toTuples(options: readonly ModuleOption[]): [string, ...string[]][] {
  return options.map((o) => {
    // The usual option has one argument: a literal of the final length, without a spread.
    if (o.args.length === 1) return o.negate ? ['!', o.name, o.args[0]!] : [o.name, o.args[0]!];
    return o.negate ? ['!', o.name, ...o.args] : [o.name, ...o.args];
  });
}

/** The inverse of `toTuples`. */
export function fromTuples(tuples: readonly (readonly string[])[]): ModuleOption[] {
  return tuples.map((t) => (t[0] === '!' ? { name: t[1] ?? '', negate: true, args: t.slice(2) } : { name: t[0] ?? '', negate: false, args: t.slice(1) }));
}

/** The arguments of an option of an unmodelled module: the words up to the next option. */
function genericArity(words: readonly string[], from: number): number {
  let n = 0;
  while (from + n < words.length && !words[from + n]!.startsWith('-') && words[from + n] !== '!') n++;
  return n;
}

/** Which pending module takes option `w`, loading the protocol's match implicitly if needed. */
function ownerOf(w: string, matches: Pending[], target: Pending | undefined, protocol: number | undefined): Pending | undefined {
  if (target && (target.module ? target.module.options[w] !== undefined : true)) return target;
  for (let k = matches.length - 1; k >= 0; k--) {
    const m = matches[k]!;
    if (m.module && m.module.options[w] !== undefined) return m;
  }
  const implicit = implicitProtocolMatch(protocol);
  const module = implicit === undefined ? undefined : getMatchModule(implicit);
  if (implicit !== undefined && module?.options[w] !== undefined) {
    const p: Pending = { name: implicit, options: [], module, implicit: true };
    matches.push(p);
    return p;
  }
  // An unmodelled module takes whatever follows it.
  const last = matches[matches.length - 1];
  if (last && !last.module) return last;
  if (implicit !== undefined && !module) {
    const p: Pending = { name: implicit, options: [], implicit: true };
    matches.push(p);
    return p;
  }
  return undefined;
}

/** `-s`/`-d` as written (possibly `a,b`), split only when a comma asks for several rules. */
interface Selectors {
  src?: string;
  dst?: string;
  srcNeg: boolean;
  dstNeg: boolean;
}

/**
 * Parses one rule's words (from `words[from]` on; the restore line's words after `-A CHAIN`).
 * `-s a,b` gives one rule per address, as iptables does.
 */
export function parseRuleWords(words: readonly string[], ctx: RuleParseContext, from = 0): ParseResult<Rule[]> {
  const rule: Rule = { chain: ctx.chain, matches: [], packets: 0, bytes: 0 };
  const sel: Selectors = { srcNeg: false, dstNeg: false };
  const matches: Pending[] = [];
  let target: Pending | undefined;
  let protocol: number | undefined;
  let negate = false;
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (w === '!') {
      if (negate) return { ok: false, error: 'Multiple `!\' flags not allowed' };
      negate = true;
      continue;
    }
    const g = genericKind(w);
    if (g) {
      const arg = words[++i];
      if (arg === undefined) return { ok: false, error: `option "${w}" requires an argument` };
      if (negate && (g === 'm' || g === 'j' || g === 'g' || g === 'c')) return { ok: false, error: `cannot have ! before ${w}` };
      switch (g) {
        case 's':
          sel.src = arg;
          sel.srcNeg = negate;
          break;
        case 'd':
          sel.dst = arg;
          sel.dstNeg = negate;
          break;
        case 'i':
          rule.inIface = { name: arg, negate };
          break;
        case 'o':
          rule.outIface = { name: arg, negate };
          break;
        case 'p': {
          const n = protocolNumber(arg);
          if (n === undefined) return { ok: false, error: `unknown protocol "${arg}" specified` };
          protocol = n;
          if (n !== 0) rule.protocol = { name: protocolName(n), negate };
          else delete rule.protocol;
          break;
        }
        case 'm': {
          let reused = false;
          for (const m of matches) if (m.implicit && m.name === arg) reused = true;
          if (reused) break;
          const module = getMatchModule(arg);
          // The module's own name string, shared by every rule that loads it.
          const p: Pending = { name: module ? module.name : arg, options: [] };
          if (module) p.module = module;
          matches.push(p);
          break;
        }
        case 'j':
        case 'g': {
          if (target) return { ok: false, error: 'multiple -j flags not allowed' };
          if (g === 'g') rule.goto = true;
          const chainName = ctx.chainName ? ctx.chainName(arg) : ctx.hasChain(arg) ? arg : undefined;
          const isChain = chainName !== undefined;
          const module = isChain ? undefined : getTargetModule(arg);
          if (g === 'g' && !isChain) return { ok: false, error: `Couldn't load target \`${arg}':No such file or directory` };
          if (!isChain && !module && !isKnownUnmodelledTarget(arg))
            return { ok: false, error: `Couldn't load target \`${arg}':No such file or directory` };
          target = { name: chainName ?? (module ? module.name : arg), options: [] };
          if (module) target.module = module;
          if (isChain) {
            target.module = CHAIN_TARGET;
            target.chain = true;
          }
          break;
        }
        case 'c': {
          const bytes = words[++i];
          if (!/^\d+$/.test(arg) || bytes === undefined || !/^\d+$/.test(bytes)) return { ok: false, error: '-c packet counter not numeric' };
          rule.packets = Number(arg);
          rule.bytes = Number(bytes);
          break;
        }
      }
      negate = false;
      continue;
    }
    if (!w.startsWith('--')) return { ok: false, error: `Bad argument \`${w}'` };
    const owner = ownerOf(w, matches, target, protocol);
    if (!owner) return { ok: false, error: `unknown option "${w}"` };
    const arity = owner.module ? owner.module.options[w]! : genericArity(words, i + 1);
    if (i + arity >= words.length) return { ok: false, error: `option "${w}" requires an argument` };
    const args = arity === 1 ? [words[i + 1]!] : words.slice(i + 1, i + 1 + arity);
    owner.options.push({ name: owner.module ? optionName(owner.module, w) : w, negate, args });
    i += arity;
    negate = false;
  }
  if (negate) return { ok: false, error: 'no argument following `!\'' };
  const rctx: RuleContext = { table: ctx.table, chain: ctx.chain };
  if (protocol) rctx.protocol = protocol;
  return finishRule(rule, sel, matches, target, rctx);
}

function finishRule(rule: Rule, sel: Selectors, matches: Pending[], target: Pending | undefined, rctx: RuleContext): ParseResult<Rule[]> {
  // Arrays kept by the rule are made at their final length (`map`): one grown by `push` keeps
  // spare slots, and 10k Services keep ~1M of these arrays.
  // Matches and targets are made whole, `parsed` (or `unmodelled`) in the literal: a property
  // added afterwards would give each of them a separate property store.
  let failed: { ok: false; error: string } | undefined;
  rule.matches = matches.map((p): Match => {
    const options = toTuples(p.options);
    if (!p.module) return { module: p.name, options, unmodelled: true };
    const r = failed ? undefined : (p.module as MatchModule).parse(p.options, rctx);
    if (r && !r.ok) failed = r;
    return r?.ok ? { module: p.name, options, parsed: r.parsed } : { module: p.name, options };
  });
  if (failed) return failed;
  if (target) {
    const options = toTuples(target.options);
    if (target.chain) {
      if (target.options.length) return { ok: false, error: `unknown option "${target.options[0]!.name}"` };
      rule.target = { name: target.name, options };
    } else if (target.module) {
      const r = (target.module as TargetModule).parse(target.options, rctx);
      if (!r.ok && r.error !== 'unmodelled') return r;
      rule.target = r.ok ? { name: target.name, options, parsed: r.parsed } : { name: target.name, options, unmodelled: true };
    } else rule.target = { name: target.name, options, unmodelled: true };
  }
  return expandAddresses(rule, sel);
}

function parseList(text: string | undefined, neg: boolean): ParseResult<(AddressSelector | undefined)[]> {
  if (text === undefined) return { ok: true, parsed: [undefined] };
  const out: AddressSelector[] = [];
  for (const a of text.split(',')) {
    const r = parseAddress(a, neg);
    if ('error' in r) return { ok: false, error: r.error };
    out.push(r);
  }
  return { ok: true, parsed: out };
}

function expandAddresses(rule: Rule, sel: Selectors): ParseResult<Rule[]> {
  // The common case (at most one -s and one -d address): the rule itself, no copies.
  if (!sel.src?.includes(',') && !sel.dst?.includes(',')) {
    if (sel.src !== undefined) {
      const s = parseAddress(sel.src, sel.srcNeg);
      if ('error' in s) return { ok: false, error: s.error };
      rule.src = s;
    }
    if (sel.dst !== undefined) {
      const d = parseAddress(sel.dst, sel.dstNeg);
      if ('error' in d) return { ok: false, error: d.error };
      rule.dst = d;
    }
    return { ok: true, parsed: [rule] };
  }
  const srcs = parseList(sel.src, sel.srcNeg);
  if (!srcs.ok) return srcs;
  const dsts = parseList(sel.dst, sel.dstNeg);
  if (!dsts.ok) return dsts;
  const rules: Rule[] = [];
  for (const s of srcs.parsed)
    for (const d of dsts.parsed) {
      const r: Rule = { ...rule, matches: rule.matches.map((m) => ({ ...m })) };
      if (s) r.src = { ...s };
      if (d) r.dst = { ...d };
      rules.push(r);
    }
  return { ok: true, parsed: rules };
}
