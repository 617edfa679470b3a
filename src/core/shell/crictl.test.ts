// `crictl pods` / `crictl ps` (spec/pod-networking.md §2): one sandbox per pod on the node, whose
// id is the CNI_CONTAINERID the runtime gave the plugin, and the app containers joined to it.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel } from '../model/types';
import { createShell } from './index';

function model(): ClusterModel {
  const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {nodes: 2, dns: false, cni: {plugin: flannel}}
---
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  nodeName: node-1
  containers:
    - {name: app, image: nginx, ports: [{containerPort: 80}]}
    - {name: sidecar, image: curlimages/curl}
---
apiVersion: v1
kind: Namespace
metadata: {name: tools}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: tools}
spec: {nodeName: node-1, containers: [{name: shell, image: alpine}]}
---
apiVersion: v1
kind: Pod
metadata: {name: elsewhere}
spec: {nodeName: node-2, containers: [{name: c, image: alpine}]}
`);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

describe('crictl', () => {
  const m = model();
  const sandbox = (ns: string, name: string) => m.cniLog.find((c) => c.pod === `${ns}/${name}` && c.ifname === 'eth0')!.containerId;

  it('pods: one Ready sandbox per pod of this node, its id the CNI_CONTAINERID, in crictl’s table', () => {
    const sh = createShell(m, { kind: 'node', name: 'node-1' });
    const r = sh.run('crictl pods');
    expect(r.exitCode).toBe(0);
    const two = sandbox('default', 'two').slice(0, 13);
    const client = sandbox('tools', 'client').slice(0, 13);
    // tabwriter(minwidth 20, padding 3): columns start at 0, 20, 45 (CREATED is 22 wide + 3), 65, 85, 105, 125.
    const row = (id: string, name: string, ns: string) => `${id.padEnd(20)}${'Less than a second ago'.padEnd(25)}${'Ready'.padEnd(20)}${name.padEnd(20)}${ns.padEnd(20)}${'0'.padEnd(20)}(default)\n`;
    expect(r.stdout).toBe(`${'POD ID'.padEnd(20)}${'CREATED'.padEnd(25)}${'STATE'.padEnd(20)}${'NAME'.padEnd(20)}${'NAMESPACE'.padEnd(20)}${'ATTEMPT'.padEnd(20)}RUNTIME\n${row(client, 'client', 'tools')}${row(two, 'two', 'default')}`);
    expect(sh.run('crictl pods -q').stdout).toBe(`${sandbox('tools', 'client')}\n${sandbox('default', 'two')}\n`);
    expect(sh.run('crictl pods --namespace tools -q').stdout).toBe(`${sandbox('tools', 'client')}\n`);
  });

  it('ps: the app containers, each with its sandbox’s POD ID; no pause container is listed', () => {
    const sh = createShell(m, { kind: 'node', name: 'node-1' });
    const lines = sh.run('crictl ps').stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CONTAINER {11}IMAGE {15}CREATED {18}STATE {15}NAME {16}ATTEMPT {13}POD ID {14}POD {17}NAMESPACE$/);
    const rows = lines.slice(1).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => [r[4], r[6], r[7]])).toEqual([
      ['shell', sandbox('tools', 'client').slice(0, 13), 'client'],
      ['app', sandbox('default', 'two').slice(0, 13), 'two'],
      ['sidecar', sandbox('default', 'two').slice(0, 13), 'two'],
    ]);
    expect(sh.run(`crictl ps --pod ${sandbox('default', 'two').slice(0, 6)} -q`).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('ages follow the shell’s clock; a pod’s terminal has no crictl', () => {
    const sh = createShell(m, { kind: 'node', name: 'node-1' });
    sh.run('ping -c 2 10.244.0.1');
    expect(sh.run('crictl pods').stdout).toContain('2 seconds ago');
    expect(createShell(m, { kind: 'pod', namespace: 'tools', name: 'client' }).run('crictl pods').exitCode).toBe(1);
  });
});
