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
import { renderRuleInto } from '../netfilter/render-rule';
import { isBuiltinChain, readTable, TABLE_ORDER } from '../netfilter/state';
import { sortedByName } from './sort-by-name';
import type { Chain, NetfilterState, TableName } from '../netfilter/types';

/** Options of `renderIptablesSave`. */
export interface IptablesSaveOptions {
  /** Tables to print (always in iptables-save's order); all four by default. */
  tables?: readonly TableName[];
  /** Print real chain counters and `[p:b]` before each rule (`iptables-save -c`). */
  counters?: boolean;
}

/** Built-in chains first (kernel order), then user chains sorted by name, as libiptc keeps them. */
function orderedChains(table: TableName, chains: ReadonlyMap<string, Chain>): Chain[] {
  const builtin: Chain[] = [];
  const user: Chain[] = [];
  for (const c of chains.values()) (isBuiltinChain(table, c.name) ? builtin : user).push(c);
  return builtin.concat(sortedByName(user));
}

/**
 * Pieces joined into one string every `BATCH` pieces. A dump of 10k Services is ~4M pieces and
 * 33 MB: one array of them all grows and is copied again and again, and a string per chain
 * (110k of them) lives until the end, so the young-generation collector copies each of them
 * once or twice. A batch's string (a few hundred kB) is allocated with the large objects, which
 * are never copied, and the batch's array dies young.
 */
const BATCH = 32768;

/** The text iptables-save prints for `nf` (ends with a newline after the last COMMIT). */
export function renderIptablesSave(nf: NetfilterState, options: IptablesSaveOptions = {}): string {
  const done: string[] = [];
  let pieces: string[] = [];
  const counters = !!options.counters;
  for (const name of TABLE_ORDER) {
    if (options.tables && !options.tables.includes(name)) continue;
    // An untouched table prints as its empty built-in chains, as every table did when all four
    // were created with the netns.
    const table = readTable(nf, name);
    const chains = orderedChains(name, table.chains);
    pieces.push(`*${name}\n`);
    for (const c of chains) {
      if (counters) pieces.push(':', c.name, ` ${c.policy ?? '-'} [${c.packets}:${c.bytes}]\n`);
      else pieces.push(':', c.name, c.policy === undefined ? ' - [0:0]\n' : c.policy === 'ACCEPT' ? ' ACCEPT [0:0]\n' : ' DROP [0:0]\n');
    }
    for (const c of chains)
      for (const r of c.rules) {
        if (counters) pieces.push(`[${r.packets}:${r.bytes}] `);
        renderRuleInto(r, pieces);
        pieces.push('\n');
        if (pieces.length >= BATCH) {
          done.push(pieces.join(''));
          pieces = [];
        }
      }
    pieces.push('COMMIT\n');
  }
  done.push(pieces.join(''));
  return done.length === 1 ? done[0]! : done.join('');
}
