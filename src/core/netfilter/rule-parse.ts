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
import type { AddressSelector, Match, Rule, TableName, Target } from './types';

interface Pending {
  name: string;
  module?: MatchModule | TargetModule;
  options: ModuleOption[];
  /** Loaded by `-p PROTO` rather than `-m`; a later `-m PROTO` reuses it, as iptables does. */
  implicit?: boolean;
}

/** What the parser needs to know about the table the rule goes into. */
export interface RuleParseContext {
  table: TableName;
  chain: string;
  /** True if a chain of this name exists in the table (then `-j NAME` is a jump). */
  hasChain(name: string): boolean;
}

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

/** Converts parsed options to the tuple form of `types.ts` (`['!', '--mark', '0x1']` when negated). */
export function toTuples(options: readonly ModuleOption[]): [string, ...string[]][] {
  return options.map((o) => (o.negate ? ['!', o.name, ...o.args] : [o.name, ...o.args]));
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

interface Selectors {
  src: string[];
  dst: string[];
  srcNeg: boolean;
  dstNeg: boolean;
}

/** Parses one rule's words. `-s a,b` gives one rule per address, as iptables does. */
export function parseRuleWords(words: readonly string[], ctx: RuleParseContext): ParseResult<Rule[]> {
  const rule: Rule = { chain: ctx.chain, matches: [], packets: 0, bytes: 0 };
  const sel: Selectors = { src: [], dst: [], srcNeg: false, dstNeg: false };
  const matches: Pending[] = [];
  let target: Pending | undefined;
  let protocol: number | undefined;
  let negate = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '!') {
      if (negate) return { ok: false, error: 'Multiple `!\' flags not allowed' };
      negate = true;
      continue;
    }
    const g = GENERIC[w];
    if (g) {
      const arg = words[++i];
      if (arg === undefined) return { ok: false, error: `option "${w}" requires an argument` };
      if (negate && (g === 'm' || g === 'j' || g === 'g' || g === 'c')) return { ok: false, error: `cannot have ! before ${w}` };
      switch (g) {
        case 's':
          sel.src = arg.split(',');
          sel.srcNeg = negate;
          break;
        case 'd':
          sel.dst = arg.split(',');
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
          const module = getMatchModule(arg);
          const reused = matches.find((m) => m.implicit && m.name === arg);
          if (reused) break;
          matches.push({ name: arg, options: [], ...(module ? { module } : {}) });
          break;
        }
        case 'j':
        case 'g': {
          if (target) return { ok: false, error: 'multiple -j flags not allowed' };
          if (g === 'g') rule.goto = true;
          const isChain = ctx.hasChain(arg);
          const module = isChain ? undefined : getTargetModule(arg);
          if (g === 'g' && !isChain) return { ok: false, error: `Couldn't load target \`${arg}':No such file or directory` };
          if (!isChain && !module && !isKnownUnmodelledTarget(arg))
            return { ok: false, error: `Couldn't load target \`${arg}':No such file or directory` };
          target = { name: arg, options: [], ...(module ? { module } : {}) };
          if (isChain) target.module = { name: arg, options: {} } as unknown as TargetModule;
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
    const args = words.slice(i + 1, i + 1 + arity);
    if (args.length < arity) return { ok: false, error: `option "${w}" requires an argument` };
    owner.options.push({ name: w, negate, args });
    i += arity;
    negate = false;
  }
  if (negate) return { ok: false, error: 'no argument following `!\'' };
  return finishRule(rule, sel, matches, target, { table: ctx.table, chain: ctx.chain, ...(protocol ? { protocol } : {}) }, ctx);
}

function finishRule(rule: Rule, sel: Selectors, matches: Pending[], target: Pending | undefined, rctx: RuleContext, ctx: RuleParseContext): ParseResult<Rule[]> {
  for (const p of matches) {
    const m: Match = { module: p.name, options: toTuples(p.options) };
    if (p.module) {
      const r = (p.module as MatchModule).parse(p.options, rctx);
      if (!r.ok) return r;
      m.parsed = r.parsed;
    } else m.unmodelled = true;
    rule.matches.push(m);
  }
  if (target) {
    const t: Target = { name: target.name, options: toTuples(target.options) };
    if (ctx.hasChain(target.name)) {
      if (target.options.length) return { ok: false, error: `unknown option "${target.options[0]!.name}"` };
    } else if (target.module) {
      const r = (target.module as TargetModule).parse(target.options, rctx);
      if (!r.ok && r.error !== 'unmodelled') return r;
      if (r.ok) t.parsed = r.parsed;
      else t.unmodelled = true;
    } else t.unmodelled = true;
    rule.target = t;
  }
  return expandAddresses(rule, sel);
}

function expandAddresses(rule: Rule, sel: Selectors): ParseResult<Rule[]> {
  const parse = (list: string[], neg: boolean): ParseResult<(AddressSelector | undefined)[]> => {
    if (list.length === 0) return { ok: true, parsed: [undefined] };
    const out: AddressSelector[] = [];
    for (const a of list) {
      const r = parseAddress(a, neg);
      if ('error' in r) return { ok: false, error: r.error };
      out.push(r);
    }
    return { ok: true, parsed: out };
  };
  const srcs = parse(sel.src, sel.srcNeg);
  if (!srcs.ok) return srcs;
  const dsts = parse(sel.dst, sel.dstNeg);
  if (!dsts.ok) return dsts;
  // The common case (at most one -s and one -d address): the rule itself, no copies.
  if (srcs.parsed.length === 1 && dsts.parsed.length === 1) {
    const [s] = srcs.parsed;
    const [d] = dsts.parsed;
    if (s) rule.src = s;
    if (d) rule.dst = d;
    return { ok: true, parsed: [rule] };
  }
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
