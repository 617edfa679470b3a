/**
 * `kubectl get pods|svc|endpoints|endpointslices|nodes|ingress|networkpolicy [NAME] [-o wide] [-n NS|-A]`
 * and `kubectl describe service|pod|node|ingress NAME`, answered from the model in kubectl's
 * layouts (core/render), with kubectl's errors (fixtures/tool-output/kubectl-errors.txt):
 * `Error from server (NotFound): pods "x" not found`, `error: the server doesn't have a resource
 * type "x"`, unknown flags and commands. "No resources found" goes to stderr, as kubectl writes it.
 * `kubectl exec` is kubectl-exec.ts.
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { GetOptions } from '../render/kubectl';
import { renderGetNodes, renderGetPods } from '../render/kubectl';
import { ENDPOINTS_DEPRECATED, renderDescribeService, renderGetEndpoints, renderGetEndpointSlices, renderGetServices } from '../render/kubectl-services';
import { renderDescribeIngress, renderGetIngress } from '../render/kubectl-ingress';
import { renderDescribeNode, renderDescribePod } from './kubectl-describe';
import { err, out } from './output';
import { completeExec, kubectlExec } from './kubectl-exec';

const HELP = `kubectl controls the Kubernetes cluster manager.

Basic Commands (hopscope answers these from the simulated cluster):
  get           Display one or many resources
  describe      Show details of a specific resource
  exec          Execute a command in a container

Usage:
  kubectl [flags] [options]
  kubectl get pods|svc|endpoints|endpointslices|nodes|ingress|networkpolicy [NAME] [-o wide] [-n NS | -A]
  kubectl describe service|pod|node|ingress NAME [-n NS]
  kubectl exec [-i] [-t] [-n NS] POD [-c CONTAINER] -- COMMAND [args...]
`;

type Kind = 'pods' | 'services' | 'endpoints' | 'endpointslices' | 'nodes' | 'ingresses' | 'networkpolicies';

const KINDS: Record<string, Kind> = {
  po: 'pods', pod: 'pods', pods: 'pods',
  svc: 'services', service: 'services', services: 'services',
  ep: 'endpoints', endpoints: 'endpoints',
  endpointslice: 'endpointslices', endpointslices: 'endpointslices',
  no: 'nodes', node: 'nodes', nodes: 'nodes',
  ing: 'ingresses', ingress: 'ingresses', ingresses: 'ingresses',
  netpol: 'networkpolicies', networkpolicy: 'networkpolicies', networkpolicies: 'networkpolicies',
};

interface KArgs {
  positionals: string[];
  namespace: string;
  all: boolean;
  output?: string;
}

function parse(ctx: ShellContext, verb: string, args: string[]): KArgs | ShellResult {
  const k: KArgs = { positionals: [], namespace: ctx.where.kind === 'pod' ? ctx.where.namespace : 'default', all: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n' || a === '--namespace') k.namespace = args[++i] ?? '';
    else if (a.startsWith('--namespace=')) k.namespace = a.slice(12);
    else if (a === '-A' || a === '--all-namespaces') k.all = true;
    else if (a === '-o' || a === '--output') k.output = args[++i] ?? '';
    else if (a.startsWith('-o')) k.output = a.slice(2).replace(/^=/, '');
    else if (a.startsWith('--output=')) k.output = a.slice(9);
    else if (a === '--no-headers' || a === '--show-labels') continue;
    else if (a.startsWith('-')) return err(`error: unknown flag: ${a.split('=')[0]}\nSee 'kubectl ${verb} --help' for usage.`, 1);
    else k.positionals.push(a);
  }
  return k;
}

/** A whole table, or only the header and the named row. */
function pick(table: string, name: string | undefined): string | null {
  if (!name) return table;
  const [head, ...rows] = table.split('\n');
  const row = rows.find((r) => r.split(/\s+/)[0] === name);
  return row ? `${head}\n${row}\n` : null;
}

function table(ctx: ShellContext, kind: Kind, o: GetOptions): string {
  switch (kind) {
    case 'pods':
      return renderGetPods(ctx.model, o);
    case 'services':
      return renderGetServices(ctx.model, o);
    case 'endpoints':
      return renderGetEndpoints(ctx.model, o);
    case 'endpointslices':
      return renderGetEndpointSlices(ctx.model, o);
    case 'nodes':
      return renderGetNodes(ctx.model, o);
    case 'ingresses':
      return renderGetIngress(ctx.model, o);
    default:
      // NetworkPolicy objects are not in the model yet: the answer for a cluster with none.
      return o.allNamespaces ? 'No resources found\n' : `No resources found in ${o.namespace} namespace.\n`;
  }
}

function get(ctx: ShellContext, k: KArgs): ShellResult {
  const [resource, name] = k.positionals;
  if (!resource) return err('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples', 1);
  const kind = KINDS[resource.toLowerCase()];
  if (!kind) return err(`error: the server doesn't have a resource type "${resource}"`, 1);
  if (k.output !== undefined && k.output !== 'wide') return err(`hopscope: -o ${k.output} is not modelled here; use -o wide (or the scenario editor for the objects themselves)`, 1);
  const o: GetOptions = { namespace: k.namespace, allNamespaces: k.all && !name, wide: k.output === 'wide' };
  const text = table(ctx, kind, o);
  const warn = kind === 'endpoints' ? `${ENDPOINTS_DEPRECATED}\n` : '';
  if (text.startsWith('No resources found')) return name ? err(`${warn}Error from server (NotFound): ${kind} "${name}" not found`) : { stdout: '', stderr: warn + text, exitCode: 0 };
  const one = pick(text, name);
  if (one === null) return err(`${warn}Error from server (NotFound): ${kind} "${name}" not found`);
  return warn ? { stdout: one, stderr: warn, exitCode: 0 } : out(one);
}

function describe(ctx: ShellContext, k: KArgs): ShellResult {
  const [resource, name] = k.positionals;
  if (!resource) return err('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.', 1);
  const kind = KINDS[resource.toLowerCase()];
  if (!kind) return err(`error: the server doesn't have a resource type "${resource}"`, 1);
  if (!name) return err(`hopscope: name the ${kind.replace(/s$/, '')} to describe: kubectl describe ${resource} NAME`, 1);
  let text: string | null = null;
  if (kind === 'services') text = renderDescribeService(ctx.model, name, k.namespace);
  else if (kind === 'pods') text = renderDescribePod(ctx.model, name, k.namespace);
  else if (kind === 'nodes') text = renderDescribeNode(ctx.model, name);
  else if (kind === 'ingresses') text = renderDescribeIngress(ctx.model, name, k.namespace);
  return text === null ? err(`Error from server (NotFound): ${kind} "${name}" not found`) : out(text);
}

/** kubectl takes its global flags before the verb too (`kubectl -n kube-system get pods`): moved after it. */
function verbFirst(args: string[]): string[] {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-') && args[i] !== '--') i += args[i] === '-n' || args[i] === '--namespace' ? 2 : 1;
  return i > 0 && i < args.length ? [args[i]!, ...args.slice(0, i), ...args.slice(i + 1)] : args;
}

function runKubectl(ctx: ShellContext, args: string[], stdin?: string): ShellResult {
  const [verb, ...rest] = verbFirst(args);
  if (!verb || verb === 'help' || verb === '-h') return out(HELP);
  if (verb === 'exec') return kubectlExec(ctx, rest, stdin);
  if (verb !== 'get' && verb !== 'describe') {
    if (['logs', 'apply', 'delete', 'edit', 'create', 'scale', 'run', 'expose', 'patch', 'label', 'port-forward', 'debug', 'top', 'explain', 'api-resources', 'version', 'config', 'cordon', 'drain'].includes(verb)) return err(`hopscope: \`kubectl ${verb}\` is not simulated (get, describe and exec are; change the cluster by editing the scenario)`, 1);
    return err(`error: unknown command "${verb}" for "kubectl"\nRun 'kubectl --help' for usage.`, 1);
  }
  if (rest.includes('--help') || rest.includes('-h')) return out(HELP);
  const k = parse(ctx, verb, rest);
  if ('exitCode' in k) return k;
  return verb === 'get' ? get(ctx, k) : describe(ctx, k);
}

function names(ctx: ShellContext, kind: Kind | undefined): string[] {
  if (kind === 'pods') return [...ctx.model.pods, ...(ctx.model.pendingPods ?? [])].map((p) => p.name);
  if (kind === 'services') return ctx.model.services.map((s) => s.metadata.name ?? '');
  if (kind === 'nodes') return ctx.model.nodes.map((n) => n.name);
  if (kind === 'endpointslices') return ctx.model.endpointSlices.map((e) => e.metadata.name ?? '');
  return [];
}

/** `kubectl get` and `kubectl describe` over the simulated cluster. */
export const kubectlCommand: Command = {
  name: 'kubectl',
  summary: 'get and describe pods, services, endpointslices, nodes; exec a command in a pod',
  help: HELP,
  run: runKubectl,
  complete(ctx, args) {
    if (args[0] === 'exec') return completeExec(ctx, args.slice(1));
    const words = args.filter((a) => !a.startsWith('-'));
    if (words.length <= 1) return ['get', 'describe', 'exec'];
    if (words.length === 2) return ['pods', 'services', 'svc', 'endpointslices', 'nodes', 'ingress', 'networkpolicy'];
    return names(ctx, KINDS[(words[1] ?? '').toLowerCase()]);
  },
};
