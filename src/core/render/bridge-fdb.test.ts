// `bridge fdb show` against Linux 6.18 and iproute2 6.1's own output for the same node
// (fixtures/tool-output/bridge-*.txt, recorded in the namespaces `hopscope export netns` built
// from this scenario: see ORIGIN.md). That kernel lacks CONFIG_BRIDGE_VLAN_FILTERING, so it has
// no `vlan 1` twins; they are checked apart, against the kernel source.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../compile/load';
import { createShell } from '../shell/index';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/tool-output', name), 'utf8');
const withoutVlan1 = (text: string) => text.split(/(?<=\n)/).filter((l) => !/ vlan 1 /.test(l)).join('');

function model() {
  const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: d}
spec:
  nodes: 2
  cni: {plugin: flannel, backend: vxlan}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  nodeName: node-1
  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`);
  if (!r.model) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.model;
}

describe('bridge fdb show', () => {
  it.each([
    ['bridge fdb show', 'bridge-fdb.txt'],
    ['bridge fdb show dev veth29d724b1', 'bridge-fdb-dev.txt'],
    ['bridge fdb show br cni0', 'bridge-fdb-br.txt'],
    ['bridge fdb show dev flannel.1', 'bridge-fdb-vx.txt'],
  ])('%s on a flannel node prints what the kernel printed, line by line', (cmd, file) => {
    const r = createShell(model(), { kind: 'node', name: 'node-1' }).run(cmd);
    expect(r.exitCode).toBe(0);
    expect(withoutVlan1(r.stdout)).toBe(fixture(file));
  });

  it('a pod lists its eth0’s multicast addresses', () => {
    expect(createShell(model(), { kind: 'pod', namespace: 'default', name: 'web' }).run('bridge fdb show').stdout).toBe(fixture('bridge-fdb-pod.txt'));
  });

  it('a MAC learned from a ping comes first on its port, with no state word (a trailing space)', () => {
    const m = model();
    expect(createShell(m, { kind: 'pod', namespace: 'default', name: 'web' }).run('ping -c1 10.244.0.1').exitCode).toBe(0);
    expect(withoutVlan1(createShell(m, { kind: 'node', name: 'node-1' }).run('bridge fdb show').stdout)).toBe(fixture('bridge-fdb-learned.txt'));
  });

  it('the local entries of the bridge and its ports come for VLAN 1 too, that one first (br_vlan.c __vlan_add)', () => {
    const out = createShell(model(), { kind: 'node', name: 'node-1' }).run('bridge fdb show br cni0').stdout;
    const lines = out.split('\n');
    const locals = lines.filter((l) => / master cni0 permanent$/.test(l) && !/ vlan 1 /.test(l));
    expect(locals.length).toBe(3);
    for (const l of locals) expect(lines[lines.indexOf(l) - 1]).toBe(l.replace(/^(\S+ dev \S+) /, '$1 vlan 1 '));
    expect(out.match(/ vlan 1 /g)?.length).toBe(3);
  });

  it('refuses a device that does not exist', () => {
    expect(createShell(model(), { kind: 'node', name: 'node-1' }).run('bridge fdb show dev cni9')).toMatchObject({ stdout: '', exitCode: 1 });
  });
});
