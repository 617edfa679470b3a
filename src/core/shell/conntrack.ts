/**
 * `conntrack -L [-p PROTO] [-s ADDR] [-d ADDR] [-n|-g]` and `conntrack -C`: the namespace's
 * connection tracking table, entries as conntrack-tools 1.4.7 prints them (core/netfilter), and
 * the summary line it writes to stderr ("N flow entries have been shown.").
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { ConntrackEntry } from '../netfilter/conntrack';
import { renderConntrackEntry } from '../netfilter/conntrack';
import { err, out, result } from './output';

const VERSION = 'conntrack v1.4.7 (conntrack-tools)';
const HELP = `Command line interface for the connection tracking system. Version 1.4.7
Usage: conntrack [commands] [options]

Commands:
  -L [table] [options]\t\tList conntrack or expectation table
  -C [table]\t\t\tShow counter
Options:
  -p, --proto proto\t\tLayer 4 Protocol, eg. 'tcp'
  -s, --orig-src IP\t\tSource address from original direction
  -d, --orig-dst IP\t\tDestination address from original direction
  -n, --src-nat\t\t\tList source NAT connections
  -g, --dst-nat\t\t\tList destination NAT connections
`;

interface Filter {
  proto?: string;
  src?: string;
  dst?: string;
  snat?: boolean;
  dnat?: boolean;
}

function keep(e: ConntrackEntry, f: Filter): boolean {
  if (f.proto && e.protocol !== f.proto) return false;
  if (f.src && e.orig.src !== f.src) return false;
  if (f.dst && e.orig.dst !== f.dst) return false;
  if (f.snat && !e.srcNat) return false;
  if (f.dnat && !e.dstNat) return false;
  return true;
}

function parse(args: string[]): { cmd: 'L' | 'C'; f: Filter } | ShellResult {
  let cmd: 'L' | 'C' | undefined;
  const f: Filter = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-L' || a === '--dump') cmd = 'L';
    else if (a === '-C' || a === '--count') cmd = 'C';
    else if (a === 'conntrack') continue;
    else if (a === '-p' || a === '--proto') f.proto = args[++i]?.toLowerCase();
    else if (a === '-s' || a === '--orig-src' || a === '--src') f.src = args[++i];
    else if (a === '-d' || a === '--orig-dst' || a === '--dst') f.dst = args[++i];
    else if (a === '-n' || a === '--src-nat') f.snat = true;
    else if (a === '-g' || a === '--dst-nat') f.dnat = true;
    else if (['-D', '-F', '-I', '-U', '-E', '--delete', '--flush', '--create', '--update', '--event'].includes(a)) return err(`hopscope: \`conntrack ${a}\` is not modelled: the table only changes as simulated traffic passes`, 2);
    else return err(`${VERSION}: unknown option \`${a}'\nTry \`conntrack -h' or 'conntrack --help' for more information.`, 2);
  }
  if (!cmd) return err(`${VERSION}: no command specified\nTry \`conntrack -h' or 'conntrack --help' for more information.`, 2);
  return { cmd, f };
}

function runConntrack(ctx: ShellContext, args: string[]): ShellResult {
  const p = parse(args);
  if ('exitCode' in p) return p;
  const entries = [...(ctx.netns.conntrack?.entries.values() ?? [])].filter((e) => e.confirmed && e.expires > ctx.now && keep(e, p.f));
  if (p.cmd === 'C') return out(String(entries.length));
  const lines = entries.map((e) => renderConntrackEntry(e, ctx.now)).join('\n');
  return result(lines, `${VERSION}: ${entries.length} flow entries have been shown.`, 0);
}

/** `conntrack`: connections the simulated traffic left in this namespace. */
export const conntrackCommand: Command = {
  name: 'conntrack',
  summary: 'list tracked connections and their NAT (conntrack -L)',
  help: HELP,
  run: runConntrack,
  complete: () => ['-L', '-C', '-p', '-s', '-d', '-n', '-g'],
};
