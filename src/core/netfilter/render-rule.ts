/**
 * One rule as iptables-save prints it: `-A CHAIN`, then `-s -d -i -o -p` (each with `!` when
 * negated; a /0 address is not printed), then every match in order as `-m NAME OPTIONS`, then
 * `-j TARGET OPTIONS` or `-g CHAIN`. Modelled modules print their canonical form; unmodelled ones
 * print their options as written. The text is cached on the rule.
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
  return options.map((t) => ' ' + t.map((x, i) => (i === 0 || x === '!' ? x : genericArg(x))).join(' ')).join('');
}

function renderUncached(rule: Rule): string {
  let s = `-A ${rule.chain}`;
  if (rule.src && !rule.src.cidr.endsWith('/0')) s += `${rule.src.negate ? ' !' : ''} -s ${rule.src.cidr}`;
  if (rule.dst && !rule.dst.cidr.endsWith('/0')) s += `${rule.dst.negate ? ' !' : ''} -d ${rule.dst.cidr}`;
  if (rule.inIface) s += `${rule.inIface.negate ? ' !' : ''} -i ${rule.inIface.name}`;
  if (rule.outIface) s += `${rule.outIface.negate ? ' !' : ''} -o ${rule.outIface.name}`;
  if (rule.protocol) s += `${rule.protocol.negate ? ' !' : ''} -p ${rule.protocol.name}`;
  for (const m of rule.matches) {
    const module = m.unmodelled ? undefined : getMatchModule(m.module);
    s += ` -m ${m.module}${module ? module.render(m.parsed as never) : genericOptions(m.options)}`;
  }
  const t = rule.target;
  if (t) {
    if (rule.goto) return `${s} -g ${t.name}`;
    const module = t.unmodelled || t.parsed === undefined ? undefined : getTargetModule(t.name);
    s += ` -j ${t.name}${module ? module.render(t.parsed as never) : genericOptions(t.options)}`;
  }
  return s;
}

/** The rule as iptables-save prints it (without counters). */
export function renderRule(rule: Rule): string {
  if (rule.text === undefined) {
    compileRule(rule);
    rule.text = renderUncached(rule);
  }
  return rule.text;
}
