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
import type { RememberedLines } from './restore-memo';
import { parseRememberedRule, rememberedLines } from './restore-memo';
import type { RuleParseContext } from './rule-parse';
import { renderRule } from './render-rule';
import { tokenizeInto } from './tokenize';
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
  /** The parser's view of this table; `chain` is set before each rule. */
  ctx: RuleParseContext;
  /** Rules parsed from this text on other nodes during a compile (restore-memo.ts). */
  memo: RememberedLines | undefined;
}

/**
 * A chain name that owns its characters. Words are slices of the whole restore text (tens of
 * megabytes at 10k Services); a chain name lives as long as the chain, is compared when
 * iptables-save sorts chains and hashed on every lookup, and a slice is slower at both.
 * Concatenating and reading a character makes V8 copy it into a flat string of its own.
 */
function ownName(name: string): string {
  if (name.length < 13) return name;
  const own = name.slice(0, 1) + name.slice(1);
  own.charCodeAt(0);
  return own;
}

type Step = { ok: true } | { ok: false; error: string };

const OK: Step = { ok: true };
const NO_CHAIN = 'No chain/target/match by that name.';

/** A working copy of a table: new chain objects and rule arrays, shared rule objects. */
function openBlock(nf: NetfilterState, name: TableName, noflush: boolean, memo: RememberedLines | undefined): Block {
  const chains = new Map<string, Chain>();
  const current = nf.tables.get(name);
  for (const c of current?.chains.values() ?? []) {
    if (!noflush && !isBuiltinChain(name, c.name)) continue;
    chains.set(c.name, { ...c, rules: noflush ? [...c.rules] : [] });
  }
  for (const b of ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'])
    if (isBuiltinChain(name, b) && !chains.has(b)) chains.set(b, { name: b, policy: 'ACCEPT', rules: [], packets: 0, bytes: 0 });
  const ctx: RuleParseContext = {
    table: name,
    chain: '',
    hasChain: (n) => {
      const c = chains.get(n);
      return c !== undefined && !isBuiltinChain(name, c.name);
    },
    chainName: (n) => {
      const c = chains.get(n);
      return c !== undefined && !isBuiltinChain(name, c.name) ? c.name : undefined;
    },
  };
  return { name, table: { name, chains }, deleted: new Map(), ctx, memo };
}

/** `[0:0]`, what nearly every declaration carries: read only (declareChain copies out of it). */
const ZERO: readonly [number, number] = Object.freeze([0, 0] as [number, number]);

function parseCounters(s: string): readonly [number, number] | undefined {
  if (s === '[0:0]') return ZERO;
  const m = /^\[(\d+):(\d+)\]$/.exec(s);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** `:CHAIN POLICY [p:b]`. */
function declareChain(b: Block, words: readonly string[], counters: boolean): Step {
  const name = words[0]!.slice(1);
  const policy = words[1];
  const cnt = words[2];
  if (!name || policy === undefined) return { ok: false, error: 'Bad chain declaration' };
  const c = cnt === undefined ? ZERO : parseCounters(cnt);
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
  if (b.deleted.size) b.deleted.delete(name);
  const existing = b.table.chains.get(name);
  if (existing) existing.rules = [];
  else {
    const own = ownName(name);
    b.table.chains.set(own, { name: own, rules: [], packets: counters ? c[0] : 0, bytes: counters ? c[1] : 0 });
  }
  return OK;
}

/** Parses the rule in `words[from…]` for `chain` (the table's own string for its name). */
function parseRules(b: Block, chain: string, words: readonly string[], from: number, lineNo: number, line: string): { ok: true; parsed: Rule[] } | { ok: false; error: string } {
  b.ctx.chain = chain;
  return parseRememberedRule(b.memo, lineNo, line, words, b.ctx, from, parseRuleWords);
}

/** Index argument of -I/-D/-R (1-based) if the next word is a number. */
function ruleNumber(w: string | undefined): number | undefined {
  return w !== undefined && /^\d+$/.test(w) ? Number(w) : undefined;
}

/** Runs the command `words[at - 1]` whose arguments are `words[at…]`. */
function runCommand(b: Block, cmd: string, words: readonly string[], at: number, counters: readonly [number, number] | undefined, lineNo: number, line: string): Step {
  const chainName = words[at];
  const chain = chainName === undefined ? undefined : b.table.chains.get(chainName);
  switch (cmd) {
    case '-A':
    case '--append':
    case '-I':
    case '--insert':
    case '-R':
    case '--replace': {
      if (!chain) return { ok: false, error: NO_CHAIN };
      const append = cmd === '-A' || cmd === '--append';
      const num = append ? undefined : ruleNumber(words[at + 1]);
      const r = parseRules(b, chain.name, words, num === undefined ? at + 1 : at + 2, lineNo, line);
      if (!r.ok) return r;
      const rules = r.parsed;
      if (counters) for (const rule of rules) [rule.packets, rule.bytes] = counters;
      if (append) {
        if (rules.length === 1) chain.rules.push(rules[0]!);
        else chain.rules.push(...rules);
      } else if (cmd === '-I' || cmd === '--insert') {
        const pos = (num ?? 1) - 1;
        if (pos < 0 || pos > chain.rules.length) return { ok: false, error: 'Index of insertion too big.' };
        chain.rules.splice(pos, 0, ...rules);
      } else {
        if (num === undefined || num < 1 || num > chain.rules.length) return { ok: false, error: 'Index of replacement too big.' };
        chain.rules.splice(num - 1, 1, ...rules);
      }
      return OK;
    }
    case '-D':
    case '--delete': {
      if (!chain) return { ok: false, error: NO_CHAIN };
      const num = ruleNumber(words[at + 1]);
      if (num !== undefined && words.length - at === 2) {
        if (num < 1 || num > chain.rules.length) return { ok: false, error: 'Index of deletion too big.' };
        chain.rules.splice(num - 1, 1);
        return OK;
      }
      const r = parseRules(b, chain.name, words, at + 1, lineNo, line);
      if (!r.ok) return r;
      const want = renderRule(r.parsed[0]!);
      const pos = chain.rules.findIndex((x) => renderRule(x) === want);
      if (pos < 0) return { ok: false, error: 'Bad rule (does a matching rule exist in that chain?).' };
      chain.rules.splice(pos, 1);
      return OK;
    }
    case '-N':
    case '--new-chain':
      if (chainName === undefined) return { ok: false, error: 'option "-N" requires an argument' };
      if (chain) return { ok: false, error: 'Chain already exists.' };
      b.deleted.delete(chainName);
      {
        const own = ownName(chainName);
        b.table.chains.set(own, { name: own, rules: [], packets: 0, bytes: 0 });
      }
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
      const policy = words[at + 1];
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
  const memo = rememberedLines(text);
  // A text restored before in this compile is split and tokenized once (restore-memo.ts).
  const lines = memo ? (memo.lines ??= text.split('\n')) : text.split('\n');
  const noflush = !!options.noflush;
  const counters = !!options.counters;
  let block: Block | undefined;
  // One array for the words of every line: the parser copies what it keeps.
  const words: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    if (line === '') continue;
    const first = line.charCodeAt(0);
    if (first === 35 /* # */) continue;
    if (first === 42 /* * */) {
      if (block) return { ok: false, error: `table '${block.name}' was not committed`, line: lineNo };
      const name = line.slice(1).trim();
      if (!isTableName(name)) return { ok: false, error: `can't initialize iptables table \`${name}': Table does not exist (do you need to insmod?)`, line: lineNo };
      block = openBlock(nf, name, noflush, memo);
      continue;
    }
    if (!block) return { ok: false, error: 'no table specified', line: lineNo };
    if (line === 'COMMIT') {
      const v = validate(block);
      if (!v.ok) return v;
      nf.tables.set(block.name, block.table);
      block = undefined;
      continue;
    }
    const known = memo?.words[i];
    const tokError = known ? undefined : tokenizeInto(line, words);
    if (tokError !== undefined) return { ok: false, error: tokError, line: lineNo };
    if (memo && !known) memo.words[i] = words.slice();
    const w = known ?? words;
    let step: Step;
    if (first === 58 /* : */) step = declareChain(block, w, counters);
    else {
      // `[packets:bytes]` before the command.
      const c = w[0]!.charCodeAt(0) === 91 /* [ */ ? parseCounters(w[0]!) : undefined;
      const at = c ? 1 : 0;
      const cmd = w[at];
      step = cmd === undefined ? { ok: false, error: 'empty command' } : runCommand(block, cmd, w, at + 1, counters ? c : undefined, lineNo, line);
    }
    if (!step.ok) return { ok: false, error: step.error, line: lineNo };
  }
  if (block) return { ok: false, error: 'COMMIT expected', line: lines.length + 1 };
  return { ok: true };
}
