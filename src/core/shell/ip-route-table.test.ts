// `ip route show table local|all` and `ip route get LOCAL` against Linux 6.18 / iproute2 6.1 on
// the node `hopscope export netns` built from this scenario (fixtures/tool-output/ip-route-*.txt,
// see ORIGIN.md), byte for byte: iproute2 ends every route line with a space, and so does Hopscope.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../compile/load';
import { createShell } from './index';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/tool-output', name), 'utf8');

function node(yaml = 'apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: d}\nspec:\n  nodes: 2\n  cni: {plugin: flannel, backend: vxlan}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default, labels: {app: web}}\nspec:\n  nodeName: node-1\n  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n') {
  const r = loadScenario(yaml);
  if (!r.model) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return createShell(r.model, { kind: 'node', name: 'node-1' });
}

describe('ip route tables', () => {
  it.each([
    ['ip route show table local', 'ip-route-table-local.txt'],
    ['ip route show table all', 'ip-route-table-all.txt'],
  ])('%s prints the kernel’s local table, made from the addresses', (cmd, file) => {
    const r = node().run(cmd);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(fixture(file));
  });

  it('ip route get of a local address names no table, as the kernel’s answer does not', () => {
    expect(node().run('ip route get 10.244.0.1').stdout).toBe(fixture('ip-route-get-local.txt'));
  });

  it('a table the model does not hold does not exist; a bad name is refused', () => {
    const sh = node();
    expect(sh.run('ip route show table 100')).toMatchObject({ stdout: '', exitCode: 2, stderr: 'Error: ipv4: FIB table does not exist.\nDump terminated\n' });
    expect(sh.run('ip route show table foo')).toMatchObject({ exitCode: 255 });
    expect(sh.run('ip route show table main').stdout).toBe(sh.run('ip route').stdout);
  });

  it('IPVS mode: the service addresses on kube-ipvs0 (down) are local routes, with no broadcast route', () => {
    const sh = node('apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: 1, kubeProxy: {mode: ipvs}}\n');
    const out = sh.run('ip route show table local').stdout;
    expect(out).toMatch(/^local 10\.96\.0\.1 dev kube-ipvs0 proto kernel scope host src 10\.96\.0\.1 $/m);
    expect(out).not.toMatch(/^broadcast \S+ dev kube-ipvs0/m);
  });
});
