/**
 * The CLI commands of DESIGN §5, each a function of parsed arguments → output text and exit
 * code. They only call the core; formatting of the tools' text lives in core/render.
 */
import type { ClusterModel, Flow, Hop, LoadResult } from '../core/index';
import { formatDiagnostic, loadScenario, renderBridgeFdb, renderGetNodes, renderGetPods, renderIpAddr, renderIpLink, renderIpNeigh, renderIpRoute } from '../core/index';
import { renderIptablesSave } from '../core/render/iptables-save';
import { ENDPOINTS_DEPRECATED, renderDescribeService, renderGetEndpoints, renderGetEndpointSlices, renderGetServices } from '../core/render/kubectl-services';
import { renderRunResult } from '../core/render/run';
import { runTraffic } from '../core/simulate/run';
import { renderCniLog } from '../core/render/cni-log';
import { pendingReason } from '../core/simulate/refs';
import { renderIpvsadm } from '../core/render/ipvsadm';
import { renderNftTable } from '../core/render/nft';
import { readScenario, UsageError } from './io';
import { formatPacket } from './format-trace';
import { dnsCommand, ingressKubectl, resolvConfCommand, traceRequestCommand } from './dns-commands';

export interface CommandOutput {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Args {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

const ok = (stdout: string): CommandOutput => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): CommandOutput => ({ stdout: '', stderr: stderr.endsWith('\n') ? stderr : stderr + '\n', code });

function load(file: string | undefined): { r: LoadResult; model: ClusterModel; file: string } | CommandOutput {
  const text = readScenario(file);
  const r = loadScenario(text, file);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.model) return fail(errors.map((d) => formatDiagnostic(d, file!)).join('\n') || `${file}: cannot build the cluster`);
  return { r, model: r.model, file: file! };
}

export function check(a: Args): CommandOutput {
  const file = a.positionals[0];
  const r = loadScenario(readScenario(file), file);
  const lines = r.diagnostics.map((d) => formatDiagnostic(d, file!));
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
  const summary = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  return { stdout: errors ? '' : [...lines, summary].join('\n') + '\n', stderr: errors ? [...lines, summary].join('\n') + '\n' : '', code: errors ? 1 : 0 };
}

function hopLine(h: Hop): string {
  const where = `${h.netns}${h.device ? ` ${h.device}` : ''}`;
  return `${String(h.seq).padStart(3)}  ${h.stage.padEnd(26)} ${where}\n       ${formatPacket(h.packet)}\n       ${h.explain}\n`;
}

function flowText(f: Flow): string {
  let out = `${f.from} → ${f.to}: ${f.verdict}${f.reason ? ` (${f.reason})` : ''}${f.endpoint ? `, answered by ${f.endpoint}` : ''}\n\nrequest:\n`;
  out += f.hops.map(hopLine).join('');
  if (f.reply) out += `\nreply: ${f.reply.verdict}${f.reply.reason ? ` (${f.reply.reason})` : ''}\n` + f.reply.hops.map(hopLine).join('');
  return out;
}

export function trace(a: Args): CommandOutput {
  const from = a.values.from;
  const to = a.values.to;
  if (typeof from !== 'string' || typeof to !== 'string') throw new UsageError('trace needs --from REF and --to TARGET');
  const l = load(a.positionals[0]);
  if ('code' in l) return l;
  const seed = a.values.seed !== undefined ? Number(a.values.seed) : undefined;
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes an integer');
  const proto = typeof a.values.protocol === 'string' ? (a.values.protocol.toUpperCase() as 'TCP' | 'UDP' | 'ICMP') : undefined;
  // Names and URLs resolve first (their DNS flows are printed too); an HTTP(S) connection an
  // ingress controller accepts continues to the backend (cli/dns-commands.ts).
  return traceRequestCommand(l.model, { from, to, ...(proto ? { protocol: proto } : {}) }, seed, a.values.json === true, flowText);
}

const SHOW: Record<string, (m: ClusterModel, ns: NonNullable<ReturnType<ClusterModel['netns']['get']>>) => string> = {
  'ip-route': (_m, ns) => renderIpRoute(ns),
  'ip-addr': (m, ns) => renderIpAddr(m, ns),
  'ip-link': (m, ns) => renderIpLink(m, ns),
  'ip-neigh': (_m, ns) => renderIpNeigh(ns),
  'bridge-fdb': (_m, ns) => renderBridgeFdb(ns),
  'iptables-save': (_m, ns) => renderIptablesSave(ns.netfilter, { tables: ['nat', 'filter'] }),
  ipvsadm: (_m, ns) => renderIpvsadm(ns.ipvs),
  nft: (_m, ns) => (ns.nftables ?? []).map(renderNftTable).join('\n'),
  cni: (m, ns) => (ns.pod ? renderCniLog(m, ns.pod) : 'cni: use --pod NS/NAME: CNI is called per pod sandbox\n'),
};

export function show(a: Args): CommandOutput {
  const [file, what] = a.positionals;
  if (!what || (!SHOW[what] && what !== 'resolv-conf')) throw new UsageError(`show needs WHAT: one of ${[...Object.keys(SHOW), 'resolv-conf'].join(', ')}`);
  const l = load(file);
  if ('code' in l) return l;
  if (what === 'resolv-conf') {
    const out = resolvConfCommand(l.model, a.values.pod, a.values.node);
    if (!out) throw new UsageError('show resolv-conf needs --pod NS/NAME (or --node NAME)');
    return out;
  }
  const nodeName = a.values.node;
  const podRef = a.values.pod;
  let ns;
  if (typeof podRef === 'string') {
    const [pns, pname] = podRef.includes('/') ? podRef.split('/') : ['default', podRef];
    const pod = l.model.pods.find((p) => p.namespace === pns && p.name === pname);
    if (!pod) {
      // A pod left ContainerCreating has no netns to show, but its CNI calls (the failed ADD and
      // the runtime's DELs) are what explains why.
      const why = pendingReason(l.model, pns!, pname!);
      if (why && what === 'cni') return ok(renderCniLog(l.model, `${pns}/${pname}`));
      return fail(`hopscope: ${why ?? `no pod ${pns}/${pname}`}${why ? '; `show --pod NS/NAME cni` prints its CNI calls' : ''}`);
    }
    if (what === 'cni' && pod.hostNetwork) return ok(`pod ${pns}/${pname} has hostNetwork: true: it runs in ${pod.node}'s network namespace, so the runtime creates no sandbox namespace and calls no CNI plugin\n`);
    ns = l.model.netns.get(pod.netns);
  } else if (typeof nodeName === 'string') {
    const node = l.model.nodes.find((n) => n.name === nodeName);
    if (!node) return fail(`hopscope: no node ${nodeName} (nodes: ${l.model.nodes.map((n) => n.name).join(', ')})`);
    ns = l.model.netns.get(node.netns);
  } else throw new UsageError('show needs --node NAME (or --pod NS/NAME)');
  return ok(SHOW[what]!(l.model, ns!));
}

export function kubectl(a: Args): CommandOutput {
  const [file, verb, resource, name] = a.positionals;
  if ((verb !== 'get' && verb !== 'describe') || !resource) throw new UsageError('kubectl FILE get pods|nodes|svc|endpoints|endpointslices [-o wide] [-n NS|-A] | kubectl FILE describe service NAME [-n NS]');
  const l = load(file);
  if ('code' in l) return l;
  if (['ingress', 'ingresses', 'ing'].includes(resource)) return ingressKubectl(l.model, verb, name, { allNamespaces: a.values['all-namespaces'] === true, namespace: typeof a.values.namespace === 'string' ? a.values.namespace : 'default' });
  if (verb === 'describe') return describe(l.model, resource, name, typeof a.values.namespace === 'string' ? a.values.namespace : 'default');
  const o = { wide: a.values.output === 'wide', allNamespaces: a.values['all-namespaces'] === true, ...(typeof a.values.namespace === 'string' ? { namespace: a.values.namespace } : {}) };
  if (a.values.output !== undefined && a.values.output !== 'wide') throw new UsageError(`unsupported output format "${String(a.values.output)}" (use -o wide)`);
  switch (resource) {
    case 'pods':
    case 'pod':
    case 'po':
      return ok(renderGetPods(l.model, o));
    case 'nodes':
    case 'node':
    case 'no':
      return ok(renderGetNodes(l.model, o));
    case 'services':
    case 'service':
    case 'svc':
      return ok(renderGetServices(l.model, o));
    case 'endpointslices':
    case 'endpointslice':
      return ok(renderGetEndpointSlices(l.model, o));
    case 'endpoints':
    case 'ep':
      return { ...ok(renderGetEndpoints(l.model, o)), stderr: `${ENDPOINTS_DEPRECATED}\n` };
    default:
      return fail(`error: the server doesn't have a resource type "${resource}"`);
  }
}

function describe(model: ClusterModel, resource: string, name: string | undefined, namespace: string): CommandOutput {
  if (!['service', 'services', 'svc'].includes(resource)) return fail(`error: describe supports services only here, not "${resource}"`);
  if (!name) throw new UsageError('kubectl FILE describe service NAME [-n NS]');
  const text = renderDescribeService(model, name, namespace);
  return text === null ? fail(`Error from server (NotFound): services "${name}" not found`) : ok(text);
}

export function run(a: Args): CommandOutput {
  const l = load(a.positionals[0]);
  if ('code' in l) return l;
  const seed = a.values.seed !== undefined ? Number(a.values.seed) : undefined;
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes an integer');
  const r = runTraffic(l.model, l.r.scenario, seed !== undefined ? { seed } : {});
  const stdout = a.values.json ? JSON.stringify({ requests: r.requests.map(({ from, to, count, delivered, dropped, byEndpoint }) => ({ from, to, count, delivered, dropped, byEndpoint })) }, null, 2) + '\n' : renderRunResult(r);
  return { stdout, stderr: r.errors.map((e) => `hopscope: ${e}\n`).join(''), code: r.errors.length ? 1 : 0 };
}

export function dns(a: Args): CommandOutput {
  const [file, name] = a.positionals;
  const from = a.values.from;
  if (typeof from !== 'string' || !name) throw new UsageError('dns needs --from REF and a NAME');
  const l = load(file);
  if ('code' in l) return l;
  const seed = a.values.seed !== undefined ? Number(a.values.seed) : undefined;
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes an integer');
  return dnsCommand(l.model, from, name, { ...(seed !== undefined ? { seed } : {}), aaaa: a.values.aaaa === true });
}
