/**
 * `iptables -t TABLE -L|-S [CHAIN] [-n] [-v] [-x] [--line-numbers]` and `iptables-save [-t TABLE]
 * [-c]`, over the namespace's netfilter with the counters the simulated traffic left. Errors are
 * iptables v1.8.9's (fixtures/tool-output/iptables-errors.txt); commands that would change rules
 * are refused (the rules are kube-proxy's and the CNI plugin's; edit the scenario instead).
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { TableName } from '../netfilter/types';
import { isTableName, readTable } from '../netfilter/state';
import { renderIptablesSave } from '../render/iptables-save';
import { renderIptablesList, renderIptablesRules } from './iptables-list';
import { err, out } from './output';

const VERSION = 'iptables v1.8.9 (nf_tables)';
const TRY = "Try `iptables -h' or 'iptables --help' for more information.";
const TABLES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter'];
const MODIFY = ['-A', '--append', '-I', '--insert', '-D', '--delete', '-R', '--replace', '-N', '--new-chain', '-X', '--delete-chain', '-F', '--flush', '-P', '--policy', '-Z', '--zero', '-E', '--rename-chain'];

const HELP = `${VERSION}

Usage: iptables -[ACD] chain rule-specification [options]
       iptables -[LS] [chain [rulenum]] [options]
       iptables -h (print this help information)

Commands (hopscope answers the listing ones; changes are made by editing the scenario):
  --list    -L [chain]          List the rules in a chain or all chains
  --list-rules -S [chain]       Print the rules in a chain or all chains

Options:
  --table       -t table        table to manipulate (default: \`filter')
  --numeric     -n              numeric output of addresses and ports
  --verbose     -v              verbose mode (packet and byte counters, interfaces)
  --exact       -x              expand numbers (display exact values)
  --line-numbers                print line numbers when listing
`;

interface IptArgs {
  table: TableName;
  command?: 'L' | 'S';
  chain?: string;
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
}

/** Expands `-nvL` into `-n -v -L` as getopt does. */
function expandShort(args: string[]): string[] {
  return args.flatMap((a) => (/^-[a-zA-Z]{2,}$/.test(a) ? [...a.slice(1)].map((c) => `-${c}`) : [a]));
}

function parseArgs(raw: string[]): IptArgs | ShellResult {
  const args = expandShort(raw);
  const a: IptArgs = { table: 'filter', numeric: false, verbose: false, exact: false, lineNumbers: false };
  let tableName = 'filter';
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '-t' || w === '--table') tableName = args[++i] ?? '';
    else if (w === '-L' || w === '--list' || w === '-S' || w === '--list-rules') {
      if (a.command) return err(`${VERSION}: Cannot use -${w.includes('S') || w === '--list-rules' ? 'S' : 'L'} with -${a.command}\n${TRY}`, 2);
      a.command = w === '-L' || w === '--list' ? 'L' : 'S';
      if (args[i + 1] && !args[i + 1]!.startsWith('-')) a.chain = args[++i];
    } else if (w === '-n' || w === '--numeric') a.numeric = true;
    else if (w === '-v' || w === '--verbose') a.verbose = true;
    else if (w === '-x' || w === '--exact') a.exact = true;
    else if (w === '--line-numbers') a.lineNumbers = true;
    else if (w === '-w' || w === '--wait') {
      if (args[i + 1] && /^\d+$/.test(args[i + 1]!)) i++;
    } else if (MODIFY.includes(w)) return err(`hopscope: \`iptables ${w}\` would change rules that kube-proxy and the CNI plugin own; this terminal only inspects them (edit the scenario instead)`, 2);
    else if (w.startsWith('-')) return err(`${VERSION}: unknown option "${w}"\n${TRY}`, 2);
    else return err(`${VERSION}: Bad argument \`${w}'\n${TRY}`, 2);
  }
  if (!TABLES.includes(tableName as TableName)) return err(`${VERSION}: table '${tableName}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`, 3);
  a.table = tableName as TableName;
  return a;
}

function runIptables(ctx: ShellContext, raw: string[]): ShellResult {
  if (raw.includes('-h')) return out(HELP);
  if (raw.includes('-V') || raw.includes('--version')) return out(VERSION);
  const a = parseArgs(raw);
  if ('exitCode' in a) return a;
  if (!a.command) return err(`${VERSION}: no command specified\n${TRY}`, 2);
  const nf = ctx.netns.netfilter;
  const text = a.command === 'L' ? renderIptablesList(nf, a.table, a.chain, a) : renderIptablesRules(nf, a.table, a.chain);
  if (text === null) return err('iptables: No chain/target/match by that name.', 1);
  return out(text);
}

const SAVE_HELP = `Usage: iptables-save [-c] [-t <table>] [-M <command>]
  -c, --counters   include rule counters ([packets:bytes] before each rule)
  -t, --table      only this table
`;

function runSave(ctx: ShellContext, raw: string[]): ShellResult {
  let counters = false;
  let table: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i]!;
    if (w === '-c' || w === '--counters') counters = true;
    else if (w === '-t' || w === '--table') table = raw[++i];
    else if (w.startsWith('--table=')) table = w.slice(8);
    else if (w === '-h') return out(SAVE_HELP);
    else return err(`iptables-save: unrecognized option '${w}'\n${SAVE_HELP}`, 1);
  }
  if (table !== undefined && !TABLES.includes(table as TableName)) return err(`iptables-save v1.8.9 (nf_tables): table '${table}' does not exist`, 1);
  const tables = table ? [table as TableName] : undefined;
  return out(renderIptablesSave(ctx.netns.netfilter, { counters: true, ...(tables ? { tables } : {}) }).replace(/^\[\d+:\d+\] /gm, counters ? '$&' : ''));
}

function chainNames(ctx: ShellContext, args: string[]): string[] {
  const ti = args.indexOf('-t');
  const table = (ti >= 0 ? args[ti + 1] : 'filter') as TableName;
  return isTableName(table) ? [...readTable(ctx.netns.netfilter, table).chains.keys()] : [];
}

/** `iptables`: listing the namespace's rules with their counters. */
export const iptablesCommand: Command = {
  name: 'iptables',
  summary: 'list netfilter rules with counters (iptables -t nat -L KUBE-SERVICES -n -v)',
  help: HELP,
  run: runIptables,
  complete(ctx, args) {
    const prev = args[args.length - 2];
    if (prev === '-t') return [...TABLES];
    if (prev === '-L' || prev === '-S') return chainNames(ctx, args);
    return ['-t', '-L', '-S', '-n', '-v', '-x', '--line-numbers'];
  },
};

/** `iptables-save`: the rules as iptables-save prints them (chain counters real; rule counters with -c). */
export const iptablesSaveCommand: Command = {
  name: 'iptables-save',
  summary: 'dump the rules as iptables-save prints them ([-t nat|filter] [-c])',
  help: SAVE_HELP,
  run: runSave,
  complete: (_ctx, args) => (args[args.length - 2] === '-t' ? [...TABLES] : ['-t', '-c']),
};
