// `kubectl exec POD -- CMD`: the command runs in the pod (its network namespace, files and host
// name), with kubectl's, the API server's and the kubelet's errors (exec.go, podcmd.go,
// registry/core/pod/strategy.go streamLocation, client-go remotecommand).
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
spec: {nodeName: node-2, containers: [{name: nginx, image: nginx, ports: [{containerPort: 8080}]}, {name: sidecar, image: busybox}]}
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
---
apiVersion: v1
kind: Pod
metadata: {name: lost}
spec: {nodeSelector: {disktype: ssd}, containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: clash}
spec: {nodeName: node-1, containers: [{name: a, image: nginx, ports: [{containerPort: 80}]}, {name: b, image: nginx, ports: [{containerPort: 80}]}]}
`);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

describe('kubectl exec', () => {
  const m = model();
  const node = () => createShell(m, { kind: 'node', name: 'node-1' });
  const inClient = () => createShell(m, { kind: 'pod', namespace: 'default', name: 'client' });

  it('runs the command inside the pod: its interfaces, routes, files and host name', () => {
    const sh = node();
    for (const cmd of ['ip addr', 'ip route', 'ss -ltn', 'cat /etc/resolv.conf', 'cat /etc/hosts', 'hostname']) {
      const inside = inClient().run(cmd);
      expect(sh.run(`kubectl exec client -- ${cmd}`)).toEqual(inside);
    }
    expect(sh.run('kubectl exec -it client -- hostname').stdout).toBe('client\n');
    expect(sh.run('kubectl exec client -- ip route').stdout).not.toBe(sh.run('ip route').stdout);
    // The same from another pod's terminal, and with the pod/NAME form and -n.
    expect(inClient().run('kubectl exec pod/web -c nginx -- hostname').stdout).toBe('web\n');
    expect(sh.run('kubectl -n default exec web -c nginx -- hostname').stdout).toBe('web\n');
  });

  it('connects from the pod: flows start at the pod address and names resolve with the pod’s search list', () => {
    const sh = node();
    const podIp = m.pods.find((p) => p.name === 'client')!.ip;
    const r = sh.run('kubectl exec client -- curl -sS web');
    expect(r.exitCode).toBe(0);
    const first = r.flows?.[0]?.hops[0]?.packet.headers.find((h) => h.kind === 'ipv4');
    expect(first && 'src' in first ? first.src : undefined).toBe(podIp);
    // The node itself has no search list: `web` does not resolve there.
    expect(sh.run('curl -sS web').exitCode).toBe(6);
  });

  it('defaults to the first container of a pod of several, saying so on stderr (unless -q)', () => {
    const sh = node();
    const r = sh.run('kubectl exec web -- hostname');
    expect(r).toEqual({ stdout: 'web\n', stderr: 'Defaulted container "nginx" out of: nginx, sidecar\n', exitCode: 0 });
    expect(sh.run('kubectl exec -q web -- hostname')).toEqual({ stdout: 'web\n', stderr: '', exitCode: 0 });
    expect(sh.run('kubectl exec web -c sidecar -- hostname').stderr).toBe('');
  });

  it('relays a failing command’s exit code as kubectl does; with -it its stderr comes on the terminal', () => {
    const sh = node();
    const r = sh.run('kubectl exec client -- cat /nope');
    expect(r).toEqual({ stdout: '', stderr: 'cat: /nope: No such file or directory\ncommand terminated with exit code 1\n', exitCode: 1 });
    const tty = sh.run('kubectl exec -it client -- cat /nope');
    expect(tty).toEqual({ stdout: 'cat: /nope: No such file or directory\n', stderr: 'command terminated with exit code 1\n', exitCode: 1 });
    expect(sh.run('kubectl exec client -- cat /nope || echo failed').stdout).toBe('failed\n');
  });

  it('passes stdin only with -i, and runs a whole line under sh -c', () => {
    const sh = node();
    expect(sh.run('echo hello | kubectl exec -i client -- cat').stdout).toBe('hello\n');
    expect(sh.run('echo hello | kubectl exec client -- cat').stdout).toBe('');
    const line = sh.run(`kubectl exec client -- sh -c 'ip -4 addr show eth0 | grep -c inet; hostname'`);
    expect(line).toEqual({ stdout: '1\nclient\n', stderr: '', exitCode: 0 });
    // The history holds the typed line, not the line sh ran.
    expect(sh.history.at(-1)).toBe(`kubectl exec client -- sh -c 'ip -4 addr show eth0 | grep -c inet; hostname'`);
    expect(sh.history.filter((l) => l.startsWith('ip '))).toEqual([]);
    expect(sh.run('kubectl exec client -- sh').stderr).toMatch(/^hopscope: an interactive sh is not simulated/);
    expect(sh.run('kubectl exec -it client -- bash').stdout).toMatch(/^hopscope: an interactive bash is not simulated/);
  });

  it('accepts the old form without -- with kubectl’s deprecation warning', () => {
    const r = node().run('kubectl exec client hostname');
    expect(r).toEqual({ stdout: 'client\n', stderr: 'kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n', exitCode: 0 });
  });

  it('answers with the real errors, from kubectl, the API server, the kubelet and the runtime', () => {
    const sh = node();
    expect(sh.run('kubectl exec')).toEqual({ stdout: '', stderr: 'error: pod, type/name or --filename must be specified\n', exitCode: 1 });
    expect(sh.run('kubectl exec -- ls')).toMatchObject({ stderr: 'error: pod, type/name or --filename must be specified\n', exitCode: 1 });
    expect(sh.run('kubectl exec client')).toMatchObject({ stderr: 'error: you must specify at least one command for the container\n', exitCode: 1 });
    expect(sh.run('kubectl exec nope -- ls')).toMatchObject({ stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    expect(sh.run('kubectl exec -n kube-system client -- ls')).toMatchObject({ stderr: 'Error from server (NotFound): pods "client" not found\n', exitCode: 1 });
    expect(sh.run('kubectl exec web -c nope -- ls')).toMatchObject({ stderr: 'Error from server (BadRequest): container nope is not valid for pod web\n', exitCode: 1 });
    expect(sh.run('kubectl exec lost -- ls')).toMatchObject({ stderr: 'Error from server (BadRequest): pod lost does not have a host assigned\n', exitCode: 1 });
    // The second container cannot bind its port: it crash-loops, so the kubelet finds no running container.
    expect(sh.run('kubectl exec clash -c b -- ls')).toMatchObject({ stderr: 'error: unable to upgrade connection: container not found ("b")\n', exitCode: 1 });
    expect(sh.run('kubectl exec clash -c a -- hostname').stdout).toBe('clash\n');
    const missing = sh.run('kubectl exec client -- frobnicate');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "frobnicate": executable file not found in \$PATH: unknown\n$/);
    expect(sh.run('kubectl exec -x client -- ls')).toMatchObject({ stderr: "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl exec --help' for usage.\n", exitCode: 1 });
    expect(sh.run('kubectl exec --bogus client -- ls')).toMatchObject({ stderr: "error: unknown flag: --bogus\nSee 'kubectl exec --help' for usage.\n", exitCode: 1 });
    expect(sh.run('kubectl exec client -c')).toMatchObject({ stderr: "error: flag needs an argument: 'c' in -c\nSee 'kubectl exec --help' for usage.\n", exitCode: 1 });
  });

  it('prints kubectl’s usage for --help before --, and passes --help after it to the command', () => {
    const sh = node();
    const help = sh.run('kubectl exec --help');
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Execute a command in a container\.\n/);
    expect(help.stdout).toContain('  kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]\n');
    expect(sh.run('kubectl exec client -- ip --help').stdout).toBe(sh.run('ip --help').stdout);
    expect(sh.run('kubectl --help').stdout).toContain('exec');
  });

  it('completes pod names after exec, and the pod’s containers after -c', () => {
    const sh = node();
    expect(sh.complete('kubectl exec ')).toEqual(['clash', 'client', 'lost', 'web']);
    expect(sh.complete('kubectl exec cl')).toEqual(['clash', 'client']);
    expect(sh.complete('kubectl exec -it w')).toEqual(['web']);
    expect(sh.complete('kubectl exec web -c ')).toEqual(['nginx', 'sidecar']);
    expect(sh.complete('kubectl ex')).toEqual(['exec']);
    // After --, the command run in the pod completes as typed on its own.
    expect(sh.complete('kubectl exec client -- ipt')).toEqual(['iptables', 'iptables-nft', 'iptables-nft-save', 'iptables-save']);
    expect(sh.complete('kubectl exec client -- ip ro')).toEqual(sh.complete('ip ro'));
  });
});

describe('kubectl exec TYPE/NAME', () => {
  const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {nodes: 2, dns: false, cni: {plugin: flannel}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api-v2}
spec:
  replicas: 1
  selector: {matchLabels: {app: api2}}
  template:
    metadata: {labels: {app: api2}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: bare}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: nobody}
spec: {selector: {app: none}, ports: [{port: 80}]}
`);
  const m = r.model!;
  const sh = () => createShell(m, { kind: 'node', name: 'node-1' });
  const api = m.pods.filter((p) => p.labels['app'] === 'api').map((p) => p.name);
  const v2 = m.pods.filter((p) => p.labels['app'] === 'api2').map((p) => p.name);

  it('runs in the first pod of a Deployment or a Service, not in a Deployment whose name only starts the same', () => {
    expect(api).toHaveLength(2);
    expect(sh().run('kubectl exec deploy/api -- hostname').stdout).toBe(`${api[0]}\n`);
    expect(sh().run('kubectl exec deployment.apps/api-v2 -- hostname').stdout).toBe(`${v2[0]}\n`);
    expect(sh().run('kubectl exec svc/api -- hostname').stdout).toBe(`${api[0]}\n`);
    expect(sh().run(`kubectl exec pods/${api[1]} -- hostname`).stdout).toBe(`${api[1]}\n`);
  });

  it('answers what it cannot find as the API server and kubectl do', () => {
    expect(sh().run('kubectl exec deploy/nope -- ls')).toMatchObject({ stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', exitCode: 1 });
    expect(sh().run('kubectl exec svc/nope -- ls')).toMatchObject({ stderr: 'Error from server (NotFound): services "nope" not found\n', exitCode: 1 });
    expect(sh().run('kubectl exec svc/bare -- ls')).toMatchObject({ stderr: "error: invalid service 'bare': Service is defined without a selector\n", exitCode: 1 });
    expect(sh().run('kubectl exec svc/nobody -- ls')).toMatchObject({ stderr: 'error: timed out waiting for the condition\n', exitCode: 1 });
    expect(sh().run('kubectl exec foo/bar -- ls')).toMatchObject({ stderr: 'error: the server doesn\'t have a resource type "foo"\n', exitCode: 1 });
  });
});
