/**
 * `kubectl exec [-i] [-t] [-q] [-n NS] (POD | TYPE/NAME) [-c CONTAINER] -- COMMAND [args…]` (TYPE a
 * pod, deployment, replicaset, daemonset or service: their first pod, as GetFirstPod picks it): runs a terminal
 * command inside a pod's container, as the kubelet's exec does (runc joins *all* the container's
 * namespaces): the pod's network namespace, its files (the kubelet's resolv.conf and hosts) and
 * its host name. Errors follow who raises them on a real cluster:
 * - kubectl (staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go, cmd/util/podcmd): flags, a missing
 *   pod or command, `Defaulted container "a" out of: a, b` for a pod of several containers;
 * - the API server (pkg/registry/core/pod/strategy.go streamLocation): NotFound, `container X is
 *   not valid for pod P`, `pod P does not have a host assigned` for a pod no node took;
 * - the kubelet (findContainer): `unable to upgrade connection: container not found ("c")` when
 *   the container does not run (its sandbox failed, or it is crash-looping);
 * - the runtime: runc's `executable file not found in $PATH` for a program the terminal does not
 *   know, and client-go's `command terminated with exit code N` for a command that failed.
 *
 * Deliberate simplification: every container has every command of this terminal, whatever its
 * image (a real busybox has no `ip route get` details and nginx has no curl); the help says so.
 */
import type { ModelPod, PendingPod } from '../model/types';
import type { ShellContext, ShellResult } from './types';
import { hexId } from '../util/rng';
import { runEntered } from './netns-exec';
import { err, out } from './output';

export const EXEC_HELP = `Execute a command in a container.

Examples:
  # Get output from running the 'date' command from pod mypod, using the first container by default
  kubectl exec mypod -- date

  # Get output from running the 'date' command in ruby-container from pod mypod
  kubectl exec mypod -c ruby-container -- date

  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
  # and sends stdout/stderr from 'bash' back to the client
  kubectl exec mypod -c ruby-container -i -t -- bash -il

  # List contents of /usr from the first container of pod mypod and sort by modification time
  # If the command you want to execute in the pod has any flags in common (e.g. -i),
  # you must use two dashes (--) to separate your command's flags/arguments
  # Also note, do not surround your command and its flags/arguments with quotes
  # unless that is how you would execute it normally (i.e., do ls -t /usr, not "ls -t /usr")
  kubectl exec mypod -i -t -- ls -t /usr

  # Get output from running 'date' command from the first pod of the deployment mydeployment, using the first container by default
  kubectl exec deploy/mydeployment -- date

  # Get output from running 'date' command from the first pod of the service myservice, using the first container by default
  kubectl exec svc/myservice -- date

Options:
    -c, --container='':
        Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the
        container to be attached or the first container in the pod will be chosen

    -q, --quiet=false:
        Only print output from the remote session

    -i, --stdin=false:
        Pass stdin to the container

    -t, --tty=false:
        Stdin is a TTY

Usage:
  kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]

hopscope: COMMAND is any command of this terminal (help lists them), run in the pod's network
namespace with the pod's /etc/resolv.conf, /etc/hosts and host name; \`sh -c 'LINE'\` runs a whole
line there. Every container is given every command, whatever its image (a real nginx image has no
curl and busybox's ip is smaller), and an interactive shell (\`-it -- sh\`) is not simulated.
`;

interface ExecArgs {
  namespace: string;
  container?: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
  help: boolean;
  /** The positional words before `--` (all of them when there is no `--`). */
  positionals: string[];
  /** The words after `--`, or undefined without one. */
  afterDash?: string[];
}

const BOOLS: Record<string, 'stdin' | 'tty' | 'quiet' | 'help'> = { i: 'stdin', t: 'tty', q: 'quiet', h: 'help', stdin: 'stdin', tty: 'tty', quiet: 'quiet', help: 'help' };
const VALUES: Record<string, 'container' | 'namespace'> = { c: 'container', n: 'namespace', container: 'container', namespace: 'namespace' };

function usageError(text: string): ShellResult {
  return err(`error: ${text}\nSee 'kubectl exec --help' for usage.`, 1);
}

/** pflag's parsing: flags may come anywhere before `--`, short ones bundled (`-it`, `-cweb`). */
function parseExecArgs(ctx: ShellContext, args: string[]): ExecArgs | ShellResult {
  const k: ExecArgs = { namespace: ctx.where.kind === 'pod' ? ctx.where.namespace : 'default', stdin: false, tty: false, quiet: false, help: false, positionals: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      k.afterDash = args.slice(i + 1);
      break;
    }
    if (a.startsWith('--')) {
      const [name, value] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
      if (BOOLS[name]) k[BOOLS[name]] = value === undefined || value === 'true';
      else if (VALUES[name]) {
        const v = value ?? args[++i];
        if (v === undefined) return usageError(`flag needs an argument: --${name}`);
        k[VALUES[name]] = v;
      } else if (name === 'pod-running-timeout') {
        if (value === undefined) i++;
      } else if (name === 'filename') return err('hopscope: kubectl exec -f is not simulated; name the pod', 1);
      else return usageError(`unknown flag: --${name}`);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (BOOLS[c]) k[BOOLS[c]] = true;
        else if (VALUES[c]) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return usageError(`flag needs an argument: '${c}' in -${c}`);
          k[VALUES[c]] = v;
          break;
        } else return usageError(`unknown shorthand flag: '${c}' in ${a}`);
      }
    } else k.positionals.push(a);
  }
  return k;
}

type Found = { pod: ModelPod } | { pending: PendingPod };

/** The controllers whose pods `kubectl exec KIND/NAME` picks from, by the owner their pods record. */
const OWNED: Record<string, { resource: string; owns: (owner: string, name: string) => boolean }> = {
  // A Deployment's pods belong to its ReplicaSet NAME-HASH.
  deployments: { resource: 'deployments.apps', owns: (o, n) => o.startsWith(`ReplicaSet/${n}-`) && !o.slice(`ReplicaSet/${n}-`.length).includes('-') },
  replicasets: { resource: 'replicasets.apps', owns: (o, n) => o === `ReplicaSet/${n}` },
  daemonsets: { resource: 'daemonsets.apps', owns: (o, n) => o === `DaemonSet/${n}` },
};

const KIND_NAMES: Record<string, string> = {
  po: 'pods', pod: 'pods', pods: 'pods',
  deploy: 'deployments', deployment: 'deployments', deployments: 'deployments', 'deployment.apps': 'deployments', 'deployments.apps': 'deployments',
  rs: 'replicasets', replicaset: 'replicasets', replicasets: 'replicasets',
  ds: 'daemonsets', daemonset: 'daemonsets', daemonsets: 'daemonsets',
  svc: 'services', service: 'services', services: 'services',
};

type PodLike = { namespace: string; labels: Record<string, string>; owner?: string };

/**
 * polymorphichelpers' GetFirstPod sorts with sort.Reverse(ActivePods): the most active pod first
 * (assigned before unassigned, running before pending, ready before not ready); the model's
 * creation order breaks the ties (the pods of one scenario start together).
 */
function firstPod(ctx: ShellContext, candidate: (p: PodLike) => boolean): Found | undefined {
  const running = ctx.model.pods.filter(candidate);
  const pod = running.find((p) => p.ready) ?? running[0];
  if (pod) return { pod };
  const pending = (ctx.model.pendingPods ?? []).filter(candidate);
  const first = pending.find((p) => p.node !== undefined) ?? pending[0];
  return first ? { pending: first } : undefined;
}

/** The pod a `POD` or `KIND/NAME` argument names, or the API server's (or kubectl's) error. */
function findTarget(ctx: ShellContext, namespace: string, resource: string): Found | ShellResult {
  const slash = resource.indexOf('/');
  const kind = slash < 0 ? 'pods' : KIND_NAMES[resource.slice(0, slash).toLowerCase()];
  const name = slash < 0 ? resource : resource.slice(slash + 1);
  if (!kind) return err(`error: the server doesn't have a resource type "${resource.slice(0, slash)}"`, 1);
  if (kind === 'pods') {
    const pod = ctx.model.pods.find((p) => p.namespace === namespace && p.name === name);
    if (pod) return { pod };
    const pending = ctx.model.pendingPods?.find((p) => p.namespace === namespace && p.name === name);
    return pending ? { pending } : err(`Error from server (NotFound): pods "${name}" not found`, 1);
  }
  if (kind === 'services') {
    const svc = ctx.model.services.find((s) => (s.metadata.namespace ?? 'default') === namespace && s.metadata.name === name);
    if (!svc) return err(`Error from server (NotFound): services "${name}" not found`, 1);
    const selector = Object.entries(svc.spec.selector ?? {});
    if (!selector.length) return err(`error: invalid service '${name}': Service is defined without a selector`, 1);
    // No pod yet: GetFirstPod watches for one until --pod-running-timeout (1m) runs out.
    return firstPod(ctx, (p) => p.namespace === namespace && selector.every(([k, v]) => p.labels[k] === v)) ?? err('error: timed out waiting for the condition', 1);
  }
  const owned = OWNED[kind]!;
  return firstPod(ctx, (p) => p.namespace === namespace && p.owner !== undefined && owned.owns(p.owner, name)) ?? err(`Error from server (NotFound): ${owned.resource} "${name}" not found`, 1);
}

/**
 * What stands between the request and a running process, checked in the order the three parties
 * check it; undefined when the command can run.
 */
function refusal(found: Found, name: string, container: string, asked: boolean): string | undefined {
  const p = 'pod' in found ? found.pod : found.pending;
  if (asked && !p.containers.some((c) => c.name === container)) return `Error from server (BadRequest): container ${container} is not valid for pod ${name}`;
  if ('pending' in found && found.pending.node === undefined) return `Error from server (BadRequest): pod ${name} does not have a host assigned`;
  // The kubelet looks among the running containers: none for a failed sandbox or a crash loop.
  const running = 'pod' in found && found.pod.containers.some((c) => c.name === container && c.crashLoop === undefined);
  return running ? undefined : `error: unable to upgrade connection: container not found ("${container}")`;
}

/** runc's answer when the program is not in the container's $PATH, relayed by the kubelet. */
function notFound(ctx: ShellContext, pod: ModelPod, container: string, program: string): ShellResult {
  const execId = hexId(ctx.model.seed, 64, 'exec', `${pod.namespace}/${pod.name}`, container, ctx.history.length);
  return err(`error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`, 1);
}

function runInContainer(ctx: ShellContext, pod: ModelPod, container: string, k: ExecArgs, command: string[], stdin: string | undefined): ShellResult {
  const entered = {
    netns: ctx.model.netns.get(pod.netns) ?? ctx.netns,
    where: { kind: 'pod' as const, namespace: pod.namespace, name: pod.name, container },
    // A hostNetwork pod shares the node's UTS namespace as well as its network.
    hostname: pod.hostNetwork ? pod.node : pod.name,
    source: `pod/${pod.namespace}/${pod.name}/${container}`,
  };
  // Without -i kubectl opens no stdin stream: the command reads nothing.
  const r = runEntered(ctx, entered, command, k.stdin ? stdin : undefined, (program) => notFound(ctx, pod, container, program));
  // With -i -t the remote side has one terminal: its stderr arrives on kubectl's stdout.
  const merged = k.stdin && k.tty ? { ...r, stdout: r.stdout + r.stderr, stderr: '' } : r;
  if (merged.exitCode === 0 || merged.stderr.startsWith('error: Internal error occurred')) return merged;
  return { ...merged, stderr: `${merged.stderr}command terminated with exit code ${merged.exitCode}\n` };
}

/** `kubectl exec …`; `stdin` is what a pipeline feeds kubectl (passed on only with -i). */
export function kubectlExec(ctx: ShellContext, args: string[], stdin?: string): ShellResult {
  const k = parseExecArgs(ctx, args);
  if ('exitCode' in k) return k;
  if (k.help) return out(EXEC_HELP);
  let warn = '';
  let command = k.afterDash ?? [];
  const [resource] = k.positionals;
  if (k.afterDash === undefined && k.positionals.length > 1) {
    if (!k.quiet) warn += 'kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n';
    command = k.positionals.slice(1);
  }
  if (resource === undefined) return err('error: pod, type/name or --filename must be specified', 1);
  if (!command.length) return err('error: you must specify at least one command for the container', 1);
  const found = findTarget(ctx, k.namespace, resource);
  if ('exitCode' in found) return { ...found, stderr: warn + found.stderr };
  const target = 'pod' in found ? found.pod : found.pending;
  const name = target.name;
  const containers = target.containers;
  let container = k.container;
  if (container === undefined) {
    container = containers[0]?.name ?? '';
    if (containers.length > 1 && !k.quiet) warn += `Defaulted container "${container}" out of: ${containers.map((c) => c.name).join(', ')}\n`;
  }
  const refused = refusal(found, name, container, k.container !== undefined);
  if (refused !== undefined || !('pod' in found)) return err(`${warn}${refused ?? ''}`, 1);
  const r = runInContainer(ctx, found.pod, container, k, command, stdin);
  return warn ? { ...r, stderr: warn + r.stderr } : r;
}

/** Completions after `kubectl exec`: pod names, the containers after -c. */
export function completeExec(ctx: ShellContext, words: string[]): string[] {
  const prev = words[words.length - 2];
  const ns = (() => {
    const i = words.findIndex((w) => w === '-n' || w === '--namespace');
    return i >= 0 ? words[i + 1] : ctx.where.kind === 'pod' ? ctx.where.namespace : 'default';
  })();
  const inNs = [...ctx.model.pods, ...(ctx.model.pendingPods ?? [])].filter((p) => p.namespace === ns);
  if (prev === '-n' || prev === '--namespace') return [...new Set([...ctx.model.pods, ...(ctx.model.pendingPods ?? [])].map((p) => p.namespace))];
  if (prev === '-c' || prev === '--container') {
    const pod = inNs.find((p) => words.includes(p.name));
    return pod ? pod.containers.map((c) => c.name) : [];
  }
  return inNs.map((p) => p.name);
}
