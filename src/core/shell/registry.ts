/**
 * Every command the shell answers, found by name; `help` lists them and `command not found`
 * names them, so a newcomer sees what exists.
 */
import type { Command, ShellResult } from './types';
import { ipCommand } from './ip';
import { bridgeCommand } from './bridge';
import { iptablesCommand, iptablesSaveCommand } from './iptables';
import { ipvsadmCommand } from './ipvsadm';
import { nftCommand } from './nft';
import { conntrackCommand } from './conntrack';
import { kubectlCommand } from './kubectl';
import { curlCommand } from './curl';
import { pingCommand } from './ping';
import { tracerouteCommand } from './traceroute';
import { tcpdumpCommand } from './tcpdump';
import { ssCommand } from './ss';
import { crictlCommand } from './crictl';
import { nsenterCommand } from './nsenter';
import { digCommand, hostCommand, nslookupCommand } from './dns-tools';
import { getentCommand } from './getent';
import { BUILTINS } from './builtins';
import { setNetnsExecLookup } from './netns-exec';

const NETWORK: Command[] = [kubectlCommand, ipCommand, bridgeCommand, iptablesCommand, iptablesSaveCommand, ipvsadmCommand, nftCommand, conntrackCommand, curlCommand, pingCommand, tracerouteCommand, nslookupCommand, digCommand, hostCommand, getentCommand, tcpdumpCommand, ssCommand, crictlCommand, nsenterCommand];

function helpText(): string {
  const all = [...NETWORK, ...BUILTINS];
  const width = Math.max(...all.map((c) => c.name.length)) + 2;
  const list = (cs: Command[]) => cs.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n');
  return `Commands answered from the simulated cluster (NAME --help for each):\n${list(NETWORK)}\n\nShell:\n${list(BUILTINS)}\n  help${' '.repeat(width - 4)}this list\n\nJoin commands with ; && || and pipe into grep/head/tail/wc. Tab completes commands, resources and interfaces.\n`;
}

const HELP_COMMAND: Command = {
  name: 'help',
  summary: 'list the commands',
  help: 'help: list the commands this terminal answers\n',
  run: () => ({ stdout: helpText(), stderr: '', exitCode: 0 }),
};

const BY_NAME = new Map<string, Command>([...NETWORK, ...BUILTINS, HELP_COMMAND].map((c) => [c.name, c]));
BY_NAME.set('k', kubectlCommand);
BY_NAME.set('iptables-nft', iptablesCommand);
BY_NAME.set('iptables-nft-save', iptablesSaveCommand);

/** The command called `name` (aliases included), or undefined. */
export function getCommand(name: string): Command | undefined {
  return BY_NAME.get(name);
}

// `ip netns exec NAME CMD…` runs any of these commands in another namespace.
setNetnsExecLookup(getCommand);

/** Every command name, sorted (aliases included), for completion. */
export function commandNames(): string[] {
  return [...BY_NAME.keys()].sort();
}

/** bash's answer to an unknown command, followed by what this terminal does know. */
export function commandNotFound(name: string): ShellResult {
  const names = [...NETWORK, ...BUILTINS].map((c) => c.name).join(', ');
  return { stdout: '', stderr: `bash: ${name}: command not found\nhopscope: this terminal answers: ${names}, help\n`, exitCode: 127 };
}
