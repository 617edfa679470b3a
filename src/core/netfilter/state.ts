/**
 * Netfilter state of one netns: the four iptables tables with their built-in chains, as
 * iptables-nft creates them (every built-in chain of a table exists once the table does).
 */
import type { Chain, NetfilterState, Table, TableName } from './types';

/** Built-in chains per table, in the order the kernel registers (and iptables-save prints) them. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The order iptables-save (v1.8.9, nf_tables) prints tables in when all four exist. */
export const TABLE_ORDER: readonly TableName[] = ['mangle', 'raw', 'filter', 'nat'];

/** True for the names `*table` accepts. */
export function isTableName(s: string): s is TableName {
  return s === 'raw' || s === 'mangle' || s === 'nat' || s === 'filter';
}

/** True if `name` is a built-in chain of `table` (it has a policy and cannot be deleted). */
export function isBuiltinChain(table: TableName, name: string): boolean {
  return BUILTIN_CHAINS[table].includes(name);
}

/** A table holding only its built-in chains, policies ACCEPT, counters zero. */
export function createTable(name: TableName): Table {
  const chains = new Map<string, Chain>();
  for (const c of BUILTIN_CHAINS[name]) chains.set(c, { name: c, policy: 'ACCEPT', rules: [], packets: 0, bytes: 0 });
  return { name, chains };
}

/**
 * A fresh netns's netfilter: no table instantiated yet, no ipsets. A table is created on first
 * use (`getTable`), as the kernel instantiates a table when it is first referenced; until then
 * it reads as its empty built-in chains with ACCEPT policies (`readTable`), which is all a
 * fresh table holds. Thousands of pod netns never touch netfilter, and four tables of chains
 * each were a large share of compile time and garbage.
 */
export function createNetfilter(): NetfilterState {
  return { tables: new Map() };
}

/** The table `name` for writing: created (empty built-in chains) on first use. */
export function getTable(nf: NetfilterState, name: TableName): Table {
  let t = nf.tables.get(name);
  if (!t) {
    t = createTable(name);
    nf.tables.set(name, t);
  }
  return t;
}

/** Shared read-only stand-ins for tables nothing has touched (frozen, so a write throws). */
const UNTOUCHED: Readonly<Record<TableName, Table>> = {
  raw: frozenTable('raw'),
  mangle: frozenTable('mangle'),
  nat: frozenTable('nat'),
  filter: frozenTable('filter'),
};

function frozenTable(name: TableName): Table {
  const t = createTable(name);
  for (const c of t.chains.values()) {
    Object.freeze(c.rules);
    Object.freeze(c);
  }
  return Object.freeze(t);
}

/**
 * The table `name` for reading: the live table, or, if nothing has touched it yet, a shared
 * empty one with the built-in chains at policy ACCEPT (what a fresh table shows). Never write
 * to the result; use `getTable` to write.
 */
export function readTable(nf: NetfilterState, name: TableName): Table {
  return nf.tables.get(name) ?? UNTOUCHED[name];
}

/** A chain of a table, or undefined if it does not exist (for reading: see `readTable`). */
export function getChain(nf: NetfilterState, table: TableName, chain: string): Chain | undefined {
  return readTable(nf, table).chains.get(chain);
}

/**
 * How many chains `ensureChain` has added to a table (a symbol-keyed, non-enumerable counter:
 * JSON, structuredClone and test equality never see it). The evaluator remembers a rule's jump
 * target together with the table's chain Map, its size and this count: `iptables-restore`
 * commits a new Map, deleting a chain changes the size, and a chain deleted and added again
 * here changes the count, so a remembered target is never a chain the table no longer holds.
 * Code that adds chains to a live table must do it through `ensureChain`.
 */
const CHAINS_ADDED: unique symbol = Symbol('chains added');
type Counted = Table & { [CHAINS_ADDED]?: number };

/** See `CHAINS_ADDED`. */
export function chainsAdded(t: Table): number {
  return (t as Counted)[CHAINS_ADDED] ?? 0;
}

/** `iptables -t TABLE -N CHAIN`, except that an existing chain is returned unchanged. */
export function ensureChain(nf: NetfilterState, table: TableName, chain: string): Chain {
  const t = getTable(nf, table);
  let c = t.chains.get(chain);
  if (!c) {
    c = { name: chain, rules: [], packets: 0, bytes: 0 };
    t.chains.set(chain, c);
    const counted = t as Counted;
    if (CHAINS_ADDED in counted) counted[CHAINS_ADDED] = chainsAdded(t) + 1;
    else Object.defineProperty(counted, CHAINS_ADDED, { value: 1, writable: true, configurable: true, enumerable: false });
  }
  return c;
}

/** Zeroes every rule and chain counter (`iptables -Z` on all tables). */
export function zeroCounters(nf: NetfilterState): void {
  for (const t of nf.tables.values())
    for (const c of t.chains.values()) {
      c.packets = 0;
      c.bytes = 0;
      for (const r of c.rules) {
        r.packets = 0;
        r.bytes = 0;
      }
    }
}
