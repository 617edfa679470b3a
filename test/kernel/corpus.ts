/**
 * The generated conformance corpus: every CNI plugin/backend the kernel here can run, times
 * five traffic families. IPIP (Calico `ipip`) and kube-proxy IPVS mode are listed as skipped
 * with the reason: this kernel has no CONFIG_NET_IPIP and no IPVS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ClusterModel } from '../../src/core/model/types';

export interface CniConfig {
  id: string;
  cni: Record<string, unknown>;
  underlay?: Record<string, unknown>;
}

export const CNI_CONFIGS: CniConfig[] = [
  { id: 'bridge', cni: { plugin: 'bridge' } },
  { id: 'kubenet-l2', cni: { plugin: 'kubenet' } },
  { id: 'kubenet-cloud', cni: { plugin: 'kubenet' }, underlay: { type: 'cloud' } },
  { id: 'flannel-vxlan', cni: { plugin: 'flannel', backend: 'vxlan' } },
  { id: 'flannel-hostgw', cni: { plugin: 'flannel', backend: 'host-gw' } },
  { id: 'calico-bgp', cni: { plugin: 'calico', backend: 'bgp' } },
  { id: 'calico-vxlan', cni: { plugin: 'calico', backend: 'vxlan' } },
];

/**
 * Left out of the kernel runs, with the reason — and the scenario, so the suite can check the
 * reason holds: `export` must refuse it (`why: 'export'`), or every request names a DNS name
 * (`why: 'dns'`), which the exported cluster (port listeners, no CoreDNS) cannot answer.
 */
export interface LeftOut {
  id: string;
  reason: string;
  yaml: string;
  why: 'export' | 'dns';
}

const clusterOnly = (spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { nodes: 2, ...spec } }) + '\n';

export const SKIPPED: LeftOut[] = [
  { id: 'calico-ipip', reason: 'this kernel has no CONFIG_NET_IPIP (no tunl0), so `hopscope export` refuses IPIP', yaml: clusterOnly({ cni: { plugin: 'calico', backend: 'ipip' } }), why: 'export' },
  { id: 'kube-proxy-ipvs', reason: 'this kernel has no IPVS (ip_vs), so `hopscope export` refuses IPVS mode', yaml: clusterOnly({ kubeProxy: { mode: 'ipvs' } }), why: 'export' },
];

/** A request of the corpus; `to` may name a service (`svc:NAME`) resolved to its ClusterIP. */
export interface CorpusFlow {
  from: string;
  to: string;
  protocol: 'tcp' | 'udp';
  /** Load-balanced: send this many and compare the endpoint shares instead of one flow's detail. */
  lb?: number;
}

export interface CorpusScenario {
  name: string;
  yaml: string;
  flows: CorpusFlow[];
}

interface PodLite {
  name: string;
  node: string;
  tcp?: number[];
  udp?: number[];
  labels?: Record<string, string>;
}

function pod(p: PodLite): string {
  const ports = [...(p.tcp ?? []).map((n) => ({ containerPort: n })), ...(p.udp ?? []).map((n) => ({ containerPort: n, protocol: 'UDP' }))];
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: 'default', ...(p.labels ? { labels: p.labels } : {}) }, spec: { nodeName: p.node, containers: [{ name: 'c', image: 'busybox', ...(ports.length ? { ports } : {}) }] } });
}

function service(name: string, app: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app }, ports: [{ port: 80, targetPort: 80, ...extra }], ...(extra.nodePort ? { type: 'NodePort' } : {}) } });
}

function cluster(c: CniConfig): string {
  return JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: c.id }, spec: { nodes: 2, cni: c.cni, ...(c.underlay ? { underlay: c.underlay } : {}) } });
}

const EXT = '203.0.113.10';

function families(): { id: string; docs: string[]; flows: CorpusFlow[] }[] {
  const a = { name: 'a', node: 'node-1' };
  return [
    {
      id: 'pods',
      docs: [pod(a), pod({ name: 'b', node: 'node-2', tcp: [80], udp: [5300] }), pod({ name: 'c', node: 'node-1', tcp: [80] })],
      flows: [
        { from: 'pod/a', to: 'pod/default/c:80', protocol: 'tcp' },
        { from: 'pod/a', to: 'pod/default/b:80', protocol: 'tcp' },
        { from: 'pod/a', to: 'pod/default/b:5300', protocol: 'udp' },
        { from: 'pod/a', to: 'pod/default/b:81', protocol: 'tcp' },
      ],
    },
    {
      id: 'nodes',
      docs: [pod(a), pod({ name: 'b', node: 'node-2', tcp: [80] }), pod({ name: 'c', node: 'node-1', tcp: [80] })],
      flows: [
        { from: 'pod/a', to: 'node/node-2:10250', protocol: 'tcp' },
        { from: 'pod/a', to: 'node/node-1:10250', protocol: 'tcp' },
        { from: 'node/node-2', to: 'pod/default/c:80', protocol: 'tcp' },
        { from: 'node/node-1', to: 'pod/default/c:80', protocol: 'tcp' },
      ],
    },
    {
      id: 'external',
      docs: [pod(a), pod({ name: 'b', node: 'node-2' })],
      flows: [
        { from: 'pod/a', to: `${EXT}:80`, protocol: 'tcp' },
        { from: 'pod/b', to: `${EXT}:443`, protocol: 'tcp' },
        { from: 'node/node-1', to: `${EXT}:80`, protocol: 'tcp' },
      ],
    },
    {
      id: 'clusterip',
      docs: [
        pod(a),
        pod({ name: 'b', node: 'node-2', tcp: [80], labels: { app: 'one', tier: 'lb' } }),
        pod({ name: 'c', node: 'node-1', tcp: [80], labels: { app: 'two', tier: 'lb' } }),
        service('one', 'one'),
        JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'default' }, spec: { selector: { tier: 'lb' }, ports: [{ port: 80, targetPort: 80 }] } }),
        service('empty', 'nobody'),
      ],
      flows: [
        { from: 'pod/a', to: 'svc:one', protocol: 'tcp' },
        { from: 'node/node-1', to: 'svc:one', protocol: 'tcp' },
        { from: 'pod/a', to: 'svc:empty', protocol: 'tcp' },
        { from: 'pod/a', to: 'svc:lb', protocol: 'tcp', lb: 400 },
      ],
    },
    {
      id: 'nodeport',
      docs: [pod(a), pod({ name: 'b', node: 'node-2', tcp: [80], labels: { app: 'np' } }), pod({ name: 'h', node: 'node-1', tcp: [80], labels: { app: 'hp' } }), service('np', 'np', { nodePort: 30080 }), service('hp', 'hp')],
      flows: [
        { from: 'node/node-1', to: 'node:node-2:30080', protocol: 'tcp' },
        { from: 'node/node-1', to: 'node:node-1:30080', protocol: 'tcp' },
        { from: 'external/client', to: 'node:node-2:30080', protocol: 'tcp' },
        { from: 'external/client', to: 'node:node-1:30080', protocol: 'tcp' },
        { from: 'pod/h', to: 'svc:hp', protocol: 'tcp' },
      ],
    },
  ];
}

/** Every scenario of the corpus: 7 CNI configurations × 5 families = 35, then the runnable lessons. */
export function corpus(): CorpusScenario[] {
  const out: CorpusScenario[] = [];
  for (const c of CNI_CONFIGS) for (const f of families()) out.push({ name: `${c.id}/${f.id}`, yaml: [cluster(c), ...f.docs].join('\n---\n') + '\n', flows: f.flows });
  return [...out, ...lessonCorpus().scenarios];
}

/** `svc:NAME` → `CLUSTERIP:80`, `node:NAME:PORT` → `NODEIP:PORT`; others unchanged. */
export function resolveTarget(model: ClusterModel, to: string): string {
  if (to.startsWith('svc:')) {
    const svc = model.services.find((s) => s.metadata.name === to.slice(4) && (s.metadata.namespace ?? 'default') === 'default');
    const ip = svc?.spec.clusterIP;
    if (!ip) throw new Error(`no ClusterIP for ${to}`);
    return `${ip}:80`;
  }
  if (to.startsWith('node:')) {
    const [, name, port] = to.split(':');
    const node = model.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name}`);
    return `${node.ip}:${port}`;
  }
  return to;
}

/**
 * The built-in lessons the kernel can run: each lesson's own scenario and Traffic requests.
 * A lesson is left out, with its reason, when it needs what this kernel or the export lacks
 * (IPIP, IPVS — which also backs the cloud load balancer box —, the userspace proxy process),
 * and a request is left out when its target is a DNS name (the exported cluster runs port
 * listeners, not CoreDNS).
 */
export function lessonCorpus(): { scenarios: CorpusScenario[]; skipped: LeftOut[] } {
  const root = join(__dirname, '..', '..', 'src', 'lessons');
  const scenarios: CorpusScenario[] = [];
  const skipped: LeftOut[] = [];
  for (const id of readdirSync(root).filter((d) => /^\d\d-/.test(d)).sort()) {
    const yaml = readFileSync(join(root, id, 'scenario.yaml'), 'utf8');
    const docs = parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const cluster = docs.find((d) => d?.kind === 'Cluster')?.spec ?? {};
    const why =
      cluster.cni?.plugin === 'calico' && (cluster.cni?.backend ?? 'ipip') === 'ipip'
        ? 'Calico IPIP: this kernel has no CONFIG_NET_IPIP'
        : ['ipvs', 'nftables', 'userspace'].includes(cluster.kubeProxy?.mode)
          ? `kube-proxy ${cluster.kubeProxy.mode} mode: the export builds iptables-mode nodes only (no IPVS here, no nft or userspace proxy process)`
          : docs.some((d) => d?.kind === 'Service' && d.spec?.type === 'LoadBalancer')
            ? 'a LoadBalancer Service: the cloud load balancer box forwards with IPVS, which this kernel lacks'
            : undefined;
    if (why) {
      skipped.push({ id: `lesson/${id}`, reason: why, yaml, why: 'export' });
      continue;
    }
    const flows: CorpusFlow[] = [];
    for (const t of docs.filter((d) => d?.kind === 'Traffic'))
      for (const r of t.spec?.requests ?? []) {
        const raw = String(r.to);
        // A URL loses its scheme and path; pod/NS/NAME:PORT references keep their slashes.
        const to = /^[a-z]+:\/\//i.test(raw) ? raw.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '') : raw;
        const host = to.replace(/:\d+$/, '');
        if (!/^(\d+\.){3}\d+$/.test(host) && !/^(pod|node)\//.test(host)) continue; // a DNS name
        if (!/:\d+$/.test(to)) continue; // ICMP is not in the kernel client
        flows.push({ from: String(r.from), to, protocol: String(r.protocol ?? 'TCP').toLowerCase() === 'udp' ? 'udp' : 'tcp' });
      }
    if (!flows.length) skipped.push({ id: `lesson/${id}`, reason: 'every request names a Service by DNS (the exported cluster has no CoreDNS)', yaml, why: 'dns' });
    else scenarios.push({ name: `lesson/${id}`, yaml, flows });
  }
  return { scenarios, skipped };
}
