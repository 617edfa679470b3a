// `crictl inspectp`/`inspect` print a sandbox's and a container's PID (containerd's info.pid),
// and `nsenter -t PID -n CMD` / `nsenter --net=FILE CMD` run CMD in that process's namespaces
// (util-linux nsenter.c): the workflow of every "find the pod's netns" tutorial.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel } from '../model/types';
import { createShell } from './index';
import { nodeProcesses, pidOf } from './processes';
import { containerId } from './runtime-ids';

function model(): ClusterModel {
  const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {nodes: 2, cni: {plugin: flannel}}
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
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: shell, image: alpine}]}
---
apiVersion: v1
kind: Pod
metadata: {name: far}
spec: {nodeName: node-2, containers: [{name: c, image: alpine}]}
`);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

const pod = (m: ClusterModel, name: string) => m.pods.find((p) => p.name === name)!;

describe('process ids', () => {
  it('are deterministic, unique on a node, and grow in the order the pods were started', () => {
    const m = model();
    expect(nodeProcesses(m, 'node-1')).toEqual(nodeProcesses(model(), 'node-1'));
    const pids = nodeProcesses(m, 'node-1').map((p) => p.pid);
    expect(pids).toEqual([...pids].sort((a, b) => a - b));
    expect(new Set(pids).size).toBe(pids.length);
    expect(pids.every((p) => p > 1)).toBe(true);
    // pause, app, sidecar of `two`, then pause and shell of `client`, each container after its pause.
    const two = pod(m, 'two');
    expect(pidOf(m, two)! < pidOf(m, two, 'app')!).toBe(true);
    expect(pidOf(m, two, 'sidecar')! < pidOf(m, pod(m, 'client'))!).toBe(true);
  });
});

describe('crictl inspectp / inspect', () => {
  const m = model();
  const sh = () => createShell(m, { kind: 'node', name: 'node-1' });
  const two = pod(m, 'two');

  it('inspectp: the sandbox’s status and containerd’s info, keys sorted; info.pid is the pause process', () => {
    const r = sh().run(`crictl inspectp ${two.containerId.slice(0, 13)}`);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as { info: Record<string, unknown>; status: Record<string, unknown> };
    expect(Object.keys(j)).toEqual(['info', 'status']);
    expect(j.status).toMatchObject({ id: two.containerId, state: 'SANDBOX_READY', metadata: { name: 'two', namespace: 'default', attempt: 0 }, network: { ip: two.ip } });
    expect(j.info['pid']).toBe(pidOf(m, two));
    const netns = m.netns.get(two.netns)!.name;
    expect(j.info['runtimeSpec']).toEqual({ linux: { namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { path: `/var/run/netns/${netns}`, type: 'network' }] } });
    // json.Indent with two spaces, as crictl prints it.
    expect(r.stdout).toContain(`\n  "info": {\n    "image": "registry.k8s.io/pause:3.10",\n`);
    expect(sh().run(`crictl inspectp -o go-template --template '{{.info.pid}}' ${two.containerId}`).stdout).toBe(`${pidOf(m, two)}\n`);
    expect(sh().run(`crictl inspectp --output go-template --template '{{.status.network.ip}} {{.info.nope}}' ${two.containerId}`).stdout).toBe(`${two.ip} <no value>\n`);
    // -q: not verbose, no info.
    expect(Object.keys(JSON.parse(sh().run(`crictl inspectp -q ${two.containerId}`).stdout) as object)).toEqual(['status']);
    // Without an id: every sandbox of the node, in an array.
    const all = JSON.parse(sh().run('crictl inspectp').stdout) as { status: { id: string } }[];
    expect(all.map((x) => x.status.id)).toEqual(sh().run('crictl pods -q').stdout.trim().split('\n'));
    expect(all.length).toBeGreaterThan(1);
  });

  it('inspect: a container’s pid, and its network namespace is its pause process’s', () => {
    const j = JSON.parse(sh().run(`crictl inspect ${containerId(m, two, 'app').slice(0, 13)}`).stdout) as { info: { pid: number; sandboxID: string; runtimeSpec: { linux: { namespaces: { type: string; path?: string }[] } } } };
    expect(j.info.pid).toBe(pidOf(m, two, 'app'));
    expect(j.info.sandboxID).toBe(two.containerId);
    expect(j.info.runtimeSpec.linux.namespaces.find((n) => n.type === 'network')?.path).toBe(`/proc/${pidOf(m, two)}/ns/net`);
  });

  it('answers an unknown id with the runtime’s NotFound', () => {
    expect(sh().run('crictl inspectp ffff')).toMatchObject({ exitCode: 1, stderr: 'FATA[0000] get the status of pod sandboxes: get pod sandbox status: rpc error: code = NotFound desc = an error occurred when try to find sandbox: not found\n' });
    expect(sh().run('crictl inspect ffff')).toMatchObject({ exitCode: 1, stderr: 'FATA[0000] get container status: rpc error: code = NotFound desc = an error occurred when try to find container "ffff": not found\n' });
    expect(sh().run('crictl inspect')).toMatchObject({ exitCode: 1, stderr: 'FATA[0000] ID cannot be empty\n' });
  });
});

describe('nsenter', () => {
  const m = model();
  const node = () => createShell(m, { kind: 'node', name: 'node-1' });
  const inside = () => createShell(m, { kind: 'pod', namespace: 'default', name: 'client' });
  const client = pod(m, 'client');
  const pause = pidOf(m, client)!;

  it('-t PID -n: the pod’s network namespace, the node’s files and host name (as ip netns exec)', () => {
    const sh = node();
    for (const cmd of ['ip addr', 'ip route', 'ss -ltn']) expect(sh.run(`nsenter -t ${pause} -n ${cmd}`)).toEqual(inside().run(cmd));
    expect(sh.run(`nsenter -t ${pause} -n hostname`).stdout).toBe('node-1\n');
    expect(sh.run(`nsenter -t ${pause} -n cat /etc/resolv.conf`)).toEqual(sh.run('cat /etc/resolv.conf'));
    // A container's PID gives the same network namespace: it joined its pause process's.
    const app = pidOf(m, pod(m, 'two'), 'app')!;
    expect(sh.run(`nsenter --target=${app} --net ip addr`)).toEqual(createShell(m, { kind: 'pod', namespace: 'default', name: 'two' }).run('ip addr'));
    // PID 1 is the node's init: its own namespaces.
    expect(sh.run('nsenter -t 1 -n ip route')).toEqual(sh.run('ip route'));
  });

  it('--net=FILE: /var/run/netns/cni-… or /proc/PID/ns/net', () => {
    const sh = node();
    const name = m.netns.get(client.netns)!.name;
    expect(sh.run(`nsenter --net=/var/run/netns/${name} ip route`)).toEqual(inside().run('ip route'));
    expect(sh.run(`nsenter -n/run/netns/${name} ip route`)).toEqual(inside().run('ip route'));
    expect(sh.run(`nsenter --net=/proc/${pause}/ns/net -- ip route`)).toEqual(inside().run('ip route'));
  });

  it('-u gives the pod’s host name, -m a container’s files; the pause process’s root has no programs', () => {
    const sh = node();
    const shell = pidOf(m, client, 'shell')!;
    expect(sh.run(`nsenter -t ${shell} -u hostname`).stdout).toBe('client\n');
    expect(sh.run(`nsenter -t ${shell} -a cat /etc/resolv.conf`)).toEqual(inside().run('cat /etc/resolv.conf'));
    expect(sh.run(`nsenter -t ${shell} -m -u -n -i -p sh -c 'hostname; ip -br addr show eth0'`)).toEqual(inside().run('hostname; ip -br addr show eth0'));
    expect(sh.run(`nsenter -t ${pause} -a ip addr`)).toEqual({ stdout: '', stderr: 'nsenter: failed to execute ip: No such file or directory\n', exitCode: 127 });
  });

  it('starts flows from the pod', () => {
    const r = node().run(`nsenter -t ${pause} -n ping -c 1 ${pod(m, 'far').ip}`);
    expect(r.exitCode).toBe(0);
    const first = r.flows?.[0]?.hops[0]?.packet.headers.find((h) => h.kind === 'ipv4');
    expect(first && 'src' in first ? first.src : undefined).toBe(client.ip);
  });

  it('answers bad input with nsenter’s errors', () => {
    const sh = node();
    expect(sh.run('nsenter ip a')).toEqual({ stdout: '', stderr: 'nsenter: no namespace specified\n', exitCode: 1 });
    expect(sh.run(`nsenter -t ${pause} ip a`)).toMatchObject({ stderr: 'nsenter: no namespace specified\n', exitCode: 1 });
    expect(sh.run('nsenter -n ip a')).toMatchObject({ stderr: 'nsenter: no target PID specified\n', exitCode: 1 });
    expect(sh.run('nsenter -t 99999 -n ip a')).toMatchObject({ stderr: 'nsenter: cannot open /proc/99999/ns/net: No such file or directory\n', exitCode: 1 });
    expect(sh.run('nsenter -t 99999 -a ip a')).toMatchObject({ stderr: 'nsenter: stat of /proc/99999/ns/user failed: No such file or directory\n', exitCode: 1 });
    expect(sh.run('nsenter -t 99999 -u -n ip a')).toMatchObject({ stderr: 'nsenter: cannot open /proc/99999/ns/uts: No such file or directory\n' });
    expect(sh.run('nsenter -t abc ip a')).toMatchObject({ stderr: "nsenter: failed to parse pid: 'abc'\n", exitCode: 1 });
    expect(sh.run('nsenter --net=/var/run/netns/cni-nope ip a')).toMatchObject({ stderr: 'nsenter: cannot open /var/run/netns/cni-nope: No such file or directory\n', exitCode: 1 });
    expect(sh.run('nsenter -t abc -n ip a')).toMatchObject({ stderr: "nsenter: failed to parse pid: 'abc'\n", exitCode: 1 });
    expect(sh.run(`nsenter -t 1 -t ${pause} -n ip a`)).toMatchObject({ stderr: 'nsenter: option --target may be given only once\n' });
    expect(sh.run(`nsenter -t ${pause} -n frobnicate`)).toEqual({ stdout: '', stderr: 'nsenter: failed to execute frobnicate: No such file or directory\n', exitCode: 127 });
    expect(sh.run('nsenter -x')).toMatchObject({ stderr: "nsenter: invalid option -- 'x'\nTry 'nsenter --help' for more information.\n", exitCode: 1 });
    expect(sh.run('nsenter --bogus')).toMatchObject({ stderr: "nsenter: unrecognized option '--bogus'\nTry 'nsenter --help' for more information.\n", exitCode: 1 });
    expect(sh.run(`nsenter -t ${pause} -n`).stderr).toMatch(/^hopscope: nsenter without a program would start an interactive shell/);
    expect(sh.run('nsenter --help').stdout).toMatch(/^\nUsage:\n nsenter \[options\] \[<program> \[<argument>\.\.\.\]\]\n/);
  });

  it('in a pod: no node PIDs, no /var/run/netns, and no CAP_SYS_ADMIN for its own', () => {
    const sh = inside();
    expect(sh.run(`nsenter -t ${pause} -n ip a`)).toMatchObject({ stderr: `nsenter: cannot open /proc/${pause}/ns/net: No such file or directory\n`, exitCode: 1 });
    expect(sh.run('nsenter -t 1 -n ip a')).toMatchObject({ stderr: "nsenter: reassociate to namespace 'ns/net' failed: Operation not permitted\n", exitCode: 1 });
    expect(sh.run('nsenter -t 1 -a ip a')).toMatchObject({ stderr: "nsenter: reassociate to namespace 'ns/cgroup' failed: Operation not permitted\n", exitCode: 1 });
  });

  it('completes PIDs after -t', () => {
    const c = node().complete('nsenter -t ');
    expect(c).toContain('1');
    expect(c).toContain(String(pause));
    expect(node().complete(`nsenter -t ${pause} -n ns`)).toEqual(['nsenter', 'nslookup']);
    expect(node().complete(`nsenter -t ${pause} -n ip ro`)).toEqual(node().complete('ip ro'));
  });
});
