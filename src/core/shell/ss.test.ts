// `ss` against iproute2 6.1.0's own output (fixtures/tool-output/ss-*.txt: a scratch namespace
// with the same listeners as the pod below). The header and every column width must be the
// real ones; rows are compared as a set, as the kernel lists them in its hash order.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../compile/load';
import { createShell } from './index';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/tool-output', name), 'utf8');
/** Header first, then the rows sorted. */
const normal = (text: string) => {
  const [head, ...rows] = text.trimEnd().split('\n');
  return [head, ...rows.sort()];
};

function shell() {
  const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {nodes: 1, dns: false, cni: {plugin: flannel}}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}, {containerPort: 8080}]}, {name: envoy, image: envoy, ports: [{containerPort: 15000}, {containerPort: 5353, protocol: UDP}]}]}
`);
  return createShell(r.model!, { kind: 'pod', namespace: 'default', name: 'web' });
}

describe('ss', () => {
  it.each([
    ['ss -tln', 'ss-tln.txt'],
    ['ss -tuln', 'ss-tuln.txt'],
    ['ss -tl', 'ss-tl.txt'],
    ['ss -tn', 'ss-tn-empty.txt'],
  ])('%s prints what iproute2 6.1 printed for the same sockets', (cmd, file) => {
    const r = shell().run(cmd);
    expect(r.exitCode).toBe(0);
    expect(normal(r.stdout)).toEqual(normal(fixture(file)));
    expect(r.stdout.endsWith('\n')).toBe(true);
  });

  it('takes the options in any order and spelling; -p leaves the Process column empty', () => {
    const sh = shell();
    const tln = sh.run('ss -tln').stdout;
    expect(sh.run('ss -ltn').stdout).toBe(tln);
    expect(sh.run('ss --tcp --listening --numeric').stdout).toBe(tln);
    expect(sh.run('ss -t -l -n -4').stdout).toBe(tln);
    expect(sh.run('ss -tlnp').stdout).toBe(tln);
    // No IPv6 socket in the model: -6 has only the header.
    expect(sh.run('ss -tln6').stdout).toBe(fixture('ss-tn-empty.txt'));
  });

  it('a node shows its own listeners (sshd 22, the kubelet 10250), not the pods’', () => {
    const r = loadScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: 1, dns: false}\n');
    const out = createShell(r.model!, { kind: 'node', name: 'node-1' }).run('ss -tln').stdout;
    // sshd asks listen() for SSH_LISTEN_BACKLOG (128); the kubelet, a Go server, for somaxconn (4096).
    expect(out).toMatch(/^LISTEN 0 +128 +0\.0\.0\.0:22 +0\.0\.0\.0:\*/m);
    expect(out).toMatch(/^LISTEN 0 +4096 +0\.0\.0\.0:10250 +0\.0\.0\.0:\*/m);
    expect(out).not.toMatch(/:15000 /);
  });

  it('a hostNetwork nginx listens with its own backlog (511), found through the image of the container', () => {
    const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {nodes: 1, dns: false}
---
apiVersion: v1
kind: Pod
metadata: {name: edge}
spec: {hostNetwork: true, containers: [{name: proxy, image: docker.io/library/nginx:1.27, ports: [{containerPort: 8443}]}]}
`);
    const out = createShell(r.model!, { kind: 'node', name: 'node-1' }).run('ss -tln').stdout;
    expect(out).toMatch(/^LISTEN 0 +511 +0\.0\.0\.0:8443 +0\.0\.0\.0:\*/m);
  });

  it.each([
    ['flannel', 'vxlan', 8472],
    ['calico', 'vxlan', 4789],
  ])('a %s %s node lists the kernel’s VXLAN socket on UDP %i (no process owns it), a pod does not', (plugin, backend, port) => {
    const r = loadScenario(`apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: 2, cni: {plugin: ${plugin}, backend: ${backend}}}\n`);
    const node = createShell(r.model!, { kind: 'node', name: 'node-1' });
    const row = new RegExp(`^UNCONN 0 +0 +0\\.0\\.0\\.0:${port} +0\\.0\\.0\\.0:\\* +$`, 'm');
    expect(node.run('ss -uanp').stdout).toMatch(row);
    expect(node.run('ss -lun').stdout).toMatch(row);
    expect(node.run('ss -tln').stdout).not.toContain(`:${port} `);
    const pod = r.model!.pods.find((p) => p.node === 'node-1' && !p.hostNetwork)!;
    expect(createShell(r.model!, { kind: 'pod', namespace: pod.namespace, name: pod.name }).run('ss -uan').stdout).not.toContain(`:${port} `);
  });

  it('an IPIP node has no such socket', () => {
    const r = loadScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: 2, cni: {plugin: calico, backend: ipip}}\n');
    expect(createShell(r.model!, { kind: 'node', name: 'node-1' }).run('ss -uan').stdout).not.toMatch(/:(4789|8472) /);
  });

  it('refuses unknown options as ss does (exit 255) and says filters are not simulated', () => {
    const sh = shell();
    expect(sh.run('ss -Q')).toMatchObject({ stdout: '', exitCode: 255 });
    expect(sh.run('ss -Q').stderr).toMatch(/^ss: invalid option -- 'Q'\nUsage: ss \[ OPTIONS \]\n/);
    expect(sh.run('ss --bogus').stderr).toMatch(/^ss: unrecognized option '--bogus'\n/);
    expect(sh.run('ss -tln sport = :80')).toMatchObject({ exitCode: 1 });
  });
});
