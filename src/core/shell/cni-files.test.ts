// A node's CNI state on disk, where spec/cni.md §1/§5/§9 and the CNI article look for it:
// /etc/cni/net.d/10-flannel.conflist (the configuration the runtime hands every eth0 ADD),
// host-local's leases in /var/lib/cni/networks/NETWORK/, and /var/run/netns.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel } from '../model/types';
import { createShell } from './index';

function model(cni: string, replicas = 2): ClusterModel {
  const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {nodes: 2, dns: false, cni: ${cni}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

const node1 = (m: ClusterModel) => createShell(m, { kind: 'node', name: 'node-1' });

describe('/etc/cni/net.d', () => {
  it('holds the plugin’s conflist: exactly the configuration the runtime passed to each eth0 ADD on that node', () => {
    for (const [cni, file] of [
      ['{plugin: flannel}', '10-flannel.conflist'],
      ['{plugin: calico}', '10-calico.conflist'],
      ['{plugin: bridge}', '10-bridge.conflist'],
    ] as const) {
      const m = model(cni);
      const sh = node1(m);
      expect(sh.run('ls /etc/cni/net.d')).toEqual({ stdout: `${file}\n`, stderr: '', exitCode: 0 });
      const text = sh.run(`cat /etc/cni/net.d/${file}`);
      expect(text.exitCode).toBe(0);
      const pod = m.pods.find((p) => p.node === 'node-1')!;
      const add = m.cniLog.find((c) => c.pod === `${pod.namespace}/${pod.name}` && c.ifname === 'eth0' && c.command === 'ADD')!;
      expect(JSON.parse(text.stdout)).toEqual(add.config);
      expect(text.stdout).toBe(`${JSON.stringify(add.config, null, 2)}\n`);
      // The shell expands a glob over the directory, as bash does.
      expect(sh.run('cat /etc/cni/net.d/*')).toEqual(text);
    }
  });

  it('is empty under kubenet: the kubelet built that configuration in memory', () => {
    const sh = node1(model('{plugin: kubenet}'));
    expect(sh.run('ls /etc/cni/net.d')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(sh.run('cat /etc/cni/net.d/10-kubenet.conf')).toMatchObject({ stderr: 'cat: /etc/cni/net.d/10-kubenet.conf: No such file or directory\n', exitCode: 1 });
  });

  it('is the node’s: a pod has no such directory', () => {
    const m = model('{plugin: flannel}');
    const pod = m.pods[0]!;
    const sh = createShell(m, { kind: 'pod', namespace: pod.namespace, name: pod.name });
    expect(sh.run('ls /etc/cni/net.d')).toEqual({ stdout: '', stderr: "ls: cannot access '/etc/cni/net.d': No such file or directory\n", exitCode: 2 });
  });
});

describe('/var/lib/cni/networks (host-local)', () => {
  it('has one file per leased address holding "<container id>\\r\\n<ifname>", last_reserved_ip.0 and lock', () => {
    const m = model('{plugin: flannel}', 4);
    const sh = node1(m);
    const mine = m.pods.filter((p) => p.node === 'node-1');
    expect(mine.length).toBeGreaterThan(0);
    expect(sh.run('ls /var/lib/cni/networks').stdout).toBe('cbr0\n');
    const names = sh.run('ls -1 /var/lib/cni/networks/cbr0').stdout.split('\n').filter(Boolean);
    expect(names).toEqual([...mine.map((p) => p.ip).sort(), 'last_reserved_ip.0', 'lock']);
    for (const p of mine) expect(sh.run(`cat /var/lib/cni/networks/cbr0/${p.ip}`).stdout).toBe(`${p.containerId}\r\neth0\n`);
    // Addresses are handed out in order here, so the last one reserved is the highest.
    const last = mine.map((p) => p.ip).sort((a, b) => Number(a.split('.')[3]) - Number(b.split('.')[3])).pop();
    expect(sh.run('cat /var/lib/cni/networks/cbr0/last_reserved_ip.0').stdout).toBe(`${last}\n`);
  });

  it('prints many names in columns, as GNU ls does on an 80-column terminal', () => {
    const m = model('{plugin: flannel}', 80);
    const sh = node1(m);
    expect(m.pods.filter((p) => p.node === 'node-1').length).toBe(40);
    // Recorded from GNU coreutils 9.1 `LC_ALL=C ls -C -w 80` over the same 42 names.
    expect(sh.run('ls /var/lib/cni/networks/cbr0').stdout).toBe(
      [
        '10.244.0.10  10.244.0.19  10.244.0.27  10.244.0.35  10.244.0.6',
        '10.244.0.11  10.244.0.2   10.244.0.28  10.244.0.36  10.244.0.7',
        '10.244.0.12  10.244.0.20  10.244.0.29  10.244.0.37  10.244.0.8',
        '10.244.0.13  10.244.0.21  10.244.0.3   10.244.0.38  10.244.0.9',
        '10.244.0.14  10.244.0.22  10.244.0.30  10.244.0.39  last_reserved_ip.0',
        '10.244.0.15  10.244.0.23  10.244.0.31  10.244.0.4   lock',
        '10.244.0.16  10.244.0.24  10.244.0.32  10.244.0.40',
        '10.244.0.17  10.244.0.25  10.244.0.33  10.244.0.41',
        '10.244.0.18  10.244.0.26  10.244.0.34  10.244.0.5',
        '',
      ].join('\n'),
    );
  });
});

describe('/var/run/netns', () => {
  it('lists the pod namespaces ip netns shows, under /run/netns too', () => {
    const m = model('{plugin: flannel}', 4);
    const sh = node1(m);
    const names = sh.run('ip netns').stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0]!);
    expect(names.length).toBe(m.pods.filter((p) => p.node === 'node-1').length);
    expect(sh.run('ls -1 /var/run/netns').stdout).toBe(names.sort().map((n) => `${n}\n`).join(''));
    expect(sh.run('ls -1 /run/netns/')).toEqual(sh.run('ls -1 /var/run/netns'));
  });

  it('answers a directory it does not hold, and options it does not model, without pretending', () => {
    const sh = node1(model('{plugin: flannel}'));
    expect(sh.run('ls /nope')).toEqual({ stdout: '', stderr: "ls: cannot access '/nope': No such file or directory\n", exitCode: 2 });
    expect(sh.run('ls -l /etc/cni/net.d').exitCode).toBe(2);
    expect(sh.run('ls').exitCode).toBe(2);
  });
});
