/**
 * `hopscope run` (DESIGN §5): every request of every Traffic object, `count` times, each flow
 * with its own index (so its own random stream and source port: a new connection, as the seed
 * client opens one per request). Faults are applied in order between requests, once `after`
 * requests have been sent in total; each fault changes pods or nodes, then the EndpointSlice
 * controller and kube-proxy on every node react, as the real control loops do.
 *
 * WARNING: mutates `model` (conntrack, recent lists, pods, rules). Load a fresh model per run.
 * Never throws: unknown fault targets and unresolvable requests are listed in `errors`.
 */
import type { ClusterModel, ModelPod } from '../model/types';
import type { Scenario, TrafficFault, TrafficRequest } from '../scenario/types';
import type { CniContext } from '../cni/types';
import { traceFlow } from './flow';
import type { FlowResult } from './flow';
import { resolveCluster } from '../compile/resolved';
import { resyncServiceNetwork } from '../compile/service-network';
import { getNetworkPlugin } from '../cni/registry';
import { stopPodSandbox } from '../controllers/runtime';
import { isIPv4 } from '../util/ip';
import { setDeviceUp } from '../model/netns';
import { proxyLeg } from './proxies';
import { pendingReason } from './refs';

/** One request's outcome, as `hopscope run --json` prints it. */
export interface RequestTally {
  from: string;
  to: string;
  count: number;
  delivered: number;
  dropped: number;
  /** Answers per pod (`NS/POD`) or node. */
  byEndpoint: Record<string, number>;
  /** Drops per reason. */
  reasons: Record<string, number>;
}

export interface RunOptions {
  /** Overrides the cluster's seed. */
  seed?: number;
  /** Called with every flow as it is traced (the web UI keeps a few of them to animate). */
  onFlow?: (req: TrafficRequest, repetition: number, result: FlowResult) => void;
}

export interface RunResult {
  requests: RequestTally[];
  /** Faults that name nothing, requests that cannot start. */
  errors: string[];
}

interface Fault extends TrafficFault {
  after: number;
}

/** Runs the scenario's Traffic against `model`. */
export function runTraffic(model: ClusterModel, scenario: Scenario, opts: RunOptions = {}): RunResult {
  const requests: TrafficRequest[] = scenario.traffic.flatMap((t) => t.value.spec?.requests ?? []);
  const faults: Fault[] = scenario.traffic.flatMap((t) => t.value.spec?.faults ?? []).map((f) => ({ ...f, after: f.after ?? 0 }));
  const errors: string[] = [];
  const applyFault = faultApplier(model, scenario, errors);
  const out: RequestTally[] = [];
  let sent = 0;
  let nextFault = 0;
  for (const req of requests) {
    const count = req.count ?? 1;
    const tally: RequestTally = { from: req.from, to: req.to, count, delivered: 0, dropped: 0, byEndpoint: {}, reasons: {} };
    out.push(tally);
    for (let i = 0; i < count; i++) {
      while (nextFault < faults.length && faults[nextFault]!.after <= sent) applyFault(faults[nextFault++]!);
      const to = resolveServiceName(model, req.to, namespaceOf(req.from));
      const flowOpts = { index: sent, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
      const r = traceFlow(model, { from: req.from, to, ...(req.protocol ? { protocol: req.protocol } : {}) }, flowOpts);
      sent++;
      opts.onFlow?.(req, i, r);
      if (!r.ok) {
        if (!errors.includes(`${req.from} → ${req.to}: ${r.error}`)) errors.push(`${req.from} → ${req.to}: ${r.error}`);
        tally.dropped++;
        tally.reasons['error'] = (tally.reasons['error'] ?? 0) + 1;
        continue;
      }
      // A proxying socket (userspace kube-proxy) answers with its own connection's outcome.
      const leg = proxyLeg(model, r.flow, flowOpts);
      const final = leg ? (leg.flow ?? { ...r.flow, verdict: 'dropped' as const, reason: 'no-endpoints' }) : r.flow;
      if (final.verdict === 'delivered') {
        tally.delivered++;
        const who = final.endpoint ?? 'unknown';
        tally.byEndpoint[who] = (tally.byEndpoint[who] ?? 0) + 1;
      } else {
        tally.dropped++;
        const why = final.reason ?? 'unknown';
        tally.reasons[why] = (tally.reasons[why] ?? 0) + 1;
      }
    }
  }
  while (nextFault < faults.length) applyFault(faults[nextFault++]!);
  return { requests: out, errors };
}

function namespaceOf(from: string): string {
  const parts = from.split('/');
  return parts[0] === 'pod' && parts.length >= 3 ? parts[1]! : 'default';
}

/**
 * A Service name in `to` (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.<domain>`) replaced by the
 * address cluster DNS would answer: the ClusterIP, or for a headless Service its first ready
 * endpoint. A stand-in for the DNS model: no query packets are walked. Other text is unchanged.
 */
export function resolveServiceName(model: ClusterModel, to: string, clientNs: string): string {
  const m = /^([a-z]+:\/\/)?([^/:]+)(.*)$/i.exec(to.trim());
  if (!m) return to;
  const host = m[2]!;
  if (isIPv4(host) || host.includes('/')) return to;
  const domain = `.svc.${model.clusterDomain}`;
  const bare = host.endsWith(domain) ? host.slice(0, -domain.length) : host.endsWith('.svc') ? host.slice(0, -4) : host;
  const [name, ns = clientNs, ...rest] = bare.split('.');
  if (rest.length) return to;
  const svc = model.services.find((s) => s.metadata.name === name && (s.metadata.namespace ?? 'default') === ns);
  if (!svc) return to;
  let ip = svc.spec.clusterIP;
  if (ip === 'None') {
    const slice = model.endpointSlices.find((e) => e.metadata.labels?.['kubernetes.io/service-name'] === name && (e.metadata.namespace ?? 'default') === ns && (e.endpoints ?? []).some((x) => x.conditions?.ready !== false));
    ip = slice?.endpoints?.find((x) => x.conditions?.ready !== false)?.addresses[0];
  }
  return ip && isIPv4(ip) ? `${m[1] ?? ''}${ip}${m[3]}` : to;
}

function podName(target: string): [string, string] {
  const parts = target.split('/');
  return parts.length === 2 ? ['default', parts[1] ?? ''] : [parts[1] ?? '', parts[2] ?? ''];
}

function findPod(model: ClusterModel, target: string): ModelPod | undefined {
  const [ns, name] = podName(target);
  return model.pods.find((p) => p.namespace === ns && p.name === name);
}

/** Applies one fault, then lets the controllers and kube-proxy catch up. */
function faultApplier(model: ClusterModel, scenario: Scenario, errors: string[]): (f: Fault) => void {
  const wasReady = new Map<string, boolean>();
  return (f) => {
    const ok = f.action === 'node-down' || f.action === 'node-up' ? nodeFault(model, f, wasReady) : podFault(model, scenario, f);
    if (!ok) errors.push(`fault ${f.action} ${f.target}: ${f.action.startsWith('node') ? 'no such node' : (pendingReason(model, ...podName(f.target)) ?? 'no such pod')}`);
    else resyncServiceNetwork(model);
  };
}

function podFault(model: ClusterModel, scenario: Scenario, f: Fault): boolean {
  const pod = findPod(model, f.target);
  if (!pod) return f.action === 'delete' && deletePending(model, f.target);
  if (f.action === 'not-ready') pod.ready = false;
  else if (f.action === 'ready') pod.ready = true;
  else if (f.action === 'delete') {
    // The grace period is not modelled: the pod is gone, its sandbox torn down through CNI DEL.
    model.pods = model.pods.filter((p) => p !== pod);
    if (!pod.hostNetwork) {
      const cluster = resolveCluster(scenario.cluster?.value ?? null, () => {});
      const ctx: CniContext = { model, cluster, report: () => {} };
      stopPodSandbox(ctx, getNetworkPlugin(cluster.cni.plugin), pod);
    }
  }
  return true;
}

/**
 * Deletes a pod left ContainerCreating (model.pendingPods). The API server deletes it like any
 * pod; the kubelet has nothing to tear down, as it already ran CNI DEL after the failed ADD.
 */
function deletePending(model: ClusterModel, target: string): boolean {
  const [ns, name] = podName(target);
  const pending = model.pendingPods?.filter((p) => !(p.namespace === ns && p.name === name));
  if (!pending || pending.length === model.pendingPods!.length) return false;
  if (pending.length) model.pendingPods = pending;
  else delete model.pendingPods; // absent when there are none (model/types.ts)
  return true;
}

/** A node going down: its NIC stops, the node lifecycle controller marks its pods not ready. */
function nodeFault(model: ClusterModel, f: Fault, wasReady: Map<string, boolean>): boolean {
  const name = f.target.split('/')[1];
  const node = model.nodes.find((n) => n.name === name);
  if (!node) return false;
  const down = f.action === 'node-down';
  node.ready = !down;
  const ns = model.netns.get(node.netns);
  for (const d of ns?.devices ?? []) if (d.kind === 'nic') setDeviceUp(d, !down);
  for (const p of model.pods.filter((q) => q.node === node.name)) {
    const key = `${p.namespace}/${p.name}`;
    if (down) {
      if (!wasReady.has(key)) wasReady.set(key, p.ready);
      p.ready = false;
    } else {
      p.ready = wasReady.get(key) ?? p.ready;
      wasReady.delete(key);
    }
  }
  return true;
}
