/**
 * `iptables-restore [--noflush] [--counters]`: loads restore text into a netns's netfilter.
 *
 * Grammar (iptables-restore(8)): `*TABLE` opens a table; `:CHAIN POLICY [packets:bytes]`
 * declares a chain (`-` as the policy of a user chain) and flushes it if it exists; `-A`, `-I`,
 * `-D`, `-R`, `-N`, `-X`, `-F`, `-P`, `-Z` lines act as the iptables commands do, optionally
 * prefixed by `[packets:bytes]`; `COMMIT` ends the table; `#` lines and blank lines are ignored.
 * Without `noflush`, opening a table deletes its rules and user chains (policies stay).
 *
 * Like iptables-nft, each table block is applied atomically at its COMMIT: on an error nothing
 * of that block is applied, while tables committed earlier in the text stay (verified with
 * iptables v1.8.9). Deleting a chain that a rule still jumps to fails at COMMIT, reported on
 * the `-X` line ("Device or resource busy"), as the kernel reports it.
 */
import { isBuiltinChain, isTableName } from './state';
import { parseRuleWords } from './rule-parse';
import { renderRule } from './render-rule';
import { tokenize } from './tokenize';
import type { Chain, NetfilterState, Rule, Table, TableName } from './types';

/** Options of `restore`. */
export interface RestoreOptions {
  /** `--noflush`: keep what is not declared (kube-proxy always restores this way). */
  noflush?: boolean;
  /** `--counters`: take `[p:b]` counters from the text instead of zero. */
  counters?: boolean;
}

/** Success, or the first error with its 1-based line number. */
export type RestoreResult = { ok: true } | { ok: false; error: string; line: number };

interface Block {
  name: TableName;
  table: Table;
  /** Chains deleted with `-X`, with the line of the deletion. */
  deleted: Map<string, number>;
}

type Step = { ok: true } | { ok: false; error: string };

const OK: Step = { ok: true };
const NO_CHAIN = 'No chain/target/match by that name.';

/** A working copy of a table: new chain objects and rule arrays, shared rule objects. */
function openBlock(nf: NetfilterState, name: TableName, noflush: boolean): Block {
  const chains = new Map<string, Chain>();
  const current = nf.tables.get(name);
  for (const c of current?.chains.values() ?? []) {
    if (!noflush && !isBuiltinChain(name, c.name)) continue;
    chains.set(c.name, { ...c, rules: noflush ? [...c.rules] : [] });
  }
  for (const b of ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'])
    if (isBuiltinChain(name, b) && !chains.has(b)) chains.set(b, { name: b, policy: 'ACCEPT', rules: [], packets: 0, bytes: 0 });
  return { name, table: { name, chains }, deleted: new Map() };
}

function parseCounters(s: string): [number, number] | undefined {
  const m = /^\[(\d+):(\d+)\]$/.exec(s);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** `:CHAIN POLICY [p:b]`. */
function declareChain(b: Block, words: string[], counters: boolean): Step {
  const [name, policy, cnt] = [words[0]!.slice(1), words[1], words[2]];
  if (!name || policy === undefined) return { ok: false, error: 'Bad chain declaration' };
  const c: [number, number] | undefined = cnt === undefined ? [0, 0] : parseCounters(cnt);
  if (!c) return { ok: false, error: `invalid counters "${cnt ?? ''}" for chain ${name}` };
  const builtin = isBuiltinChain(b.name, name);
  if (builtin) {
    if (policy !== 'ACCEPT' && policy !== 'DROP') return { ok: false, error: `Can't set policy \`${policy}' on \`${name}'` };
    const chain = b.table.chains.get(name)!;
    chain.policy = policy;
    if (counters) [chain.packets, chain.bytes] = c;
    return OK;
  }
  if (policy !== '-') return { ok: false, error: `Can't set policy \`${policy}' on \`${name}': Bad built-in chain name` };
  b.deleted.delete(name);
  const existing = b.table.chains.get(name);
  if (existing) existing.rules = [];
  else b.table.chains.set(name, { name, rules: [], packets: counters ? c[0] : 0, bytes: counters ? c[1] : 0 });
  return OK;
}

function parseRules(b: Block, chain: string, words: string[]): { ok: true; rules: Rule[] } | { ok: false; error: string } {
  const r = parseRuleWords(words, { table: b.name, chain, hasChain: (n) => b.table.chains.has(n) && !isBuiltinChain(b.name, n) });
  return r.ok ? { ok: true, rules: r.parsed } : r;
}

/** Index argument of -I/-D/-R (1-based) if the next word is a number. */
function ruleNumber(w: string | undefined): number | undefined {
  return w !== undefined && /^\d+$/.test(w) ? Number(w) : undefined;
}

function runCommand(b: Block, cmd: string, words: string[], counters: [number, number] | undefined, lineNo: number): Step {
  const chainName = words[0];
  const chain = chainName === undefined ? undefined : b.table.chains.get(chainName);
  switch (cmd) {
    case '-A':
    case '--append':
    case '-I':
    case '--insert':
    case '-R':
    case '--replace': {
      if (!chain) return { ok: false, error: NO_CHAIN };
      const num = cmd === '-A' || cmd === '--append' ? undefined : ruleNumber(words[1]);
      const r = parseRules(b, chain.name, words.slice(num === undefined ? 1 : 2));
      if (!r.ok) return r;
      if (counters) for (const rule of r.rules) [rule.packets, rule.bytes] = counters;
      if (cmd === '-A' || cmd === '--append') chain.rules.push(...r.rules);
      else if (cmd === '-I' || cmd === '--insert') {
        const at = (num ?? 1) - 1;
        if (at < 0 || at > chain.rules.length) return { ok: false, error: 'Index of insertion too big.' };
        chain.rules.splice(at, 0, ...r.rules);
      } else {
        if (num === undefined || num < 1 || num > chain.rules.length) return { ok: false, error: 'Index of replacement too big.' };
        chain.rules.splice(num - 1, 1, ...r.rules);
      }
      return OK;
    }
    case '-D':
    case '--delete': {
      if (!chain) return { ok: false, error: NO_CHAIN };
      const num = ruleNumber(words[1]);
      if (num !== undefined && words.length === 2) {
        if (num < 1 || num > chain.rules.length) return { ok: false, error: 'Index of deletion too big.' };
        chain.rules.splice(num - 1, 1);
        return OK;
      }
      const r = parseRules(b, chain.name, words.slice(1));
      if (!r.ok) return r;
      const want = renderRule(r.rules[0]!);
      const at = chain.rules.findIndex((x) => renderRule(x) === want);
      if (at < 0) return { ok: false, error: 'Bad rule (does a matching rule exist in that chain?).' };
      chain.rules.splice(at, 1);
      return OK;
    }
    case '-N':
    case '--new-chain':
      if (chainName === undefined) return { ok: false, error: 'option "-N" requires an argument' };
      if (chain) return { ok: false, error: 'Chain already exists.' };
      b.deleted.delete(chainName);
      b.table.chains.set(chainName, { name: chainName, rules: [], packets: 0, bytes: 0 });
      return OK;
    case '-X':
    case '--delete-chain': {
      const names = chainName === undefined ? [...b.table.chains.keys()].filter((n) => !isBuiltinChain(b.name, n)) : [chainName];
      for (const n of names) {
        if (!b.table.chains.has(n) || isBuiltinChain(b.name, n)) return { ok: false, error: NO_CHAIN };
        b.table.chains.delete(n);
        b.deleted.set(n, lineNo);
      }
      return OK;
    }
    case '-F':
    case '--flush':
      if (chainName !== undefined && !chain) return { ok: false, error: NO_CHAIN };
      for (const c of chain ? [chain] : b.table.chains.values()) c.rules = [];
      return OK;
    case '-P':
    case '--policy': {
      const policy = words[1];
      if (!chain || !isBuiltinChain(b.name, chain.name)) return { ok: false, error: 'Bad built-in chain name' };
      if (policy !== 'ACCEPT' && policy !== 'DROP') return { ok: false, error: `Bad policy name \`${policy ?? ''}'` };
      chain.policy = policy;
      return OK;
    }
    case '-Z':
    case '--zero':
      for (const c of chain ? [chain] : b.table.chains.values()) {
        c.packets = 0;
        c.bytes = 0;
        for (const r of c.rules) r.packets = r.bytes = 0;
      }
      return OK;
    default:
      return { ok: false, error: `Bad argument \`${cmd}'` };
  }
}

/** At COMMIT: a deleted chain must not be the target of any remaining rule. */
function validate(b: Block): { ok: true } | { ok: false; error: string; line: number } {
  for (const [name, line] of b.deleted) {
    if (b.table.chains.has(name)) continue;
    for (const c of b.table.chains.values())
      if (c.rules.some((r) => r.target?.name === name && r.target.parsed === undefined && !r.target.unmodelled))
        return { ok: false, error: `CHAIN_DEL failed (Device or resource busy): chain ${name}`, line };
  }
  return { ok: true };
}

/** Loads `text` into `nf` as iptables-restore does. Never throws; the first error stops it. */
export function restore(nf: NetfilterState, text: string, options: RestoreOptions = {}): RestoreResult {
  const lines = text.split('\n');
  let block: Block | undefined;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fail = (error: string): RestoreResult => ({ ok: false, error, line: lineNo });
    if (line.startsWith('*')) {
      if (block) return fail(`table '${block.name}' was not committed`);
      const name = line.slice(1).trim();
      if (!isTableName(name)) return fail(`can't initialize iptables table \`${name}': Table does not exist (do you need to insmod?)`);
      block = openBlock(nf, name, !!options.noflush);
      continue;
    }
    if (!block) return fail('no table specified');
    if (line === 'COMMIT') {
      const v = validate(block);
      if (!v.ok) return v;
      nf.tables.set(block.name, block.table);
      block = undefined;
      continue;
    }
    const tok = tokenize(line);
    if (!tok.ok) return fail(tok.error);
    let words = tok.words;
    const step = line.startsWith(':')
      ? declareChain(block, words, !!options.counters)
      : (() => {
          const c = parseCounters(words[0]!);
          if (c) words = words.slice(1);
          const [cmd, ...rest] = words;
          if (cmd === undefined) return { ok: false, error: 'empty command' } as Step;
          return runCommand(block, cmd, rest, options.counters ? c : undefined, lineNo);
        })();
    if (!step.ok) return fail(step.error);
  }
  if (block) return { ok: false, error: 'COMMIT expected', line: lines.length + 1 };
  return { ok: true };
}
