import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { renderGetPods } from './kubectl';

const scenario = (meta: string) => `apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {nodes: 1, cni: {plugin: bridge}}
---
apiVersion: v1
kind: Pod
metadata: {name: old, ${meta}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: new}
spec: {containers: [{name: c, image: nginx}]}
`;

describe('kubectl get pods', () => {
  it('a pod with a deletionTimestamp shows Terminating, the others Running (printPod)', () => {
    const model = loadScenario(scenario('deletionTimestamp: "2026-01-01T00:00:00Z"')).model!;
    const rows = renderGetPods(model).split('\n').filter(Boolean);
    expect(rows.find((r) => r.startsWith('old '))).toMatch(/^old\s+1\/1\s+Terminating\s+0\s+<unknown>$/);
    expect(rows.find((r) => r.startsWith('new '))).toMatch(/^new\s+1\/1\s+Running\s+0\s+<unknown>$/);
  });

  it('without one, both are Running', () => {
    const model = loadScenario(scenario('labels: {a: b}')).model!;
    expect(renderGetPods(model).match(/Running/g)).toHaveLength(2);
  });

  it('two containers declaring one port: the second crash-loops on EADDRINUSE, READY 1/2, STATUS CrashLoopBackOff, out of the endpoints', () => {
    // What a real cluster shows for this pod (kubectl get pods): "1/2 CrashLoopBackOff 1 (13s ago)";
    // without a clock, RESTARTS is the one restart that makes a container back off.
    const text = `apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {nodes: 1, cni: {plugin: bridge}}
---
apiVersion: v1
kind: Pod
metadata: {name: twin, labels: {app: twin}}
spec:
  containers:
  - {name: one, image: nginx, ports: [{containerPort: 80}]}
  - {name: two, image: nginx, ports: [{containerPort: 80}, {containerPort: 8080}]}
  - {name: udp, image: dns, ports: [{containerPort: 80, protocol: UDP}, {containerPort: 80, protocol: UDP}]}
`;
    const model = loadScenario(text).model!;
    expect(renderGetPods(model)).toMatch(/\ntwin\s+2\/3\s+CrashLoopBackOff\s+1\s+<unknown>\n/);
    const pod = model.pods.find((p) => p.name === 'twin')!;
    expect(pod.ready).toBe(false);
    expect(pod.containers.map((c) => c.crashLoop ?? 'runs')).toEqual(['runs', 'bind: address already in use (80/TCP is held by container one)', 'runs']);
    // The crashed process holds none of its ports; the same port over UDP is another socket.
    const sockets = model.netns.get(pod.netns)!.sockets.map((s) => `${s.protocol}/${s.port} ${s.owner}`);
    expect(sockets).toEqual(['tcp/80 one', 'udp/80 udp']);
  });
});
