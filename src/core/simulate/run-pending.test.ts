/**
 * Traffic faults on a pod left ContainerCreating (its sandbox failed): Kubernetes deletes such
 * a pod like any other, so a `delete` fault removes it; `ready`/`not-ready` still say why they
 * cannot apply (the pod has no sandbox to probe).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { renderGetPods } from '../render/kubectl';
import { renderDescribePod } from '../shell/kubectl-describe';
import { runTraffic } from './run';

/** One node whose /29 leaves 5 pod addresses: 7 replicas leave web pods 6 and 7 pending. */
function scenario(faults: unknown[]): string {
  return [
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'small' }, spec: { nodes: 1, podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 29, dns: false, cni: { plugin: 'bridge' } } }),
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 7, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } } } }),
    JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Traffic', metadata: { name: 't' }, spec: { requests: [{ from: 'pod/PLACEHOLDER', to: 'http://web:80', count: 2 }], faults } }),
  ].join('\n---\n');
}

function load(faults: (pending: string[]) => unknown[]) {
  const names = loadScenario(scenario([])).model!;
  const pending = names.pendingPods!.map((p) => p.name);
  const client = names.pods[0]!.name;
  const r = loadScenario(scenario(faults(pending)).replace('PLACEHOLDER', client));
  return { model: r.model!, scenario: r.scenario, pending };
}

describe('a Traffic fault on a ContainerCreating pod', () => {
  it('delete removes it: no error, gone from kubectl get/describe, the other pending pod stays', () => {
    const { model, scenario: sc, pending } = load((p) => [{ after: 1, action: 'delete', target: `pod/default/${p[0]}` }]);
    expect(pending).toHaveLength(2);
    const run = runTraffic(model, sc);
    expect(run.errors).toEqual([]);
    expect(run.requests[0]!.delivered).toBe(2);
    expect(model.pendingPods!.map((p) => p.name)).toEqual([pending[1]]);
    const rows = renderGetPods(model, {});
    expect(rows).not.toContain(pending[0]!);
    expect(rows).toMatch(new RegExp(`^${pending[1]}\\s+0/1\\s+ContainerCreating`, 'm'));
    expect(renderDescribePod(model, pending[0]!, 'default')).toBeNull();
  });

  it('deleting every pending pod leaves no pending list (absent when there are none)', () => {
    const { model, scenario: sc } = load((p) => p.map((name) => ({ action: 'delete', target: `pod/${name}` })));
    const run = runTraffic(model, sc);
    expect(run.errors).toEqual([]);
    expect(model.pendingPods).toBeUndefined();
    expect(renderGetPods(model, {})).not.toMatch(/ContainerCreating/);
  });

  it('a second delete of the same pod finds no such pod; not-ready still gives the sandbox reason', () => {
    const { model, scenario: sc, pending } = load((p) => [
      { action: 'not-ready', target: `pod/${p[0]}` },
      { action: 'delete', target: `pod/${p[0]}` },
      { action: 'delete', target: `pod/${p[0]}` },
    ]);
    const run = runTraffic(model, sc);
    expect(run.errors).toHaveLength(2);
    expect(run.errors[0]).toMatch(new RegExp(`^fault not-ready pod/${pending[0]}: pod default/${pending[0]} has no IP: its sandbox was not created \\(`));
    expect(run.errors[1]).toBe(`fault delete pod/${pending[0]}: no such pod`);
  });
});
