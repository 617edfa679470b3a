// `hopscope show --pod NS/NAME cni` on a pod left ContainerCreating: its CNI calls (the failed
// ADD's error JSON, then the runtime's DELs) are what explains it, so they are printed; other
// views say the pod has no network namespace, and why.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { show } from './commands';

const SCENARIO = `apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {nodes: 1, podCIDR: 10.244.0.0/16, nodeCIDRMaskSize: 30, dns: false, cni: {plugin: flannel}}
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {containers: [{name: c, image: busybox}]}
`;

const file = join(mkdtempSync(join(tmpdir(), 'hopscope-show-')), 'small.yaml');
writeFileSync(file, SCENARIO);
const showPod = (pod: string, what: string) => show({ positionals: [file, what], values: { pod } });

describe('show --pod on a pod whose sandbox failed', () => {
  it('cni prints the runtime’s calls: ADD lo, the failed ADD eth0 with host-local’s error JSON, DEL eth0, DEL lo', () => {
    const r = showPod('default/b', 'cni');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^# .*$/gm)).toEqual(['# ADD lo', '# ADD eth0 (failed)', '# DEL eth0', '# DEL lo']);
    expect(r.stdout).toContain('"code": 999,\n  "msg": "failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.2"');
  });

  it('another view says it has no IP and why, pointing at cni; an unknown pod keeps its answer', () => {
    const r = showPod('default/b', 'ip-addr');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hopscope: pod default\/b has no IP: its sandbox was not created \(Failed to create pod sandbox: .*no IP addresses available in range set: 10\.244\.0\.1-10\.244\.0\.2\); `show --pod NS\/NAME cni` prints its CNI calls\n$/);
    expect(showPod('default/nope', 'cni')).toEqual({ stdout: '', stderr: 'hopscope: no pod default/nope\n', code: 1 });
  });
});
