/**
 * The shell's contracts: where the user stands, what a command returns, and the context every
 * command reads. Commands are pure functions of (context, argv) → output; the only state they
 * change is the model's traffic state (conntrack, counters) through the flows they run, and the
 * shell's own clock, history and armed capture.
 */
import type { ClusterModel, Netns } from '../model/types';
import type { Flow } from '../trace/types';

/** Where a terminal stands: a node's root namespace, or a pod's (shared by its containers). */
export type Where = { kind: 'node'; name: string } | { kind: 'pod'; namespace: string; name: string; container?: string };

/** What one command line printed, as a terminal shows it. */
export interface ShellResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The simulated flows the line ran (curl, ping, traceroute, nslookup …), for the canvas. */
  flows?: Flow[];
}

/** A tcpdump armed by `tcpdump -i IFACE`: it prints the packets of the next flow that cross IFACE. */
export interface Capture {
  iface: string;
  /** `-n` / `-nn`: how many name lookups are turned off (ports are named unless `-nn`). */
  numeric: 0 | 1 | 2;
  /** `-e`: print link-level headers. */
  link: boolean;
  /** `-c N`: stop after N packets. */
  count?: number;
  /**
   * The namespace whose interface is captured, when it is not where the terminal stands
   * (`ip netns exec cni-… tcpdump -i eth0` captures the pod's eth0 for the next flow).
   */
  netns?: string;
}

/** Everything a command may read (and the few things it may change). */
export interface ShellContext {
  model: ClusterModel;
  where: Where;
  /** The network namespace the terminal stands in. */
  netns: Netns;
  /** `/etc/hostname`: the node name, or the pod name. */
  hostname: string;
  /** The source reference for flows: `node/NAME` or `pod/NS/NAME[/CONTAINER]`. */
  source: string;
  /** Simulated seconds since the shell started; each flow advances it by one. */
  now: number;
  /** Flows run so far; each gets its own index (own random stream and source port). */
  flowCount: number;
  seed?: number;
  capture?: Capture;
  /** Flows walked while a capture is armed (collected for tcpdump's output). */
  captured?: Flow[];
  history: string[];
  /** Files written by redirections (`> FILE`) in this session, by absolute path; read before the simulated ones. */
  written?: Map<string, string>;
}

/** One command (`ip`, `kubectl` …): its help text and its behaviour. */
export interface Command {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** What `NAME --help` prints (stdout, exit 0). */
  help: string;
  /** `stdin` is the previous command's stdout in a pipeline. */
  run(ctx: ShellContext, args: string[], stdin?: string): ShellResult;
  /** Completions for the word at `args[args.length - 1]` (the word being typed, maybe empty). */
  complete?(ctx: ShellContext, args: string[]): string[];
}
