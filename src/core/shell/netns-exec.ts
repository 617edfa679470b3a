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
import type { Command, ShellContext, ShellResult } from './types';
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

/**
 * Runs `words` inside `target`: the command sees that namespace's devices, routes, rules,
 * conntrack and sockets, and its flows start there (from the pod that owns it). The shell's
 * clock, flow counter and capture stay shared, so the context is switched in place and restored.
 */
export function runInNetns(ctx: ShellContext, target: Netns, words: string[], stdin?: string): ShellResult {
  const [name, ...args] = words;
  const cmd = name !== undefined ? lookup?.(name) : undefined;
  // execvp failed: ip's child prints this and exits 1.
  if (!cmd) return err(`exec of "${name ?? ''}" failed: No such file or directory`, 1);
  if (args[0] === '--help') return { stdout: cmd.help, stderr: '', exitCode: 0 };
  const saved = { netns: ctx.netns, source: ctx.source };
  ctx.netns = target;
  ctx.source = target.pod ? `pod/${target.pod}` : saved.source;
  try {
    return cmd.run(ctx, args, stdin);
  } finally {
    ctx.netns = saved.netns;
    ctx.source = saved.source;
  }
}
