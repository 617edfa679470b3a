// A request to a name reads /etc/hosts before asking DNS, as glibc's resolver does (nsswitch
// "hosts: files dns"): containers of one pod reach each other at `localhost` (Kubernetes docs,
// "Cluster Networking": containers in a pod share a network namespace and talk over localhost),
// and the kubelet-managed hosts file also maps the pod's own hostname to its IP.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { traceRequest } from './request';

const SCENARIO = `apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {nodes: 1, cni: {plugin: flannel}}
---
apiVersion: v1
kind: Pod
metadata: {name: side}
spec:
  nodeName: node-1
  containers:
  - {name: app, image: nginx, ports: [{containerPort: 80}]}
  - {name: sidecar, image: busybox, ports: [{containerPort: 9000, protocol: UDP}]}
`;

describe('traceRequest: names from /etc/hosts', () => {
  it('reaches a sibling container at localhost without any DNS query', () => {
    const model = loadScenario(SCENARIO).model!;
    for (const to of ['http://localhost:80', 'udp://localhost:9000', 'LOCALHOST:80']) {
      const r = traceRequest(model, { from: 'pod/default/side/sidecar', to });
      if (!r.ok) throw new Error(r.error);
      expect(r.trace.error).toBeUndefined();
      expect(r.trace.lookup).toBeUndefined();
      expect(r.trace.flows).toHaveLength(1);
      expect(r.trace.flow?.verdict).toBe('delivered');
      expect(r.trace.flow?.hops[0]?.packet.headers.find((h) => h.kind === 'ipv4')).toMatchObject({ src: '127.0.0.1', dst: '127.0.0.1' });
    }
  });

  it("resolves the pod's own hostname to its IP, and localhost on a node", () => {
    const model = loadScenario(SCENARIO).model!;
    const pod = model.pods.find((p) => p.name === 'side')!;
    const own = traceRequest(model, { from: 'pod/default/side', to: 'http://side:80' });
    if (!own.ok) throw new Error(own.error);
    expect(own.trace.lookup).toBeUndefined();
    expect(own.trace.flow?.hops[0]?.packet.headers.find((h) => h.kind === 'ipv4')).toMatchObject({ dst: pod.ip });
    const node = traceRequest(model, { from: 'node/node-1', to: 'localhost:10250' });
    if (!node.ok) throw new Error(node.error);
    expect(node.trace.lookup).toBeUndefined();
    expect(node.trace.flow?.hops[0]?.packet.headers.find((h) => h.kind === 'ipv4')).toMatchObject({ dst: '127.0.0.1' });
  });
});
