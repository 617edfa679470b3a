// hopscope run: the seed experiment's distribution, reproducibility, and faults between requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { renderIptablesSave } from '../render/iptables-save';
import { runTraffic } from './run';

const SEED_EXPERIMENT = readFileSync(join(__dirname, '../../../fixtures/scenarios/service-test.yaml'), 'utf8');

function run(text: string, seed?: number) {
  const r = loadScenario(text);
  return { model: r.model!, result: runTraffic(r.model!, r.scenario, seed !== undefined ? { seed } : {}) };
}

describe('the seed experiment: a client calling a 2-endpoint ClusterIP Service 200 times', () => {
  it('lands near 50/50 (each endpoint 35-65 %) for several seeds', () => {
    for (const seed of [undefined, 2, 3, 4]) {
      const { result } = run(SEED_EXPERIMENT, seed);
      const q = result.requests[0]!;
      expect(result.errors).toEqual([]);
      expect(q).toMatchObject({ count: 200, delivered: 200, dropped: 0 });
      const counts = Object.values(q.byEndpoint);
      expect(counts).toHaveLength(2);
      for (const n of counts) {
        expect(n / 200).toBeGreaterThanOrEqual(0.35);
        expect(n / 200).toBeLessThanOrEqual(0.65);
      }
    }
  });

  it('is reproducible by seed and changes with it', () => {
    expect(run(SEED_EXPERIMENT, 9).result).toEqual(run(SEED_EXPERIMENT, 9).result);
    expect(run(SEED_EXPERIMENT, 9).result).not.toEqual(run(SEED_EXPERIMENT, 10).result);
  });
});

const FAULTS = (faults: string, count = 40) => `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: f}
spec: {nodes: 2, seed: 4, dns: false}  # only the DNAT rules of the Services under test
---
apiVersion: v1
kind: Pod
metadata: {name: web-a, labels: {app: web}}
spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-b, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: c, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: c}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: hopscope/v1alpha1
kind: Traffic
metadata: {name: t}
spec:
  requests: [{from: pod/client, to: "http://web.default.svc.cluster.local", count: ${count}}]
  faults: ${faults}
`;

describe('faults between requests', () => {
  it('a deleted pod leaves the endpoints and kube-proxy stops sending to it', () => {
    const loaded = loadScenario(FAULTS('[{after: 20, action: delete, target: pod/web-b}]'));
    const model = loaded.model!;
    const [a, b] = ['web-a', 'web-b'].map((n) => model.pods.find((p) => p.name === n)!.ip);
    const result = runTraffic(model, loaded.scenario);
    const q = result.requests[0]!;
    expect(q.delivered).toBe(40);
    expect(q.byEndpoint['default/web-a']).toBeGreaterThanOrEqual(20);
    expect(q.byEndpoint['default/web-b'] ?? 0).toBeLessThanOrEqual(20);
    expect(model.pods.some((p) => p.name === 'web-b')).toBe(false);
    const nat = renderIptablesSave(model.netns.get('node-1')!.netfilter, { tables: ['nat'] });
    expect(nat).toContain(`--to-destination ${a}:8080`);
    expect(nat).not.toContain(`${b}`);
  });

  it('not-ready then ready takes an endpoint out and puts it back', () => {
    const { result } = run(FAULTS('[{after: 0, action: not-ready, target: pod/web-a}, {after: 20, action: ready, target: pod/web-a}]'));
    const q = result.requests[0]!;
    expect(q.delivered).toBe(40);
    expect(q.byEndpoint['default/web-b']).toBeGreaterThanOrEqual(20);
    expect(q.byEndpoint['default/web-a']).toBeGreaterThan(0);
  });

  it('node-down marks its pods not ready everywhere; all traffic goes to the other node', () => {
    const { result } = run(FAULTS('[{after: 0, action: node-down, target: node/node-2}]', 20));
    expect(result.requests[0]!.byEndpoint).toEqual({ 'default/web-a': 20 });
  });

  it('no endpoints left: connections are refused', () => {
    const { result } = run(FAULTS('[{after: 0, action: delete, target: pod/web-a}, {after: 0, action: delete, target: pod/web-b}]', 5));
    expect(result.requests[0]).toMatchObject({ delivered: 0, dropped: 5, reasons: { reject: 5 } });
  });

  it('an unknown fault target is an error, not a crash', () => {
    const { result } = run(FAULTS('[{after: 0, action: delete, target: pod/nope}]', 2));
    expect(result.errors[0]).toContain('no such pod');
    expect(result.requests[0]!.delivered).toBe(2);
  });
});
