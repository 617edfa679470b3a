/**
 * `nft list ruleset|tables|table FAMILY NAME`: the namespace's nftables tables (kube-proxy's
 * `ip kube-proxy` in nftables mode) as nft 1.0.x prints them; an empty ruleset prints nothing.
 * iptables rules live in the iptables view (`iptables-save`), as with iptables-legacy.
 */
import type { Command, ShellContext, ShellResult } from './types';
import { renderNftTable } from '../render/nft';
import { err, out } from './output';

const HELP = `Usage: nft [ options ] [ cmds... ]
  list ruleset              list every table, chain and rule
  list tables               list the tables
  list table FAMILY NAME    list one table (e.g. nft list table ip kube-proxy)
(hopscope: iptables rules are shown by iptables-save, as with iptables-legacy)
`;

function caret(words: string[], at: number): string {
  const before = words.slice(0, at).join(' ').length + (at ? 1 : 0);
  return `${words.join(' ')}\n${' '.repeat(before)}${'^'.repeat((words[at] ?? '').length || 1)}`;
}

function runNft(ctx: ShellContext, args: string[]): ShellResult {
  const words = args.filter((a) => !/^-[ans]+$/.test(a));
  if (!words.length) return err(HELP, 1);
  const [verb, what] = words;
  const tables = ctx.netns.nftables ?? [];
  if (verb === 'list' && what === 'ruleset') return out(tables.map(renderNftTable).join(''));
  if (verb === 'list' && what === 'tables') return out(tables.map((t) => `table ${t.family} ${t.name}\n`).join(''));
  if (verb === 'list' && what === 'table') {
    const [family, name] = words[3] === undefined ? ['ip', words[2]] : [words[2], words[3]];
    const t = tables.find((x) => x.family === family && x.name === name);
    if (t) return out(renderNftTable(t));
    return err(`Error: No such file or directory\n${caret(words, words.length - 1)}`, 1);
  }
  if (verb === 'list' && what === 'chain') return err(`Error: No such file or directory\n${caret(words, words.length - 1)}`, 1);
  if (verb === '-h' || verb === '--help') return out(HELP);
  return err(`Error: syntax error, unexpected ${verb === 'list' ? `string, expecting ruleset or tables` : 'string'}\n${words.join(' ')}\n${'^'.repeat(verb!.length)}`, 1);
}

/** `nft`: the namespace's nftables ruleset. */
export const nftCommand: Command = {
  name: 'nft',
  summary: 'list the nftables ruleset (nft list ruleset)',
  help: HELP,
  run: (ctx, args) => runNft(ctx, args),
  complete: (_ctx, args) => (args.length <= 1 ? ['list'] : ['ruleset', 'tables', 'table']),
};
