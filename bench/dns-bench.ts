/**
 * DNS benchmarks (issue 4): resolving 10,000 names against a cluster of 5,000 Services.
 * 1. The resolver and CoreDNS's zone alone (glibc search order, every question answered by
 *    the zone or the upstream zone, no packets): zone build time, lookups and questions per second.
 * 2. The same kind of lookups as real flows in a compiled cluster with 5,000 Services (every
 *    question a UDP walk through kube-proxy's iptables rules to a CoreDNS pod and back), on a
 *    sample, because each walk evaluates kube-proxy's O(n) KUBE-SERVICES chain.
 * Prints JSON lines; figures, not pass/fail.
 */
import type { Service } from '../src/core/k8s/types';
import type { Exchange } from '../src/core/dns/resolver';
import { buildClusterZone } from '../src/core/dns/zone';
import { corednsAnswer } from '../src/core/dns/coredns';
import { buildPublicZone, publicReply } from '../src/core/dns/upstream';
import { resolveName } from '../src/core/dns/resolver';
import { loadScenario } from '../src/core/compile/load';
import { lookupWithFlows } from '../src/core/simulate/dns-flows';
import { resolveSource } from '../src/core/simulate/refs';
import { emit } from './util';

const SERVICES = 5000;
const NAMESPACES = 50;
const LOOKUPS = 10000;

function services(): Service[] {
  const out: Service[] = [];
  for (let i = 0; i < SERVICES; i++) {
    const ns = `ns${i % NAMESPACES}`;
    const ip = `10.${96 + ((i >> 16) & 7)}.${(i >> 8) & 255}.${i & 255}`;
    const spec: Service['spec'] = i % 10 === 9 ? { type: 'ExternalName', externalName: 'example.com' } : { clusterIP: ip, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] };
    out.push({ kind: 'Service', metadata: { name: `svc${i}`, namespace: ns }, spec });
  }
  return out;
}

/** A mix: short names, name.ns, full names with a trailing dot, external names, missing names. */
function names(n: number): { name: string; ns: string }[] {
  const out: { name: string; ns: string }[] = [];
  for (let i = 0; i < n; i++) {
    const s = (i * 7919) % SERVICES;
    const ns = `ns${s % NAMESPACES}`;
    const kind = i % 5;
    const name = kind === 0 ? `svc${s}` : kind === 1 ? `svc${s}.${ns}` : kind === 2 ? `svc${s}.${ns}.svc.cluster.local.` : kind === 3 ? 'example.com' : `missing${i}`;
    out.push({ name, ns: kind === 0 ? ns : 'ns0' });
  }
  return out;
}

function benchPure(): void {
  const svcs = services();
  const t0 = performance.now();
  const zone = buildClusterZone({ clusterDomain: 'cluster.local', services: svcs, endpointSlices: [], pods: [] });
  const buildMs = performance.now() - t0;
  const upstream = buildPublicZone();
  let questions = 0;
  const exchange: Exchange = (_s, name, type) => {
    questions++;
    return { ok: true, reply: corednsAnswer(zone, name, type, (n, t) => ({ ok: true, reply: publicReply(upstream, n, t) })).reply };
  };
  const list = names(LOOKUPS);
  let resolved = 0;
  const t1 = performance.now();
  for (const { name, ns } of list) {
    const r = resolveName(name, { nameservers: ['10.96.0.10'], searches: [`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] }, exchange);
    if (!r.error) resolved++;
  }
  const ms = performance.now() - t1;
  emit({ bench: 'dns-resolve-zone', services: SERVICES, lookups: LOOKUPS, resolved, questions, zoneBuildMs: Math.round(buildMs * 10) / 10, totalMs: Math.round(ms * 10) / 10, lookupsPerSec: Math.round(LOOKUPS / (ms / 1000)), questionsPerSec: Math.round(questions / (ms / 1000)) });
}

function benchFlows(sample: number): void {
  const docs = [JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'dns' }, spec: { nodes: 3, cni: { plugin: 'flannel', backend: 'vxlan' } } })];
  // The namespaces exist first: the API server refuses objects in one nothing created.
  for (let i = 0; i < NAMESPACES; i++) docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns${i}` } }));
  docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'ns0' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] } }));
  for (let i = 0; i < SERVICES; i++) docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc${i}`, namespace: `ns${i % NAMESPACES}` }, spec: { ports: [{ name: 'http', port: 80 }] } }));
  const t0 = performance.now();
  const model = loadScenario(docs.join('\n---\n')).model!;
  const compileMs = performance.now() - t0;
  const src = resolveSource(model, 'pod/ns0/client');
  if (!src.ok) throw new Error(src.error);
  const list = names(sample);
  let flows = 0;
  let delivered = 0;
  const t1 = performance.now();
  list.forEach(({ name }, i) => {
    const l = lookupWithFlows(model, src.value, name, { index: i });
    for (const e of l.exchanges)
      for (const f of [e, ...e.forwards]) {
        flows++;
        if (f.flow.verdict === 'delivered') delivered++;
      }
  });
  const ms = performance.now() - t1;
  emit({ bench: 'dns-resolve-flows', services: SERVICES, lookups: sample, dnsFlows: flows, delivered, compileMs: Math.round(compileMs), totalMs: Math.round(ms), lookupsPerSec: Math.round(sample / (ms / 1000)), flowsPerSec: Math.round(flows / (ms / 1000)) });
}

benchPure();
benchFlows(Number(process.env.DNS_BENCH_FLOW_LOOKUPS ?? 100));
