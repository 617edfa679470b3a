// `ip netns exec NAME CMD` and `ip -n NAME …` on a node: the command runs in the pod's network
// namespace (its devices, routes, sockets; its flows start there) while the node's files and
// host name stay (iproute2 lib/namespace.c netns_switch only enters the network namespace and
// bind-mounts /etc/netns/NAME, which the runtime never creates).
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel } from '../model/types';
import { createShell } from './index';

function model(): ClusterModel {
  const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {nodes: 2, cni: {plugin: flannel}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: nginx, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: shell, image: alpine}]}
`);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

/** The `cni-…` name of a pod's namespace, as `ip netns list` on its node prints it. */
function netnsOf(m: ClusterModel, pod: string): string {
  const p = m.pods.find((x) => x.name === pod)!;
  return m.netns.get(p.netns)!.name;
}

describe('ip netns exec', () => {
  const m = model();
  const client = netnsOf(m, 'client');

  it('runs the command in the pod namespace: its addresses, routes and sockets, as from inside the pod', () => {
    const node = createShell(m, { kind: 'node', name: 'node-1' });
    const pod = createShell(m, { kind: 'pod', namespace: 'default', name: 'client' });
    for (const cmd of ['ip addr', 'ip route', 'ss -ltn', 'cat /sys/class/net/eth0/iflink']) {
      const inside = pod.run(cmd);
      expect(node.run(`ip netns exec ${client} ${cmd}`)).toEqual(inside);
      expect(inside.stdout).not.toEqual(node.run(cmd).stdout);
    }
    expect(node.run(`ip -n ${client} route`)).toEqual(pod.run('ip route'));
    expect(node.run(`ip -br -n ${client} addr`)).toEqual(pod.run('ip -br addr'));
  });

  it('keeps the node’s host name and /etc/resolv.conf: only the network namespace is entered', () => {
    const node = createShell(m, { kind: 'node', name: 'node-1' });
    expect(node.run(`ip netns exec ${client} hostname`).stdout).toBe('node-1\n');
    expect(node.run(`ip netns exec ${client} cat /etc/resolv.conf`)).toEqual(node.run('cat /etc/resolv.conf'));
  });

  it('connects from the pod: the flow starts at the pod address; names resolve with the node’s resolv.conf', () => {
    const node = createShell(m, { kind: 'node', name: 'node-1' });
    const svc = m.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;
    const podIp = m.pods.find((p) => p.name === 'client')!.ip;
    const r = node.run(`ip netns exec ${client} curl -sS ${svc}`);
    expect(r.exitCode).toBe(0);
    const first = r.flows?.[0]?.hops[0]?.packet.headers.find((h) => h.kind === 'ipv4');
    expect(first && 'src' in first ? first.src : undefined).toBe(podIp);
    // From the pod itself the search list finds the Service; the node's resolv.conf has none.
    expect(createShell(m, { kind: 'pod', namespace: 'default', name: 'client' }).run('curl -sS web').exitCode).toBe(0);
    expect(node.run(`ip netns exec ${client} curl -sS web`)).toMatchObject({ stderr: 'curl: (6) Could not resolve host: web\n', exitCode: 6 });
  });

  it('tcpdump armed under ip netns exec captures the pod’s interface, not the node’s of the same name', () => {
    const node = createShell(m, { kind: 'node', name: 'node-1' });
    const pod = createShell(m, { kind: 'pod', namespace: 'default', name: 'client' });
    const svc = m.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;
    const podIp = m.pods.find((p) => p.name === 'client')!.ip;
    node.run(`ip netns exec ${client} tcpdump -nn -i eth0`);
    pod.run('tcpdump -nn -i eth0');
    const fromNode = node.run(`ip netns exec ${client} curl -sS ${svc}`).stdout;
    const fromPod = pod.run(`curl -sS ${svc}`).stdout;
    // The pod's eth0 sees the connection itself, un-encapsulated: the pod address talking to the ClusterIP.
    expect(fromNode).toContain(` IP ${podIp}.`);
    expect(fromNode).toContain(` > ${svc}.80: Flags [S]`);
    expect(fromNode.split('\n').filter((l) => l.includes(' IP ')).length).toBe(fromPod.split('\n').filter((l) => l.includes(' IP ')).length);
  });

  it('answers bad input with iproute2’s errors', () => {
    const node = createShell(m, { kind: 'node', name: 'node-1' });
    expect(node.run('ip netns exec')).toMatchObject({ stderr: 'No netns name specified\n', exitCode: 255 });
    expect(node.run(`ip netns exec ${client}`)).toMatchObject({ stderr: 'No command specified\n', exitCode: 255 });
    expect(node.run('ip netns exec cni-nope ip a')).toMatchObject({ stderr: 'Cannot open network namespace "cni-nope": No such file or directory\n', exitCode: 255 });
    expect(node.run(`ip netns exec ${client} frobnicate`)).toMatchObject({ stderr: 'exec of "frobnicate" failed: No such file or directory\n', exitCode: 1 });
    expect(node.run('ip -n')).toMatchObject({ exitCode: 255 });
    // Another node's pod has no file under this node's /var/run/netns.
    expect(node.run(`ip netns exec ${netnsOf(m, 'web')} ip a`).exitCode).toBe(255);
    // Nor has a pod: /var/run/netns is the node's.
    expect(createShell(m, { kind: 'pod', namespace: 'default', name: 'client' }).run(`ip netns exec ${client} ip a`).exitCode).toBe(255);
  });
});
