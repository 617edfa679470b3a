/**
 * One rule as iptables-save prints it: `-A CHAIN`, then `-s -d -i -o -p` (each with `!` when
 * negated; a /0 address is not printed), then every match in order as `-m NAME OPTIONS`, then
 * `-j TARGET OPTIONS` or `-g CHAIN`. Modelled modules print their canonical form; unmodelled ones
 * print their options as written. The text is cached on the rule (rules are immutable once
 * made: iptables replaces a rule, it never edits one).
 */
import { compileRule } from './compile';
import { getMatchModule } from './matches/registry';
import { getTargetModule } from './targets/registry';
import type { Rule } from './types';

/** Quotes a generic argument only when iptables-restore could not read it back bare. */
function genericArg(a: string): string {
  return /^[^\s"'\\]+$/.test(a) ? a : `"${a.replace(/["'\\]/g, (c) => `\\${c}`)}"`;
}

function genericOptions(options: readonly (readonly string[])[]): string {
  if (options.length === 0) return '';
  return options.map((t) => ' ' + t.map((x, i) => (i === 0 || x === '!' ? x : genericArg(x))).join(' ')).join('');
}

/**
 * ` -m comment`, ` -j DNAT`, ` -p tcp`: a flag and a module or protocol name as one piece. The
 * names are few (a rule keeps its module's own string), so each joined text is made once.
 */
const flagged = new Map<string, Map<string, string>>();

function flagAndName(flag: string, name: string): string {
  let byName = flagged.get(flag);
  if (!byName) flagged.set(flag, (byName = new Map()));
  let text = byName.get(name);
  if (text === undefined) {
    text = flag + name;
    if (byName.size < 256) byName.set(name, text);
  }
  return text;
}

/**
 * `-A CHAIN`, made once for the rules of a chain: a dump renders a chain's rules one after the
 * other, so one remembered chain name saves a piece per rule. (Keyed by the name's value, so it
 * is never stale.)
 */
let headChain: string | undefined;
let headText = '';

function head(chain: string): string {
  if (chain !== headChain) {
    headChain = chain;
    headText = '-A ' + chain;
  }
  return headText;
}

/**
 * Appends the rule's text to `out` piece by piece (`-A`, the chain, ` -s `, the address …).
 * Joined once, the pieces make a flat string: a text built by `+=` is a tree of pieces that every
 * later reader has to walk again, and a whole iptables-save dump can be joined without making
 * each rule's text first.
 */
function renderInto(rule: Rule, out: string[]): void {
  out.push(head(rule.chain));
  const { src, dst, inIface, outIface, protocol } = rule;
  if (src && !src.cidr.endsWith('/0')) out.push(src.negate ? ' ! -s ' : ' -s ', src.cidr);
  if (dst && !dst.cidr.endsWith('/0')) out.push(dst.negate ? ' ! -d ' : ' -d ', dst.cidr);
  if (inIface) out.push(inIface.negate ? ' ! -i ' : ' -i ', inIface.name);
  if (outIface) out.push(outIface.negate ? ' ! -o ' : ' -o ', outIface.name);
  if (protocol) out.push(flagAndName(protocol.negate ? ' ! -p ' : ' -p ', protocol.name));
  for (const m of rule.matches) {
    const module = m.unmodelled ? undefined : getMatchModule(m.module);
    const options = module ? module.render(m.parsed as never) : genericOptions(m.options);
    // An empty piece costs the join as much as a full one (`-m tcp` alone, 100k times at 10k Services).
    if (options === '') out.push(flagAndName(' -m ', m.module));
    else out.push(flagAndName(' -m ', m.module), options);
  }
  const t = rule.target;
  if (t) {
    if (rule.goto) out.push(' -g ', t.name);
    else {
      const module = t.unmodelled || t.parsed === undefined ? undefined : getTargetModule(t.name);
      // A module's target has few names; a jump names one of thousands of chains.
      if (module) out.push(flagAndName(' -j ', t.name), module.render(t.parsed as never));
      else if (t.options.length === 0) out.push(' -j ', t.name);
      else out.push(' -j ', t.name, genericOptions(t.options));
    }
  }
}

function renderUncached(rule: Rule): string {
  const parts: string[] = [];
  renderInto(rule, parts);
  return parts.join('');
}

/**
 * True when `compileRule` has nothing left to do: every address has its numbers and every match
 * and target its parse (restore leaves rules this way, so rendering them skips the compile).
 */
function isCompiled(rule: Rule): boolean {
  // The conditions under which compileRule (compileAddress) would still fill something in.
  if (rule.src && (rule.src.network === undefined || rule.src.mask === undefined)) return false;
  if (rule.dst && (rule.dst.network === undefined || rule.dst.mask === undefined)) return false;
  for (const m of rule.matches) if (m.parsed === undefined && !m.unmodelled) return false;
  const t = rule.target;
  // A target without a parse is a jump to a user chain (no module), or still to be parsed.
  return !t || t.parsed !== undefined || !!t.unmodelled || getTargetModule(t.name) === undefined;
}

/** The rule as iptables-save prints it (without counters). */
export function renderRule(rule: Rule): string {
  if (rule.text === undefined) {
    if (!isCompiled(rule)) compileRule(rule);
    rule.text = renderUncached(rule);
  }
  return rule.text;
}

/**
 * Appends the same text to `out` (as pieces) without keeping it on the rule when it is not there
 * yet: for a dump of every rule (iptables-save of 10k Services writes ~430k rules), where keeping
 * each text would hold a second copy of the whole dump for the life of the table. Traces still
 * cache the texts they use.
 */
export function renderRuleInto(rule: Rule, out: string[]): void {
  if (rule.text !== undefined) {
    out.push(rule.text);
    return;
  }
  if (!isCompiled(rule)) compileRule(rule);
  renderInto(rule, out);
}
