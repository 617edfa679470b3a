/**
 * Running one command in another network namespace of the node, as `ip netns exec NAME CMD…`
 * and `ip -n NAME OBJECT…` do (iproute2 ip/ipnetns.c `netns_exec`, lib/namespace.c
 * `netns_switch`): open /var/run/netns/NAME, setns(CLONE_NEWNET), remount /sys for that
 * namespace, bind-mount /etc/netns/NAME/* over /etc, then exec. Only the network namespace
 * changes: the container runtime never creates /etc/netns/cni-…, so the command still reads the
 * node's /etc/resolv.conf and /etc/hosts, and `hostname` is still the node's (the UTS and mount
 * namespaces of the pod are not entered, unlike `kubectl exec`). /sys/class/net and
 * /proc/sys/net follow the entered namespace.
 */
import type { Netns } from '../model/types';
import type { Command, ShellContext, ShellResult, Where } from './types';
import { err } from './output';

/** Finds a command by name; the registry hands its own in (it imports `ip`, so `ip` cannot import it). */
export type CommandLookup = (name: string) => Command | undefined;

let lookup: CommandLookup | undefined;

/** Called once by the registry, so `ip netns exec` can run any command the terminal knows. */
export function setNetnsExecLookup(l: CommandLookup): void {
  lookup = l;
}

/**
 * The namespace `ip netns list` shows as `name` from where the shell stands: the pod namespaces
 * of this node (only a node's root namespace has them under /var/run/netns).
 */
export function namedNetns(ctx: ShellContext, name: string): Netns | undefined {
  if (ctx.netns.kind !== 'node') return undefined;
  return [...ctx.model.netns.values()].find((n) => n.kind === 'pod' && n.node === ctx.netns.node && n.name === name);
}

/** lib/namespace.c's error for a name with no file under /var/run/netns (ip exits 255). */
export function cannotOpen(name: string): ShellResult {
  return err(`Cannot open network namespace "${name}": No such file or directory`, 255);
}

/** Runs a whole command line (`sh -c 'ip a | grep inet'`); index.ts hands its own in. */
export type LineRunner = (ctx: ShellContext, line: string) => ShellResult;

let lineRunner: LineRunner | undefined;

/** Called once by the shell, so `… sh -c LINE` runs LINE where the command was sent. */
export function setLineRunner(r: LineRunner): void {
  lineRunner = r;
}

/** The shells an exec may name: `sh -c LINE` runs LINE; without -c they would wait for input. */
const SHELLS = new Set(['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash']);

/**
 * What entering another place changes for the command run there: the network namespace
 * (setns CLONE_NEWNET), the mount namespace's files (`where`: resolv.conf, hosts), the UTS
 * namespace's host name, and the reference its flows start from. Unset fields stay the caller's.
 */
export interface Entered {
  netns?: Netns;
  where?: Where;
  hostname?: string;
  source?: string;
}

/**
 * Runs `words` with `entered` applied: the command sees that namespace's devices, routes, rules,
 * conntrack and sockets, and its flows start there. The shell's clock, flow counter and capture
 * stay shared, so the context is switched in place and restored. `execFailed` is the caller's
 * answer for a program the terminal does not know (each tool words execvp's failure its own way).
 */
export function runEntered(ctx: ShellContext, entered: Entered, words: string[], stdin: string | undefined, execFailed: (name: string) => ShellResult): ShellResult {
  const [name, ...args] = words;
  const shell = name !== undefined && SHELLS.has(name);
  const cmd = name !== undefined && !shell ? lookup?.(name) : undefined;
  if (!cmd && !shell) return execFailed(name ?? '');
  if (args[0] === '--help' && cmd) return { stdout: cmd.help, stderr: '', exitCode: 0 };
  const saved = { netns: ctx.netns, where: ctx.where, hostname: ctx.hostname, source: ctx.source };
  Object.assign(ctx, entered);
  try {
    if (cmd) return cmd.run(ctx, args, stdin);
    if (args[0] === '-c' && args[1] !== undefined && lineRunner) return lineRunner(ctx, args[1]);
    return err(`hopscope: an interactive ${name} is not simulated: give it the line to run (${name} -c 'ip addr | grep inet'), or run the command itself`, 1);
  } finally {
    Object.assign(ctx, saved);
  }
}

/**
 * Runs `words` inside `target`, as `ip netns exec` does: only the network namespace changes, and
 * flows start from the pod that owns it.
 */
export function runInNetns(ctx: ShellContext, target: Netns, words: string[], stdin?: string): ShellResult {
  const source = target.pod ? `pod/${target.pod}` : ctx.source;
  // execvp failed: ip's child prints this and exits 1.
  return runEntered(ctx, { netns: target, source }, words, stdin, (name) => err(`exec of "${name}" failed: No such file or directory`, 1));
}
