/**
 * A lenient reader of iptables-restore text, as upstream's test helpers read kube-proxy's
 * output (pkg/util/iptables/testing/parse.go): tables, their chains in declaration order, and
 * each chain's `-A` lines verbatim. It understands only what kube-proxy writes; it is not
 * the netfilter engine's parser and does not interpret matches.
 */

/** One chain of a parsed table. */
export interface ParsedChain {
  name: string;
  /** `-` for user chains, `ACCEPT`/`DROP` for built-ins. */
  policy: string;
  /** The counters as written, e.g. `[0:0]`. */
  counters: string;
  /** Whole `-A NAME …` lines, trimmed, in order. */
  rules: string[];
  /** A `-X NAME` line was seen. */
  deleted: boolean;
}

/** One `*TABLE … COMMIT` section. */
export interface ParsedTable {
  name: string;
  chains: ParsedChain[];
}

/**
 * Splits a rule into words: whitespace separates, a double-quoted string is one word without
 * its quotes (`--comment "ns1/svc1:p80 cluster IP"` → `--comment`, `ns1/svc1:p80 cluster IP`).
 */
export function splitRuleWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? '');
  return words;
}

/** The chains of each table being read, by name (a scan of `chains` per rule was quadratic). */
const chainIndex = new WeakMap<ParsedTable, Map<string, ParsedChain>>();

function chainOf(table: ParsedTable, name: string): ParsedChain {
  let index = chainIndex.get(table);
  if (!index) {
    index = new Map(table.chains.map((c) => [c.name, c]));
    chainIndex.set(table, index);
  }
  let chain = index.get(name);
  if (!chain) {
    // Lenient: a rule for an undeclared chain declares it (iptables-restore would reject it).
    chain = { name, policy: '-', counters: '[0:0]', rules: [], deleted: false };
    table.chains.push(chain);
    index.set(name, chain);
  }
  return chain;
}

/** Handles one non-blank, non-comment line inside a table. */
function readTableLine(table: ParsedTable, line: string): void {
  if (line.startsWith(':')) {
    const [name = '', policy = '-', counters = '[0:0]'] = line.slice(1).split(/\s+/);
    const chain = chainOf(table, name);
    chain.policy = policy;
    chain.counters = counters;
  } else if (line.startsWith('-A ') || line.startsWith('-I ')) {
    chainOf(table, line.split(/\s+/)[1] ?? '').rules.push(line);
  } else if (line.startsWith('-X ')) {
    chainOf(table, line.split(/\s+/)[1] ?? '').deleted = true;
  }
}

/** Parses restore text into tables; lines outside a table and unknown lines are ignored. */
export function parseRestoreText(text: string): ParsedTable[] {
  const tables: ParsedTable[] = [];
  let current: ParsedTable | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      current = { name: line.slice(1), chains: [] };
      tables.push(current);
    } else if (line === 'COMMIT') {
      current = null;
    } else if (current) {
      readTableLine(current, line);
    }
  }
  return tables;
}

/** The chain `name` of table `table`, if present. */
export function findChain(
  tables: ParsedTable[],
  table: string,
  name: string,
): ParsedChain | undefined {
  return tables.find((t) => t.name === table)?.chains.find((c) => c.name === name);
}
