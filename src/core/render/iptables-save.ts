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
import { orderByName } from './sort-by-name';
import type { Chain, NetfilterState, TableName } from '../netfilter/types';

/** Options of `renderIptablesSave`. */
export interface IptablesSaveOptions {
  /** Tables to print (always in iptables-save's order); all four by default. */
  tables?: readonly TableName[];
  /** Print real chain counters and `[p:b]` before each rule (`iptables-save -c`). */
  counters?: boolean;
}

/**
 * Pieces are joined into one string every `BATCH` pieces or so (at the end of a chain): a batch's
 * string (a few hundred kB) is allocated with the large objects, which the young-generation
 * collector never copies, and the batch's array dies young. (One array of the ~4M pieces of 10k
 * Services grows and is copied again and again; a string per chain, 110k of them living to the
 * end, is copied by the scavenger once or twice.)
 */
const BATCH = 32768;

/**
 * Each chain's rules as iptables-save prints them, rendered in the order the chains were made,
 * which is the order their rules sit in memory: a restore allocates a chain's rules one after the
 * other, while name order jumps across the heap at every chain (at 10k Services, rendering in
 * name order took about twice as long, most of it waiting for memory). Chain `i`'s text is
 * `batches[batch[i]]` from `start[i]` to `end[i]` (end 0 for a chain without rules).
 */
interface RuleTexts {
  batches: string[];
  batch: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

function renderRules(chains: readonly Chain[], counters: boolean): RuleTexts {
  const n = chains.length;
  const texts: RuleTexts = { batches: [], batch: new Int32Array(n), start: new Int32Array(n), end: new Int32Array(n) };
  let pieces: string[] = [];
  /** The chains in `pieces`, and the index of each one's first piece. */
  let pending: number[] = [];
  let firstPiece: number[] = [];
  const flush = (): void => {
    const text = pieces.join('');
    const b = texts.batches.length;
    texts.batches.push(text);
    // Every rule ends with the batch's next newline, unless a rule's text holds one of its own
    // (a comment made by hand could): then the offsets do not end at the batch's end, and each
    // chain of the batch is joined on its own.
    let at = 0;
    for (const i of pending) {
      texts.batch[i] = b;
      texts.start[i] = at;
      for (let k = chains[i]!.rules.length; k > 0 && at > -1; k--) {
        const nl = text.indexOf('\n', at);
        at = nl < 0 ? -1 : nl + 1;
      }
      texts.end[i] = at;
    }
    if (at !== text.length)
      for (let k = 0; k < pending.length; k++) {
        const i = pending[k]!;
        texts.batch[i] = texts.batches.length;
        texts.batches.push(pieces.slice(firstPiece[k]!, k + 1 < pending.length ? firstPiece[k + 1]! : pieces.length).join(''));
        texts.start[i] = 0;
        texts.end[i] = texts.batches[texts.batch[i]!]!.length;
      }
    pieces = [];
    pending = [];
    firstPiece = [];
  };
  for (let i = 0; i < n; i++) {
    const rules = chains[i]!.rules;
    if (rules.length === 0) continue;
    pending.push(i);
    firstPiece.push(pieces.length);
    for (const r of rules) {
      if (counters) pieces.push(`[${r.packets}:${r.bytes}] `);
      renderRuleInto(r, pieces);
      pieces.push('\n');
    }
    if (pieces.length >= BATCH) flush();
  }
  if (pending.length) flush();
  return texts;
}

/** The text iptables-save prints for `nf` (ends with a newline after the last COMMIT). */
export function renderIptablesSave(nf: NetfilterState, options: IptablesSaveOptions = {}): string {
  const out: string[] = [];
  const counters = !!options.counters;
  for (const name of TABLE_ORDER) {
    if (options.tables && !options.tables.includes(name)) continue;
    // An untouched table prints as its empty built-in chains, as every table did when all four
    // were created with the netns.
    const chains = [...readTable(nf, name).chains.values()];
    // Built-in chains first (kernel order), then user chains sorted by name, as libiptc keeps them.
    const builtin: number[] = [];
    const user: number[] = [];
    for (let i = 0; i < chains.length; i++) (isBuiltinChain(name, chains[i]!.name) ? builtin : user).push(i);
    const byName = orderByName(user.map((i) => chains[i]!));
    const order = builtin.concat(Array.from(byName, (k) => user[k]!));
    out.push(`*${name}\n`);
    for (const i of order) {
      const c = chains[i]!;
      if (counters) out.push(':', c.name, ` ${c.policy ?? '-'} [${c.packets}:${c.bytes}]\n`);
      else out.push(':', c.name, c.policy === undefined ? ' - [0:0]\n' : c.policy === 'ACCEPT' ? ' ACCEPT [0:0]\n' : ' DROP [0:0]\n');
    }
    const texts = renderRules(chains, counters);
    // A chain with rules ends after a newline (end > 0); one without has none. Not reading the
    // chains again here saves a second pass over 110k objects scattered in memory.
    for (const i of order) if (texts.end[i]! > 0) out.push(texts.batches[texts.batch[i]!]!.slice(texts.start[i]!, texts.end[i]!));
    out.push('COMMIT\n');
  }
  return out.join('');
}
