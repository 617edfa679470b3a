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
});
