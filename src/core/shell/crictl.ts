/**
 * `crictl pods` and `crictl ps` on a node (cri-tools cmd/crictl sandbox.go, container.go): the
 * runtime's view of what the kubelet asked for. A pod is a *sandbox* — the pause container that
 * holds the pod's network namespace (spec/pod-networking.md §2) — and `crictl ps` lists the app
 * containers joined to it, each with its sandbox's POD ID. No pause container appears in
 * `crictl ps`: under CRI the sandbox is the pod itself (`docker ps` showed `k8s_POD_…` pause
 * containers only in the dockershim era).
 *
 * Tables as crictl's tabwriter lays them out (minwidth 20, padding 3); ids truncated to 13 hex
 * digits; CREATED from the shell's clock, the cluster having started with the terminal.
 */
import type { ModelPod } from '../model/types';
import type { Command, ShellContext, ShellResult } from './types';
import { containerId, imageId, sandboxId } from './runtime-ids';
import { crictlInspect } from './crictl-inspect';
import { err, out } from './output';

const HELP = `NAME:
   crictl - client for CRI

USAGE:
   crictl pods [-q] [--name NAME] [--namespace NS]   list pod sandboxes (newest first)
   crictl ps [-q] [--pod ID]                         list running containers
   crictl inspectp [-o json|go-template] [POD-ID…]   a sandbox's status and info (info.pid: its pause process)
   crictl inspect [-o json|go-template] CONTAINER-ID a container's status and info (info.pid)

(hopscope answers these from the simulated node; the rest of crictl is not simulated)
`;

/** docker/go-units HumanDuration, as crictl prints ages. */
function humanDuration(seconds: number): string {
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(seconds / 3600);
  return hours === 1 ? 'About an hour' : `${hours} hours`;
}

/** Go text/tabwriter with crictl's settings: every column but the last at least 20 wide, 3 spaces padding. */
function table(rows: string[][]): string {
  const widths = rows[0]!.slice(0, -1).map((_, c) => Math.max(20, ...rows.map((r) => (r[c] ?? '').length + 3)));
  return rows.map((r) => `${r.map((cell, c) => (c < widths.length ? cell.padEnd(widths[c]!) : cell)).join('')}\n`).join('');
}

/** This node's pods, newest first as crictl sorts them (the model keeps creation order). */
function podsHere(ctx: ShellContext): ModelPod[] {
  const node = ctx.where.kind === 'node' ? ctx.where.name : '';
  return ctx.model.pods.filter((p) => p.node === node).reverse();
}

function flag(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const a = args[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
}

function pods(ctx: ShellContext, args: string[]): ShellResult {
  const name = flag(args, '--name');
  const ns = flag(args, '--namespace');
  const list = podsHere(ctx).filter((p) => (name === undefined || p.name.includes(name)) && (ns === undefined || p.namespace.includes(ns)));
  if (args.includes('-q') || args.includes('--quiet')) return out(list.map((p) => sandboxId(ctx.model, p)).join('\n'));
  const age = `${humanDuration(ctx.now)} ago`;
  const rows = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'], ...list.map((p) => [sandboxId(ctx.model, p).slice(0, 13), age, 'Ready', p.name, p.namespace, '0', '(default)'])];
  return out(table(rows));
}

function containers(ctx: ShellContext, args: string[]): ShellResult {
  const podFilter = flag(args, '--pod') ?? flag(args, '-p');
  const rows: string[][] = [['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE']];
  const ids: string[] = [];
  const age = `${humanDuration(ctx.now)} ago`;
  for (const p of podsHere(ctx)) {
    const sandbox = sandboxId(ctx.model, p);
    if (podFilter !== undefined && !sandbox.startsWith(podFilter)) continue;
    for (const c of p.containers) {
      const id = containerId(ctx.model, p, c.name);
      // The kubelet passes the image *id* (a sha256 digest), which crictl truncates.
      const image = imageId(ctx.model, c).slice(0, 13);
      ids.push(id);
      rows.push([id.slice(0, 13), image, age, 'Running', c.name, '0', sandbox.slice(0, 13), p.name, p.namespace]);
    }
  }
  if (args.includes('-q') || args.includes('--quiet')) return out(ids.join('\n'));
  return out(table(rows));
}

function run(ctx: ShellContext, args: string[]): ShellResult {
  const [sub, ...rest] = args;
  if (!sub || sub === 'help' || sub === '-h') return out(HELP);
  // crictl talks to the node's containerd socket; a pod has neither.
  if (ctx.where.kind !== 'node') return err('hopscope: crictl runs on a node (it talks to containerd there); open a terminal on the pod’s node', 1);
  if (sub === 'pods') return pods(ctx, rest);
  if (sub === 'ps') return containers(ctx, rest);
  if (sub === 'inspect' || sub === 'inspectp') return crictlInspect(ctx, sub, rest);
  return err(`hopscope: \`crictl ${sub}\` is not simulated (crictl pods, ps, inspectp, inspect)`, 1);
}

/** `crictl`: the container runtime's pods (sandboxes) and containers on this node. */
export const crictlCommand: Command = {
  name: 'crictl',
  summary: 'the runtime’s pod sandboxes and containers on a node (pods, ps, inspectp, inspect)',
  help: HELP,
  run,
  complete: (_ctx, args) => (args.length <= 1 ? ['pods', 'ps', 'inspectp', 'inspect'] : []),
};
