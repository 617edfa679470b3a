/**
 * CLI commands for DNS and Ingress (DESIGN §5): `hopscope dns`, `show … resolv-conf`, the
 * name-resolving part of `trace`, and `kubectl get|describe ingress`. Formatting lives in
 * core/render; this file only maps arguments to core calls.
 */
import type { ClusterModel, Flow } from '../core/index';
import type { CommandOutput } from './commands';
import type { RequestTrace } from '../core/simulate/request';
import { traceRequest } from '../core/simulate/request';
import { lookupWithFlows } from '../core/simulate/dns-flows';
import { resolveSource } from '../core/simulate/refs';
import { podDnsConf, getDnsState } from '../core/dns/cluster-dns';
import { renderResolvConf } from '../core/dns/resolv-conf';
import { renderDnsLookup, questionLine } from '../core/render/dns-lookup';
import { renderDescribeIngress, renderGetIngress } from '../core/render/kubectl-ingress';
import type { GetOptions } from '../core/render/kubectl';

const ok = (stdout: string): CommandOutput => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): CommandOutput => ({ stdout: '', stderr: stderr.endsWith('\n') ? stderr : stderr + '\n', code });

/** `hopscope dns FILE --from REF NAME [--aaaa]`: every question in order with its answer. */
export function dnsCommand(model: ClusterModel, from: string, name: string, opts: { seed?: number; aaaa?: boolean }): CommandOutput {
  const src = resolveSource(model, from);
  if (!src.ok) return fail(`hopscope: ${src.error}`);
  const l = lookupWithFlows(model, src.value, name, { ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.aaaa ? { aaaa: true } : {}) });
  const text = renderDnsLookup(src.value.label, l);
  return l.resolution.error ? { stdout: text, stderr: '', code: 1 } : ok(text);
}

/** `hopscope show FILE resolv-conf --pod NS/NAME` (or `--node NAME`): the file, exactly. */
export function resolvConfCommand(model: ClusterModel, podRef: unknown, nodeName: unknown): CommandOutput | null {
  if (typeof podRef === 'string') {
    const [ns, name] = podRef.includes('/') ? podRef.split('/') : ['default', podRef];
    const pod = model.pods.find((p) => p.namespace === ns && p.name === name);
    if (!pod) return fail(`hopscope: no pod ${ns}/${name}`);
    const r = podDnsConf(model, pod);
    return { stdout: renderResolvConf(r.conf), stderr: r.notes.map((n) => `warning: ${n}\n`).join(''), code: 0 };
  }
  if (typeof nodeName === 'string') {
    if (!model.nodes.some((n) => n.name === nodeName)) return fail(`hopscope: no node ${nodeName}`);
    return ok(renderResolvConf(getDnsState(model).node));
  }
  return null;
}

/** The human text of a request: its DNS flows (each in full), then the connection(s). */
export function requestText(t: RequestTrace, flowText: (f: Flow) => string): string {
  let out = '';
  if (t.lookup) {
    const exchanges = t.lookup.exchanges.flatMap((e) => [{ e, forwarded: false }, ...e.forwards.map((f) => ({ e: f, forwarded: true }))]);
    out += `resolving ${t.lookup.resolution.name}: ${exchanges.length} DNS flow${exchanges.length === 1 ? '' : 's'}\n`;
    exchanges.forEach(({ e, forwarded }, i) => (out += `\n== DNS ${i + 1}${forwarded ? (e.relayedBy ? ` (relayed by ${e.relayedBy})` : ' (forwarded by CoreDNS)') : ''}: ${questionLine(e)}\n${flowText(e.flow)}`));
    out += t.error ? `\n${t.error}\n` : `\n${t.lookup.resolution.name} → ${t.lookup.resolution.addresses.join(', ')}\n\n== connection\n`;
  }
  if (t.flow) out += flowText(t.flow);
  if (t.ingress) {
    const i = t.ingress;
    out += `\n== ingress controller: HTTP ${i.status} — ${i.note}\n`;
    if (i.flow) out += flowText(i.flow);
  }
  return out;
}

/** The JSON of `trace --json`: DESIGN §5's shape for the connection, plus `dns` and `ingress`. */
export function requestJson(t: RequestTrace): string {
  const f = t.flow;
  const base = f ? { verdict: f.verdict, ...(f.reason ? { reason: f.reason } : {}), hops: f.hops, ...(f.reply ? { reply: f.reply } : {}) } : { verdict: 'dropped', reason: t.error ?? 'unresolved', hops: [] };
  const dns = t.lookup ? t.lookup.exchanges.flatMap((e) => [e, ...e.forwards]).map((e) => ({ question: questionLine(e), server: e.server, verdict: e.flow.verdict, ...(e.flow.reason ? { reason: e.flow.reason } : {}), ...(e.flow.endpoint ? { endpoint: e.flow.endpoint } : {}), hops: e.flow.hops, ...(e.flow.reply ? { reply: e.flow.reply } : {}) })) : undefined;
  const ing = t.ingress ? { host: t.ingress.host, path: t.ingress.path, status: t.ingress.status, ...(t.ingress.backend ? { backend: t.ingress.backend } : {}), ...(t.ingress.endpoint ? { endpoint: t.ingress.endpoint } : {}), ...(t.ingress.tls !== undefined ? { tls: t.ingress.tls } : {}), note: t.ingress.note, ...(t.ingress.flow ? { flow: { verdict: t.ingress.flow.verdict, hops: t.ingress.flow.hops, ...(t.ingress.flow.reply ? { reply: t.ingress.flow.reply } : {}) } } : {}) } : undefined;
  return JSON.stringify({ ...base, ...(dns ? { dns } : {}), ...(ing ? { ingress: ing } : {}) }, null, 2) + '\n';
}

/** `trace` through `traceRequest`: names resolve first, ingress legs follow. */
export function traceRequestCommand(model: ClusterModel, req: { from: string; to: string; protocol?: 'TCP' | 'UDP' | 'ICMP' }, seed: number | undefined, json: boolean, flowText: (f: Flow) => string): CommandOutput {
  const r = traceRequest(model, req, seed !== undefined ? { seed } : {});
  if (!r.ok) return fail(`hopscope: ${r.error}`);
  const stdout = json ? requestJson(r.trace) : requestText(r.trace, flowText);
  return { stdout, stderr: r.trace.error ? `hopscope: ${r.trace.error}\n` : '', code: r.trace.error ? 1 : 0 };
}

/** `kubectl get ingress` / `describe ingress NAME`. */
export function ingressKubectl(model: ClusterModel, verb: 'get' | 'describe', name: string | undefined, o: GetOptions): CommandOutput {
  if (verb === 'get') return ok(renderGetIngress(model, o));
  if (!name) return fail('error: describe ingress needs a NAME');
  const text = renderDescribeIngress(model, name, o.namespace ?? 'default');
  return text === null ? fail(`Error from server (NotFound): ingresses.networking.k8s.io "${name}" not found`) : ok(text);
}
