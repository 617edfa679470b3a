// Golden traces: full JSON of representative flows over every CNI plugin/backend and every
// kube-proxy mode, recorded from the code as it was before the trace-throughput work (issue 2)
// and compared byte for byte, so an optimisation of the datapath, netfilter, conntrack or
// routing can never change what a trace says. The same flows also leave the model in a state
// (rule counters, conntrack, neighbours, FDB, IPVS connections) that is rendered and compared.
//
// Regenerate only when a change of behaviour is intended: UPDATE_GOLDEN=1 npx vitest run
// src/core/simulate/golden-traces.test.ts (fixtures/traces/ORIGIN.md says how it was made).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { conntrackOf } from '../model/netns';
import { renderIptablesSave } from '../render/iptables-save';
import { renderIpNeigh } from '../render/ip-neigh';
import { renderBridgeFdb } from '../render/bridge-fdb';
import { renderIpvsadm } from '../render/ipvsadm';
import { renderNftTable } from '../render/nft';
import { renderConntrack } from '../netfilter/conntrack';
import { traceFlow } from './flow';
import { traceRequest } from './request';

const DIR = join(__dirname, '../../../fixtures/traces');

interface Case {
  name: string;
  cni: Record<string, unknown>;
  proxy?: Record<string, unknown>;
  dns?: boolean;
  policy?: boolean;
}

const CASES: Case[] = [
  { name: 'bridge-iptables', cni: { plugin: 'bridge' } },
  { name: 'kubenet-iptables-dns', cni: { plugin: 'kubenet' }, dns: true },
  { name: 'flannel-vxlan-iptables', cni: { plugin: 'flannel', backend: 'vxlan' } },
  { name: 'flannel-hostgw-ipvs', cni: { plugin: 'flannel', backend: 'host-gw' }, proxy: { mode: 'ipvs', ipvsScheduler: 'rr' } },
  { name: 'calico-bgp-iptables-policy', cni: { plugin: 'calico', backend: 'bgp' }, policy: true },
  { name: 'calico-ipip-nftables', cni: { plugin: 'calico', backend: 'ipip' }, proxy: { mode: 'nftables' } },
  { name: 'calico-vxlan-iptables', cni: { plugin: 'calico', backend: 'vxlan' } },
  { name: 'flannel-vxlan-userspace', cni: { plugin: 'flannel', backend: 'vxlan' }, proxy: { mode: 'userspace' } },
  { name: 'kubenet-ipvs-dns', cni: { plugin: 'kubenet' }, proxy: { mode: 'ipvs' }, dns: true },
];

function scenario(c: Case): string {
  const docs: unknown[] = [
    { apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: c.name }, spec: { seed: 7, nodes: 3, cni: c.cni, ...(c.proxy ? { kubeProxy: c.proxy } : {}), ...(c.dns ? { dns: true } : {}) } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', labels: { app: 'client' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'alpine' }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'near', labels: { app: 'near' } }, spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'far', labels: { app: 'far' } }, spec: { nodeName: 'node-2', containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } },
  ];
  if (c.policy) {
    docs.push(
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec: { podSelector: { matchLabels: { app: 'far' } }, policyTypes: ['Ingress'] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-client' }, spec: { podSelector: { matchLabels: { app: 'far' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 80 }] }] } },
    );
  }
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

/** The flows of a case, in order, on one model (later flows meet the state earlier ones left). */
const FLOWS: { from: string; to: string; protocol?: 'TCP' | 'UDP' | 'ICMP'; request?: boolean }[] = [
  { from: 'pod/default/client', to: 'pod/default/far:80' },
  { from: 'pod/default/client', to: 'pod/default/near:80' },
  { from: 'pod/default/client', to: 'pod/default/far:80' },
  { from: 'pod/default/client', to: 'pod/default/far:81' },
  { from: 'pod/default/client', to: 'pod/default/far', protocol: 'ICMP' },
  { from: 'pod/default/client', to: 'pod/default/far:53', protocol: 'UDP' },
  { from: 'pod/default/near', to: 'pod/default/client:80' },
  { from: 'pod/default/client', to: 'http://web', request: true },
  { from: 'pod/default/client', to: 'http://web.default.svc.cluster.local', request: true },
  { from: 'pod/default/client', to: 'web-ip' },
  { from: 'pod/default/client', to: 'web-ip' },
  { from: 'pod/default/client', to: 'web-ip' },
  { from: 'external/laptop', to: 'node/node-2:30080' },
  { from: 'external/laptop', to: 'node/node-1:30080' },
  { from: 'node/node-3', to: 'pod/default/far:80' },
  { from: 'node/node-1', to: 'node-ip:30080' },
  { from: 'pod/default/far', to: 'node/node-3:30080' },
  { from: 'pod/default/client', to: 'pod/default/far:80' },
];

function runCase(c: Case): { flows: unknown[]; state: Record<string, string> } {
  const model = loadScenario(scenario(c)).model!;
  const webIp = model.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;
  const flows: unknown[] = [];
  FLOWS.forEach((f, index) => {
    const to = f.to === 'web-ip' ? `${webIp}:80` : f.to === 'node-ip:30080' ? `${model.nodes[0]!.ip}:30080` : f.to;
    const req = { from: f.from, to, ...(f.protocol ? { protocol: f.protocol } : {}) };
    // The same index twice in a row reuses the source port: the second meets conntrack's entry.
    const opts = { index: index === 2 ? 0 : index, now: index };
    flows.push(f.request ? traceRequest(model, req, opts) : traceFlow(model, req, opts));
  });
  const state: Record<string, string> = {};
  for (const ns of model.netns.values()) {
    if (ns.kind !== 'node') continue;
    state[`${ns.id} iptables-save -c`] = renderIptablesSave(ns.netfilter, { counters: true });
    state[`${ns.id} conntrack -L`] = renderConntrack(conntrackOf(ns), FLOWS.length);
    state[`${ns.id} ip neigh`] = renderIpNeigh(ns);
    state[`${ns.id} bridge fdb`] = renderBridgeFdb(ns);
    if (ns.ipvs) state[`${ns.id} ipvsadm`] = renderIpvsadm(ns.ipvs);
    for (const t of ns.nftables ?? []) state[`${ns.id} nft ${t.family} ${t.name}`] = renderNftTable(t);
  }
  for (const ns of model.netns.values()) if (ns.kind === 'pod') state[`${ns.id} ip neigh`] = renderIpNeigh(ns);
  return { flows, state };
}

/** The trace bench's own scenario (bench/core-bench.ts): 3 nodes, 30 pods, pod i → pod 7i+4. */
function benchScenario(plugin: string, backend?: string): string {
  const docs = [JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'bench' }, spec: { nodes: 3, cni: { plugin, ...(backend ? { backend } : {}) } } })];
  for (let i = 0; i < 30; i++) docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}` }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } }));
  return docs.join('\n---\n');
}

/** The first flows in full, then a digest of 1,500 more (the state a long run reaches: full tables, big conntrack). */
function runBench(plugin: string, backend?: string): { flows: unknown[]; digest: string; state: Record<string, string> } {
  const model = loadScenario(benchScenario(plugin, backend)).model!;
  const pods = model.pods.filter((p) => p.namespace === 'default');
  const pairs = pods.map((a, i) => [`pod/default/${a.name}`, `pod/default/${pods[(i * 7 + 4) % pods.length]!.name}:80`] as const);
  const flows: unknown[] = [];
  const hash = createHash('sha256');
  for (let i = 0; i < 1560; i++) {
    const r = traceFlow(model, { from: pairs[i % pairs.length]![0], to: pairs[i % pairs.length]![1] }, { index: i });
    if (i < 60) flows.push(r);
    else hash.update(JSON.stringify(r));
  }
  const state: Record<string, string> = {};
  for (const ns of model.netns.values()) {
    if (ns.kind !== 'node') continue;
    state[`${ns.id} iptables-save -c`] = renderIptablesSave(ns.netfilter, { counters: true });
    state[`${ns.id} conntrack -L`] = createHash('sha256').update(renderConntrack(conntrackOf(ns), 1560)).digest('hex');
    state[`${ns.id} ip neigh`] = renderIpNeigh(ns);
    state[`${ns.id} bridge fdb`] = renderBridgeFdb(ns);
  }
  return { flows, digest: hash.digest('hex'), state };
}

function compareWithFixture(name: string, got: { flows: unknown[] }, label: (i: number) => string): void {
  // Gzipped: the cases are ~15 MB of JSON (every hop's packet and evaluated rules).
  const file = join(DIR, `${name}.json.gz`);
  const text = `${JSON.stringify(got, null, 1)}\n`;
  if (process.env.UPDATE_GOLDEN) {
    if (!existsSync(DIR)) mkdirSync(DIR, { recursive: true });
    writeFileSync(file, gzipSync(text, { level: 9 }));
  }
  const want = gunzipSync(readFileSync(file)).toString('utf8');
  // Compare per flow first so a failure names the flow, then the whole text.
  const parsed = JSON.parse(want) as { flows: unknown[] } & Record<string, unknown>;
  got.flows.forEach((f, i) => expect(JSON.stringify(f), `${name} flow ${i} ${label(i)}`).toBe(JSON.stringify(parsed.flows[i])));
  expect({ ...got, flows: [] }).toEqual({ ...parsed, flows: [] });
  expect(text).toBe(want);
}

describe('golden traces (byte-identical to the recorded fixture)', () => {
  for (const [plugin, backend] of [['flannel', 'vxlan'], ['calico', 'ipip'], ['bridge', undefined]] as const) {
    it(`the trace bench's scenario, ${plugin}${backend ? `/${backend}` : ''}`, () => {
      compareWithFixture(`bench-${plugin}${backend ? `-${backend}` : ''}`, runBench(plugin, backend), (i) => `bench pair ${i % 30}`);
    });
  }

  for (const c of CASES) {
    it(c.name, () => {
      compareWithFixture(c.name, runCase(c), (i) => `${FLOWS[i]!.from} → ${FLOWS[i]!.to}`);
    });
  }
});
