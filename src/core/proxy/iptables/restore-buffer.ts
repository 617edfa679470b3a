/**
 * The iptables-restore text kube-proxy builds, kept as it builds it: per table, the chain
 * declaration lines and then the rule lines (kube-proxy's `LineBuffer`s `filterChains`,
 * `filterRules`, `natChains`, `natRules`). Rules are words joined by single spaces; a word that
 * needs quotes (a comment with spaces) carries them itself, exactly as kube-proxy writes it.
 */

/** Chain lines and rule lines of one table. */
export interface TableBuffer {
  chains: string[];
  rules: string[];
}

/** The two tables kube-proxy restores, in the order it writes them. */
export interface RestoreBuffers {
  filter: TableBuffer;
  nat: TableBuffer;
}

/**
 * A fragment of a line: one or more space-separated words, or nothing (false/undefined/'' are
 * skipped, so optional parts read inline).
 */
export type Word = string | false | undefined;

/** Empty buffers. */
export function newRestoreBuffers(): RestoreBuffers {
  return { filter: { chains: [], rules: [] }, nat: { chains: [], rules: [] } };
}

/** Writes `:NAME - [0:0]`, which creates the chain or flushes it under `--noflush`. */
export function declareChain(table: TableBuffer, name: string): void {
  table.chains.push(`:${name} - [0:0]`);
}

/** Writes one line from fragments joined by spaces (empty ones skipped), e.g. `-A X`, matches, `-j Y`. */
export function writeLine(table: TableBuffer, ...fragments: Word[]): void {
  let line = '';
  for (const w of fragments) if (typeof w === 'string' && w !== '') line = line === '' ? w : `${line} ${w}`;
  table.rules.push(line);
}

/** Double-quotes a comment the way kube-proxy does (`"ns1/svc1:p80 cluster IP"`); no escaping. */
export function quoted(text: string): string {
  return `"${text}"`;
}

/** `-m comment --comment TEXT`; TEXT is written as given (quote it with `quoted` if it has spaces). */
export function commentMatch(text: string): string {
  return `-m comment --comment ${text}`;
}

/** The restore text: `*filter`, its chains and rules, `COMMIT`, then the same for `*nat`. */
export function renderRestore(b: RestoreBuffers): string {
  const lines = [
    '*filter',
    ...b.filter.chains,
    ...b.filter.rules,
    'COMMIT',
    '*nat',
    ...b.nat.chains,
    ...b.nat.rules,
    'COMMIT',
  ];
  return `${lines.join('\n')}\n`;
}
