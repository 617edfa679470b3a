/**
 * The iptables-restore text kube-proxy builds, kept as it builds it: per table, the chain
 * declaration lines and then the rule lines (kube-proxy's `LineBuffer`s `filterChains`,
 * `filterRules`, `natChains`, `natRules`). Rules are words joined by single spaces; a word that
 * needs quotes (a comment with spaces) carries them itself, exactly as kube-proxy writes it.
 *
 * Like kube-proxy's LineBuffer (a bytes.Buffer), a buffer holds the text as written, in pieces
 * with the newline after each line, and the whole text is joined once: building each of ~430k
 * lines as its own string first (10k Services) made and kept a second copy of the text.
 */

/** Chain lines and rule lines of one table, as pieces of text (each line ends with `\n`). */
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
  table.chains.push(':', name, ' - [0:0]\n');
}

/** Writes one line from fragments joined by spaces (empty ones skipped), e.g. `-A X`, matches, `-j Y`. */
export function writeLine(table: TableBuffer, ...fragments: Word[]): void {
  const out = table.rules;
  let first = true;
  for (const w of fragments) {
    if (typeof w !== 'string' || w === '') continue;
    if (!first) out.push(' ');
    out.push(w);
    first = false;
  }
  out.push('\n');
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
  return ['*filter\n', b.filter.chains.join(''), b.filter.rules.join(''), 'COMMIT\n*nat\n', b.nat.chains.join(''), b.nat.rules.join(''), 'COMMIT\n'].join('');
}
