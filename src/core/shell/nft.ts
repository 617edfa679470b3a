/**
 * `nft list ruleset|tables`: the model holds no nftables state of its own (kube-proxy's nftables
 * mode is not modelled yet), so the answer is the real tool's for an empty ruleset: nothing.
 * iptables rules live in the iptables view (`iptables-save`), as with iptables-legacy.
 */
import type { Command, ShellResult } from './types';
import { err, out } from './output';

const HELP = `Usage: nft [ options ] [ cmds... ]
  list ruleset        list every table, chain and rule
  list tables         list the tables
(hopscope: this cluster has no nftables ruleset; kube-proxy's rules are in iptables-save)
`;

function runNft(args: string[]): ShellResult {
  const words = args.filter((a) => !/^-[ans]+$/.test(a));
  if (!words.length) return err(HELP, 1);
  const [verb, what] = words;
  if (verb === 'list' && (what === 'ruleset' || what === 'tables')) return out('');
  if (verb === 'list' && (what === 'table' || what === 'chain')) return err(`Error: No such file or directory\n${words.join(' ')}\n${' '.repeat(words.slice(0, 2).join(' ').length + 1)}${'^'.repeat((words[2] ?? '').length)}`, 1);
  if (verb === '-h' || verb === '--help') return out(HELP);
  return err(`Error: syntax error, unexpected ${verb === 'list' ? `string, expecting ruleset or tables` : 'string'}\n${words.join(' ')}\n${'^'.repeat(verb!.length)}`, 1);
}

/** `nft`: the (empty) nftables ruleset. */
export const nftCommand: Command = {
  name: 'nft',
  summary: 'list the nftables ruleset (nft list ruleset)',
  help: HELP,
  run: (_ctx, args) => runNft(args),
  complete: (_ctx, args) => (args.length <= 1 ? ['list'] : ['ruleset', 'tables']),
};
