// The runtime's DEL calls in a pod's CNI log: a successful DEL prints nothing on stdout (only
// ADD returns a result, spec/cni.md §2), and DEL lo is given the same loopback configuration
// as ADD lo (the plugin entry with the list's cniVersion and name), whether the runtime tears
// a failed sandbox down or stops a deleted pod's.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { runTraffic } from '../simulate/run';
import { renderCniLog } from './cni-log';

const scenario = (faults: unknown[]) =>
  [
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { nodes: 1, podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 30, dns: false, cni: { plugin: 'flannel' } } }),
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }),
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }),
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Traffic', metadata: { name: 't' }, spec: { requests: [], faults } }),
  ].join('\n---\n');

/** The log split into its calls: title, stdin JSON, stdout text. */
function calls(log: string) {
  return log
    .split(/\n(?=# )/)
    .map((s) => ({ title: s.split('\n')[0], stdin: s.slice(s.indexOf('## stdin (network configuration)\n') + 33, s.indexOf('\n## stdout (result)\n')), stdout: s.slice(s.indexOf('## stdout (result)\n') + 19).trimEnd() }));
}

describe('DEL in the CNI log', () => {
  it('after a failed ADD: the error JSON for ADD eth0, nothing printed by either DEL', () => {
    const m = loadScenario(scenario([])).model!;
    const log = calls(renderCniLog(m, 'default/b'));
    expect(log.map((c) => c.title)).toEqual(['# ADD lo', '# ADD eth0 (failed)', '# DEL eth0', '# DEL lo']);
    expect(JSON.parse(log[1]!.stdout)).toMatchObject({ code: 999 });
    expect(log[2]!.stdout).toBe('(nothing: a successful DEL prints no result)');
    expect(log[3]!.stdout).toBe('(nothing: a successful DEL prints no result)');
    expect(log[3]!.stdin).toBe(log[0]!.stdin);
  });

  it('for a deleted pod: DEL eth0 then DEL lo, lo with the configuration ADD lo had', () => {
    const r = loadScenario(scenario([{ action: 'delete', target: 'pod/a' }]));
    const m = r.model!;
    expect(runTraffic(m, r.scenario).errors).toEqual([]);
    const log = calls(renderCniLog(m, 'default/a'));
    expect(log.map((c) => c.title)).toEqual(['# ADD lo', '# ADD eth0', '# DEL eth0', '# DEL lo']);
    expect(log[3]!.stdin).toBe(log[0]!.stdin);
    expect(log[2]!.stdin).toBe(log[1]!.stdin);
    expect(log.slice(2).map((c) => c.stdout)).toEqual(['(nothing: a successful DEL prints no result)', '(nothing: a successful DEL prints no result)']);
  });
});
