import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { podRequest } from './pod-request';
import type { PodRequest } from './pod-request';
import { corednsDeployment } from '../dns/system-objects';
import { expandDeployment } from '../controllers/workloads';
import { parseScenario } from '../scenario/parse';
import type { DesiredPod } from '../controllers/workloads';
import type { Pod } from '../k8s/types';

// V8's own answer to "do these objects share a hidden class?" (a natives call, allowed from here on).
setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const ORIGIN = { line: 1, col: 1, offset: 0, end: 0 };

/** The objects per-pod code reads, level by level. */
function levels(r: PodRequest): object[] {
  const c = r.spec.containers[0]!;
  return [r, r.spec, r.spec.containers, c, c.ports, c.ports[0]!];
}

describe('podRequest', () => {
  it('gives a CoreDNS pod and a pod the parser read the same hidden class at every level (their API objects differ)', () => {
    const dns = expandDeployment(1, { value: corednsDeployment(), pos: ORIGIN, fieldPos: () => ORIGIN })[0]!;
    const parsed = parseScenario('apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 80\n');
    const user: DesiredPod = { pod: parsed.scenario.pods[0]!.value, pos: ORIGIN };
    // What made the second shape: the API objects themselves.
    expect(sameMap(dns.pod.spec, user.pod.spec) && sameMap(dns.pod.spec.containers[0]!, user.pod.spec.containers[0]!)).toBe(false);
    const a = levels(podRequest(dns)!);
    const b = levels(podRequest(user)!);
    a.forEach((x, i) => expect(sameMap(x, b[i]!)).toBe(true));
  });

  const port = fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), name: fc.option(fc.constantFrom('http', 'dns', ''), { nil: undefined }), protocol: fc.option(fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const), { nil: undefined }), hostPort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), hostIP: fc.option(fc.constant('10.0.0.1'), { nil: undefined }) }, { requiredKeys: ['containerPort'] });
  const container = fc.record({ name: fc.constantFrom('a', 'b'), image: fc.option(fc.constant('nginx'), { nil: undefined }), ports: fc.option(fc.array(port, { maxLength: 3 }), { nil: undefined }) }, { requiredKeys: ['name'] });
  const pod = fc.record({
    name: fc.option(fc.constantFrom('p', ''), { nil: undefined }),
    namespace: fc.option(fc.constantFrom('default', 'kube-system'), { nil: undefined }),
    labels: fc.option(fc.dictionary(fc.constantFrom('app', 'tier'), fc.string({ maxLength: 3 })), { nil: undefined }),
    annotations: fc.option(fc.constant({ 'hopscope.dev/pod-ip': '10.244.0.9' }), { nil: undefined }),
    deletionTimestamp: fc.option(fc.constant('2024-01-01T00:00:00Z'), { nil: undefined }),
    ready: fc.option(fc.constantFrom('True' as const, 'False' as const), { nil: undefined }),
    nodeName: fc.option(fc.constant('node-1'), { nil: undefined }),
    hostNetwork: fc.option(fc.boolean(), { nil: undefined }),
    containers: fc.option(fc.array(container, { maxLength: 3 }), { nil: undefined }),
    owner: fc.option(fc.constant('ReplicaSet/x'), { nil: undefined }),
  });

  it('reads what the compiler read off the API object (property test)', () => {
    fc.assert(
      fc.property(pod, (p) => {
        const api = { kind: 'Pod', metadata: { name: p.name, namespace: p.namespace, labels: p.labels, annotations: p.annotations, deletionTimestamp: p.deletionTimestamp }, spec: { nodeName: p.nodeName, hostNetwork: p.hostNetwork, containers: p.containers }, ...(p.ready ? { status: { conditions: [{ type: 'Ready', status: p.ready }] } } : {}) } as unknown as Pod;
        const want: DesiredPod = p.owner ? { pod: api, pos: ORIGIN, owner: p.owner } : { pod: api, pos: ORIGIN };
        const r = podRequest(want);
        if (!p.name || !Array.isArray(p.containers)) {
          expect(r).toBeNull();
          return;
        }
        expect(r).not.toBeNull();
        expect([r!.name, r!.namespace, r!.labels, r!.annotations, r!.owner, r!.terminating, r!.ready]).toEqual([p.name, p.namespace, p.labels, p.annotations, p.owner, !!p.deletionTimestamp, p.ready ? p.ready === 'True' : true]);
        expect([r!.spec.nodeName, r!.spec.hostNetwork, r!.spec.nodeSelector]).toEqual([p.nodeName, p.hostNetwork, undefined]);
        // Containers and ports field for field (an absent optional is undefined on the request).
        expect(r!.spec.containers.map((c) => ({ ...c, ports: c.ports.map((x) => ({ ...x })) }))).toEqual(p.containers.map((c) => ({ name: c.name, image: c.image, ports: (c.ports ?? []).map((x) => ({ name: x.name, containerPort: x.containerPort, protocol: x.protocol, hostPort: x.hostPort, hostIP: x.hostIP })) })));
      }),
      { numRuns: 300 },
    );
  });
});
