// kube-proxy's nftables mode: the `ip kube-proxy` table against upstream's overall test, rendered
// as `nft list table ip kube-proxy` prints it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { renderNftTable, nftPriority } from '../render/nft';
import { renderIptablesSave } from '../render/iptables-save';
import { nftChainName } from './nftables/table';
import { getProxyMode } from './index';
import { cluster } from '../testing/cluster';

const ORACLES = join(__dirname, '../../../fixtures/oracles');

function overallModel() {
  const objects = readFileSync(join(ORACLES, 'kube-proxy-iptables/overall-iptables-rules/objects.yaml'), 'utf8')
    .replace('mode: iptables', 'mode: nftables')
    .replace('    hopscope.dev/oracle-nfacct: "true"', '    hopscope.dev/oracle-nfacct: "true"\n    hopscope.dev/oracle-service-cidrs: 172.30.0.0/16');
  const r = loadScenario(objects);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

describe('nftables mode: the ip kube-proxy table', () => {
  it('names chains PREFIX-HASH-base with upstream\'s hashes', () => {
    expect(nftChainName('service', 'ns1/svc1/tcp/p80')).toBe('service-ULMVA6XW-ns1/svc1/tcp/p80');
    expect(nftChainName('endpoint', 'ns1/svc1/tcp/p80__10.180.0.1/80')).toBe('endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
  });

  it('prints priorities as nft does', () => {
    expect(nftPriority('prerouting', -110)).toBe('dstnat - 10');
    expect(nftPriority('output', -110)).toBe('-110');
    expect(nftPriority('postrouting', 100)).toBe('srcnat');
    expect(nftPriority('output', -100)).toBe('-100');
    expect(nftPriority('forward', 0)).toBe('filter');
  });

  it('equals upstream TestOverallNFTablesRules as `nft list table ip kube-proxy` prints it', () => {
    const model = overallModel();
    const node = model.nodes.find((n) => n.name === 'test-node')!;
    const table = model.netns.get(node.netns)!.nftables!.find((t) => t.name === 'kube-proxy')!;
    expect(renderNftTable(table)).toBe(readFileSync(join(ORACLES, 'kube-proxy-nftables/overall.nft-list.txt'), 'utf8'));
  });

  it('is registered, replaces its table on re-sync, and writes no iptables rules', () => {
    expect(getProxyMode('nftables').fallback).toBe(false);
    const c = cluster().nodes(2).pod('web', { node: 'node-1', ports: [80], labels: { app: 'web' } })
      .raw(JSON.stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'nftables' }))
      .raw(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } }))
      .build();
    expect(c.result.diagnostics.some((d) => d.code === 'nftables-datapath')).toBe(false);
    const ns = c.model.netns.get('node-1')!;
    expect(renderIptablesSave(ns.netfilter)).not.toContain('KUBE-');
    const text = renderNftTable(ns.nftables![0]!);
    expect(text).toContain('chain service-');
    expect(text).toMatch(/elements = \{ 10\.96\.0\.1, 10\.\d+\.\d+\.\d+/);
    const ctx = { model: c.model, config: { kind: 'KubeProxyConfiguration' as const, clusterCIDR: '10.244.0.0/16' }, nodeObject: () => undefined, report: () => {} };
    getProxyMode('nftables').mode.programNode(ctx, c.model.nodes[0]!, ns, c.model.services.filter((s) => s.metadata.name !== 'web'), c.model.endpointSlices);
    expect(ns.nftables).toHaveLength(1);
    expect(renderNftTable(ns.nftables![0]!)).not.toContain('default/web');
  });
});

describe('nftables mode: set elements', () => {
  // kube-proxy adds `cluster-ips { <ClusterIP> }` once per service port; `nft add element` of an
  // element the set already holds is a no-op (no NLM_F_EXCL), so `nft list` shows each address once.
  it('lists a multi-port Service\'s ClusterIP once in cluster-ips', () => {
    const c = cluster().nodes(1).pod('web', { node: 'node-1', ports: [80, 9090], labels: { app: 'web' } })
      .raw(JSON.stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'nftables' }))
      .raw(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.50', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }] } }))
      .build();
    const table = c.model.netns.get('node-1')!.nftables![0]!;
    const set = table.sets.find((s) => s.name === 'cluster-ips')!;
    expect(set.elements.filter((e) => e.key[0] === '10.96.0.50')).toHaveLength(1);
    const block = /set cluster-ips \{[^}]*\}/.exec(renderNftTable(table))![0];
    expect(block.match(/10\.96\.0\.50/g)).toHaveLength(1);
  });
});
