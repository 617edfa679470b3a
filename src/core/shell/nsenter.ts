/**
 * `nsenter -t PID -n CMD…` and `nsenter --net=/var/run/netns/NAME CMD…` (util-linux
 * sys-utils/nsenter.c): run a command in the namespaces of another process, on a node. The PID is
 * a pod's pause process or one of its containers' (processes.ts; `crictl inspectp`/`inspect`
 * print them as info.pid), or 1, the node's init. Which namespaces are entered decides what the
 * command sees:
 * - `-n` / `--net`: the pod's devices, routes, sockets, conntrack; flows start from the pod —
 *   the files and the host name stay the node's, as under `ip netns exec`;
 * - `-u` / `--uts`: the pod's host name;
 * - `-m` / `--mount`: the container's files (the kubelet's resolv.conf, hosts). The pause
 *   process's root holds nothing but /pause, so no program can be run there;
 * - `-i`, `-p`, `-C`, `-U`, `-T`: entered, with nothing here that shows it; `-a` enters all.
 * Errors are nsenter's own, in its order: options, `no target PID specified`, `cannot open
 * /proc/PID/ns/…`, `no namespace specified`, then setns (a pod lacks CAP_SYS_ADMIN) and exec.
 */
import type { Netns } from '../model/types';
import type { Command, ShellContext, ShellResult, Where } from './types';
import type { Entered } from './netns-exec';
import { namedNetns, runEntered } from './netns-exec';
import { INIT_PID, findProcess, nodeProcesses } from './processes';
import { err, out } from './output';

const HELP = `
Usage:
 nsenter [options] [<program> [<argument>...]]

Run a program with namespaces of other processes.

Options:
 -a, --all                     enter all namespaces
 -t, --target <PID>            target process to get namespaces from
 -m, --mount[=<file>]          enter mount namespace
 -u, --uts[=<file>]            enter UTS namespace (hostname etc)
 -i, --ipc[=<file>]            enter System V IPC namespace
 -n, --net[=<file>]            enter network namespace
 -p, --pid[=<file>]            enter pid namespace
 -C, --cgroup[=<file>]         enter cgroup namespace
 -U, --user[=<file>]           enter user namespace
 -T, --time[=<file>]           enter time namespace

 -h, --help                    display this help

hopscope: PIDs are those of the node's pod sandboxes (crictl inspectp POD-ID: info.pid) and
containers (crictl inspect CONTAINER-ID), and 1 (the node). Files: /var/run/netns/cni-…
(ls /var/run/netns) and /proc/PID/ns/net.
`;

/** nsenter.c's namespace_files, in its order (the order it opens and reports them in). */
const KINDS = [
  { name: 'user', short: 'U', file: 'ns/user' },
  { name: 'cgroup', short: 'C', file: 'ns/cgroup' },
  { name: 'ipc', short: 'i', file: 'ns/ipc' },
  { name: 'uts', short: 'u', file: 'ns/uts' },
  { name: 'net', short: 'n', file: 'ns/net' },
  { name: 'pid', short: 'p', file: 'ns/pid' },
  { name: 'mount', short: 'm', file: 'ns/mnt' },
  { name: 'time', short: 'T', file: 'ns/time' },
] as const;
type Kind = (typeof KINDS)[number]['name'];

interface Options {
  target?: string;
  /** Enabled namespaces, each with the file given to it (`--net=FILE`), if any. */
  enabled: Map<Kind, string | undefined>;
  all: boolean;
  command: string[];
}

/** A process's namespaces as the shell can stand in them. */
interface Holder {
  netns: Netns;
  where: Where;
  hostname: string;
  /** The pause process: its mount namespace holds no programs. */
  pause: boolean;
}

function fail(text: string, code = 1): ShellResult {
  return err(`nsenter: ${text}`, code);
}

function tryHelp(text: string): ShellResult {
  return fail(`${text}\nTry 'nsenter --help' for more information.`);
}

/** getopt_long with nsenter's "+ahVt:m::u::…": stops at the first non-option; optional arguments only attached. */
function parse(args: string[]): Options | ShellResult {
  const o: Options = { enabled: new Map(), all: false, command: [] };
  let i = 0;
  const setTarget = (v: string | undefined): ShellResult | undefined => {
    if (v === undefined) return tryHelp("option requires an argument -- 't'");
    if (o.target !== undefined) return fail('option --target may be given only once');
    // strtoul_or_err at option time (util-linux 2.39; 2.41 words it "failed to parse PID argument").
    if (!/^\d+$/.test(v)) return fail(`failed to parse pid: '${v}'`);
    o.target = v;
    return undefined;
  };
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const value = eq < 0 ? undefined : a.slice(eq + 1);
      const kind = KINDS.find((k) => k.name === name);
      if (name === 'all') o.all = true;
      else if (name === 'target') {
        const e = setTarget(value ?? args[++i]);
        if (e) return e;
      } else if (name === 'help') return out(HELP);
      else if (kind) o.enabled.set(kind.name, value);
      else return tryHelp(`unrecognized option '${a}'`);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const kind = KINDS.find((k) => k.short === c);
      if (c === 'a') o.all = true;
      else if (c === 'h') return out(HELP);
      else if (c === 't') {
        const e = setTarget(j + 1 < a.length ? a.slice(j + 1) : args[++i]);
        if (e) return e;
        break;
      } else if (kind) {
        // An optional argument must be attached: `-n/var/run/netns/x`, never `-n FILE`.
        o.enabled.set(kind.name, j + 1 < a.length ? a.slice(j + 1) : undefined);
        break;
      } else return tryHelp(`invalid option -- '${c}'`);
    }
  }
  o.command = args.slice(i);
  return o;
}

/** The process `pid` as seen from where the shell stands, or undefined if /proc/PID does not exist there. */
function holderOf(ctx: ShellContext, pid: number): Holder | undefined {
  if (ctx.where.kind !== 'node') return undefined;
  const node = ctx.where.name;
  if (pid === INIT_PID) return { netns: ctx.netns, where: ctx.where, hostname: ctx.hostname, pause: false };
  const p = findProcess(ctx.model, node, pid);
  const netns = p && ctx.model.netns.get(p.pod.netns);
  if (!p || !netns) return undefined;
  const where: Where = p.container ? { kind: 'pod', namespace: p.pod.namespace, name: p.pod.name, container: p.container } : { kind: 'pod', namespace: p.pod.namespace, name: p.pod.name };
  return { netns, where, hostname: p.pod.hostNetwork ? node : p.pod.name, pause: !p.container };
}

/** A namespace file: /var/run/netns/NAME (or /run/netns/NAME) for a network namespace, or /proc/PID/ns/KIND. */
function holderOfFile(ctx: ShellContext, path: string, kind: Kind): Holder | undefined {
  const named = /^\/(?:var\/)?run\/netns\/([^/]+)$/.exec(path);
  if (named && kind === 'net') {
    const netns = namedNetns(ctx, named[1]!);
    return netns ? { netns, where: ctx.where, hostname: ctx.hostname, pause: false } : undefined;
  }
  const proc = /^\/proc\/(\d+)\/ns\/([a-z]+)$/.exec(path);
  const file = KINDS.find((k) => k.name === kind)!.file;
  return proc && `ns/${proc[2]}` === file ? holderOf(ctx, Number(proc[1])) : undefined;
}

/** The namespaces to enter, by kind, or nsenter's error. */
function resolve(ctx: ShellContext, o: Options): Map<Kind, Holder> | ShellResult {
  if (o.all) {
    // is_usable_namespace stats the target's user namespace first (to skip it when it is ours).
    if (o.target !== undefined && !holderOf(ctx, Number(o.target)) && !(ctx.where.kind === 'pod' && o.target === '1')) return fail(`stat of /proc/${o.target}/ns/user failed: No such file or directory`);
    for (const k of KINDS) if (!o.enabled.has(k.name) && k.name !== 'user') o.enabled.set(k.name, undefined);
  }
  const byFile = new Map<Kind, Holder>();
  // Files named on the command line are opened as the options are read, before the target's.
  for (const [kind, file] of o.enabled) {
    if (file === undefined) continue;
    const h = holderOfFile(ctx, file, kind);
    if (!h) return fail(`cannot open ${file}: No such file or directory`);
    byFile.set(kind, h);
  }
  const fromTarget = KINDS.filter((k) => o.enabled.has(k.name) && o.enabled.get(k.name) === undefined);
  let target: Holder | undefined;
  if (fromTarget.length) {
    if (o.target === undefined) return fail('no target PID specified');
    target = holderOf(ctx, Number(o.target));
    if (!target && !(ctx.where.kind === 'pod' && o.target === '1')) return fail(`cannot open /proc/${o.target}/${fromTarget[0]!.file}: No such file or directory`);
  }
  if (!byFile.size && !fromTarget.length) return fail('no namespace specified');
  // A pod's terminal sees only its own processes (PID 1 is its container), and without
  // CAP_SYS_ADMIN setns refuses the first namespace it opened (2.39 enters them one file at a
  // time; 2.40+ with a pidfd says "reassociate to namespaces failed").
  if (ctx.where.kind === 'pod') return fail(`reassociate to namespace '${KINDS.find((k) => o.enabled.has(k.name))!.file}' failed: Operation not permitted`);
  const entered = new Map(byFile);
  for (const k of fromTarget) entered.set(k.name, target!);
  return entered;
}

function run(ctx: ShellContext, args: string[], stdin?: string): ShellResult {
  const o = parse(args);
  if ('exitCode' in o) return o;
  const entered = resolve(ctx, o);
  if ('exitCode' in entered) return entered;
  const net = entered.get('net');
  const uts = entered.get('uts');
  const mnt = entered.get('mount');
  const patch: Entered = {};
  if (net) {
    patch.netns = net.netns;
    patch.source = net.netns.pod ? `pod/${net.netns.pod}${net.where.kind === 'pod' && net.where.container ? `/${net.where.container}` : ''}` : ctx.source;
  }
  if (uts) patch.hostname = uts.hostname;
  if (mnt) patch.where = mnt.where;
  if (!o.command.length) return err(`hopscope: nsenter without a program would start an interactive shell there, which is not simulated; give the program (nsenter ${args.join(' ')} ip addr)`, 1);
  // errexec(): ENOENT exits 127.
  const execFailed = (name: string) => fail(`failed to execute ${name}: No such file or directory`, 127);
  if (mnt?.pause) return execFailed(o.command[0]!);
  return runEntered(ctx, patch, o.command, stdin, execFailed);
}

/** `nsenter`: run a command in the namespaces of a pod's process (or a namespace file). */
export const nsenterCommand: Command = {
  name: 'nsenter',
  summary: 'run a command in a pod’s namespaces: nsenter -t PID -n CMD, nsenter --net=/var/run/netns/NAME CMD',
  help: HELP,
  run,
  complete(ctx, args) {
    const prev = args[args.length - 2];
    if (prev === '-t' || prev === '--target') {
      if (ctx.where.kind !== 'node') return [];
      return ['1', ...nodeProcesses(ctx.model, ctx.where.name).map((p) => String(p.pid))];
    }
    return ['-t', '-n', '-u', '-m', '-a', '--net=/var/run/netns/'];
  },
};
