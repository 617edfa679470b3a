/**
 * The normalisation N that kube-proxy's own unit tests apply before comparing restore text
 * (upstream `sortIPTablesRules`; README of the oracle fixtures). It removes what Go map order
 * makes random: table order, chain order and the order of per-service rules in the dispatch
 * chains. Rule order inside every other chain is kept, because it is semantics.
 */
import type { ParsedChain, ParsedTable } from './restore-text';
import { parseRestoreText, splitRuleWords } from './restore-text';

const LAST_RULE_MARKER = 'must be the last rule';

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort group of a chain: KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-*, the rest. */
function chainGroup(name: string): number {
  if (name === 'KUBE-NODEPORTS') return 0;
  if (name === 'KUBE-SERVICES') return 1;
  return name.startsWith('KUBE-') ? 2 : 3;
}

/** The `--comment` word of a rule ('' if none). */
function commentOf(rule: string): string {
  const words = splitRuleWords(rule);
  const i = words.indexOf('--comment');
  return i >= 0 ? (words[i + 1] ?? '') : '';
}

/** Service key: the comment up to its first space or colon (`ns2/svc2:p80 cluster IP` → `ns2/svc2`). */
export function serviceKey(rule: string): string {
  return commentOf(rule).split(/[ :]/, 1)[0] ?? '';
}

/** Stable sort by service key (Array.prototype.sort is stable). */
function sortByServiceKey(rules: string[]): string[] {
  return rules
    .map((rule) => ({ rule, key: serviceKey(rule) }))
    .sort((a, b) => byteCompare(a.key, b.key))
    .map((r) => r.rule);
}

function sortRules(table: string, chain: ParsedChain): string[] {
  if (chain.name === 'KUBE-NODEPORTS' || (chain.name === 'KUBE-SERVICES' && table === 'filter')) {
    return sortByServiceKey(chain.rules);
  }
  if (chain.name === 'KUBE-SERVICES' && table === 'nat') {
    const last = chain.rules.filter((r) => commentOf(r).includes(LAST_RULE_MARKER));
    const rest = chain.rules.filter((r) => !commentOf(r).includes(LAST_RULE_MARKER));
    return [...sortByServiceKey(rest), ...last];
  }
  return chain.rules;
}

function renderTable(table: ParsedTable): string[] {
  const chains = [...table.chains].sort(
    (a, b) => chainGroup(a.name) - chainGroup(b.name) || byteCompare(a.name, b.name),
  );
  return [
    `*${table.name}`,
    ...chains.map((c) => `:${c.name} - ${c.counters}`),
    ...chains.flatMap((c) => sortRules(table.name, c)),
    ...chains.filter((c) => c.deleted).map((c) => `-X ${c.name}`),
    'COMMIT',
  ];
}

/**
 * N(text): parse, sort tables by name, sort chains and the per-service rules of the dispatch
 * chains, print with `-` policies; every line ends in `\n`. Idempotent: N(N(x)) === N(x).
 */
export function normaliseIptables(text: string): string {
  const tables = parseRestoreText(text).sort((a, b) => byteCompare(a.name, b.name));
  const lines = tables.flatMap(renderTable);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
