/**
 * Byte-identity guard for compile (issue 2's speed work): each network plugin compiles a
 * multi-node scenario, and every rendering of the result — per netns `ip link`, `ip addr`,
 * `ip route`, `ip neigh`, `bridge fdb`, `iptables-save`, `nft`, `ipvsadm` and its sockets;
 * per pod the CNI log; the kubectl tables; nodes, pods and diagnostics — must equal the dump
 * recorded before the optimisation (fixtures/compile-dumps/ORIGIN.md says how it was made).
 * Small scenarios keep the whole text, gzipped (a failure shows the first differing line with
 * its neighbours); the bench-sized ones (100 nodes, 3,000 pods) keep only a SHA-256 of the same dump.
 *
 * Regenerate (only for an intended behaviour change): UPDATE_COMPILE_DUMPS=1 npx vitest run src/core/compile/compile-dump.test.ts
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { LoadResult } from './load';
import { loadScenario } from './load';
import { renderIpAddr, renderIpLink } from '../render/ip-addr';
import { renderIpRoute } from '../render/ip-route';
import { renderIpNeigh } from '../render/ip-neigh';
import { renderBridgeFdb } from '../render/bridge-fdb';
import { renderIptablesSave } from '../render/iptables-save';
import { renderNftTable } from '../render/nft';
import { renderIpvsadm } from '../render/ipvsadm';
import { renderCniLog } from '../render/cni-log';
import { renderGetNodes, renderGetPods } from '../render/kubectl';
import { renderGetEndpointSlices, renderGetServices } from '../render/kubectl-services';

const DIR = join(__dirname, '../../../fixtures/compile-dumps');
const UPDATE = process.env.UPDATE_COMPILE_DUMPS === '1';

/** Every text the model renders, in model order. */
function* dumpParts(r: LoadResult): Generator<string> {
  const m = r.model!;
  yield `# diagnostics\n${r.diagnostics.map((d) => `${d.pos.line}:${d.pos.col}: ${d.severity}: ${d.code}: ${d.message}`).join('\n')}\n`;
  yield `# nodes\n${m.nodes.map((n) => JSON.stringify(n)).join('\n')}\n`;
  yield `# pods\n${m.pods.map((p) => JSON.stringify(p)).join('\n')}\n`;
  yield `# kubectl\n${renderGetNodes(m, { wide: true })}${renderGetPods(m, { wide: true, allNamespaces: true })}${renderGetServices(m, { allNamespaces: true })}${renderGetEndpointSlices(m, { allNamespaces: true })}`;
  yield `# cni mtu ${m.cni.mtu}\n`;
  for (const [key, value] of m.pluginState) if (key.startsWith('flannel:subnet.env')) yield `# ${key}\n${JSON.stringify(value)}\n`;
  for (const ns of m.netns.values()) {
    yield `\n## netns ${ns.id} (${ns.kind} ${ns.node} ${ns.name}${ns.pod ? ` pod ${ns.pod}` : ''})\n`;
    yield `# sysctls ${JSON.stringify(ns.sysctls)} decrementTtl=${ns.decrementTtl}\n`;
    yield `# ip link\n${renderIpLink(m, ns)}# ip addr\n${renderIpAddr(m, ns)}# ip route\n${renderIpRoute(ns)}# ip neigh\n${renderIpNeigh(ns)}# bridge fdb\n${renderBridgeFdb(ns)}`;
    yield `# iptables-save\n${renderIptablesSave(ns.netfilter)}`;
    if (ns.nftables?.length) yield `# nft\n${ns.nftables.map(renderNftTable).join('')}`;
    if (ns.ipvs) yield `# ipvsadm\n${renderIpvsadm(ns.ipvs)}`;
    yield `# sockets\n${ns.sockets.map((s) => JSON.stringify(s)).join('\n')}\n`;
  }
  for (const p of m.pods) if (!p.hostNetwork) yield `\n## cni ${p.namespace}/${p.name}\n${renderCniLog(m, `${p.namespace}/${p.name}`)}`;
}

/** The first line where `got` and `want` differ, with two lines of context; null when equal. */
function firstDifference(got: string, want: string): string | null {
  if (got === want) return null;
  const g = got.split('\n');
  const w = want.split('\n');
  let i = 0;
  while (i < g.length && i < w.length && g[i] === w[i]) i++;
  const around = (lines: string[]) => lines.slice(Math.max(0, i - 2), i + 3).join('\n');
  return `line ${i + 1} differs\n--- recorded\n${around(w)}\n+++ compiled\n${around(g)}`;
}

function cluster(spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'dump' }, spec });
}

const pod = (name: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name.replace(/\d+$/, '') }, ...meta }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }], ...extra } });

/** A small cluster with every kind of pod the controllers create: plain, pinned to a node, pinned to an IP, host-network, Deployment, DaemonSet; a Service; CoreDNS. */
function small(cni: Record<string, unknown>, more: Record<string, unknown> = {}): string {
  const docs = [cluster({ nodes: 4, cni, ...more })];
  for (let i = 0; i < 6; i++) docs.push(pod(`web${i}`));
  docs.push(pod('pinned', { nodeName: 'node-3' }));
  docs.push(pod('fixed', {}, { annotations: { 'hopscope.dev/pod-ip': cni.plugin === 'calico' ? '10.244.200.7' : '10.244.2.77' } }));
  docs.push(pod('host', { hostNetwork: true, nodeName: 'node-2' }));
  docs.push(JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 3, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api', ports: [{ containerPort: 8080, name: 'http' }] }] } } } }));
  docs.push(JSON.stringify({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent' }] } } } }));
  docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] } }));
  docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { type: 'NodePort', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'http' }] } }));
  return docs.join('\n---\n');
}

/** The bench's scenario (bench/core-bench.ts): `nodes` nodes, `pods` unpinned pods. */
function big(nodes: number, pods: number, cni: Record<string, unknown>): string {
  const docs = [cluster({ nodes, cni })];
  for (let i = 0; i < pods; i++) docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}` }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } }));
  return docs.join('\n---\n');
}

const SMALL: Record<string, string> = {
  'bridge': small({ plugin: 'bridge' }),
  'kubenet': small({ plugin: 'kubenet' }),
  'flannel-vxlan': small({ plugin: 'flannel', backend: 'vxlan' }),
  'flannel-host-gw-routed': small({ plugin: 'flannel', backend: 'host-gw' }, { underlay: { type: 'routed', subnets: ['192.168.0.0/24', '192.168.1.0/24'] } }),
  'calico-ipip': small({ plugin: 'calico', backend: 'ipip' }),
  'calico-vxlan': small({ plugin: 'calico', backend: 'vxlan' }, { kubeProxy: { mode: 'ipvs' } }),
  'calico-bgp': small({ plugin: 'calico', backend: 'bgp' }, { kubeProxy: { mode: 'nftables' } }),
};

const BIG: Record<string, string> = {
  'flannel-vxlan-100x3000': big(100, 3000, { plugin: 'flannel', backend: 'vxlan' }),
  'calico-ipip-100x3000': big(100, 3000, { plugin: 'calico', backend: 'ipip' }),
  // 150 pods on 2 nodes: calico claims a second and third /26 per node.
  'calico-vxlan-2x150': big(2, 150, { plugin: 'calico', backend: 'vxlan' }),
  'bridge-3x40': big(3, 40, { plugin: 'bridge' }),
};

describe('compile renders byte-identically to the recorded dumps', () => {
  for (const [name, text] of Object.entries(SMALL)) {
    it(name, () => {
      const r = loadScenario(text);
      expect(r.model).not.toBeNull();
      const dump = [...dumpParts(r)].join('');
      const file = join(DIR, `${name}.txt.gz`);
      if (UPDATE) {
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, gzipSync(dump, { level: 9 }));
      }
      const want = gunzipSync(readFileSync(file)).toString('utf8');
      expect(firstDifference(dump, want)).toBeNull();
      expect(dump === want).toBe(true);
    });
  }

  it('bench-sized scenarios (SHA-256 of the dump)', { timeout: 120_000 }, () => {
    const file = join(DIR, 'hashes.json');
    const want = UPDATE ? {} : (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
    const got: Record<string, string> = {};
    for (const [name, text] of Object.entries(BIG)) {
      const h = createHash('sha256');
      for (const part of dumpParts(loadScenario(text))) h.update(part);
      got[name] = h.digest('hex');
    }
    if (UPDATE) writeFileSync(file, `${JSON.stringify(got, null, 2)}\n`);
    else expect(got).toEqual(want);
  });
});
