/**
 * `iptables-save` output of one netns, exactly as iptables v1.8.9 (nf_tables) prints it minus
 * the `#` comment and date lines: tables in the order mangle, raw, filter, nat; per table the
 * built-in chains in kernel order, then user chains sorted by name; then the rules of those
 * chains in the same order; `COMMIT`. Verified against the real tool (fixtures/iptables-save).
 *
 * Counters: real iptables-save always prints chain counters and prints rule counters only with
 * `-c`. Hopscope's `show` wants `[0:0]` everywhere (DESIGN §5), so counters are printed only
 * with `counters: true`, which then behaves like `iptables-save -c`.
 */
import { renderRule } from '../netfilter/render-rule';
import { isBuiltinChain, readTable, TABLE_ORDER } from '../netfilter/state';
import type { Chain, NetfilterState, TableName } from '../netfilter/types';

/** Options of `renderIptablesSave`. */
export interface IptablesSaveOptions {
  /** Tables to print (always in iptables-save's order); all four by default. */
  tables?: readonly TableName[];
  /** Print real chain counters and `[p:b]` before each rule (`iptables-save -c`). */
  counters?: boolean;
}

function orderedChains(table: TableName, chains: Iterable<Chain>): Chain[] {
  const builtin: Chain[] = [];
  const user: Chain[] = [];
  for (const c of chains) (isBuiltinChain(table, c.name) ? builtin : user).push(c);
  user.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return builtin.concat(user);
}

/** The text iptables-save prints for `nf` (ends with a newline after the last COMMIT). */
export function renderIptablesSave(nf: NetfilterState, options: IptablesSaveOptions = {}): string {
  const out: string[] = [];
  const counters = !!options.counters;
  for (const name of TABLE_ORDER) {
    if (options.tables && !options.tables.includes(name)) continue;
    // An untouched table prints as its empty built-in chains, as every table did when all four were created with the netns.
    const table = readTable(nf, name);
    const chains = orderedChains(name, table.chains.values());
    out.push(`*${name}`);
    for (const c of chains) out.push(`:${c.name} ${c.policy ?? '-'} ${counters ? `[${c.packets}:${c.bytes}]` : '[0:0]'}`);
    for (const c of chains) for (const r of c.rules) out.push(counters ? `[${r.packets}:${r.bytes}] ${renderRule(r)}` : renderRule(r));
    out.push('COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
