// Target parsing: the syntax of a target text is read once and remembered, but each call still
// resolves pod and node references against the model as it is now, and returns its own object.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { parseTarget } from './refs';

const SCENARIO = `apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {nodes: 2, cni: {plugin: bridge}}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {nodeName: node-2, containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
`;

describe('parseTarget', () => {
  it('sees a pod whose address changed after the text was first read', () => {
    const model = loadScenario(SCENARIO).model!;
    const first = parseTarget(model, 'pod/default/web:80');
    expect(first).toMatchObject({ ok: true, value: { host: 'pod/default/web', port: 80, protocol: 'tcp' } });
    const pod = model.pods.find((p) => p.name === 'web')!;
    const was = pod.ip;
    pod.ip = '10.9.9.9';
    expect(parseTarget(model, 'pod/default/web:80')).toMatchObject({ ok: true, value: { ip: '10.9.9.9' } });
    pod.ip = was;
    model.pods = model.pods.filter((p) => p !== pod);
    expect(parseTarget(model, 'pod/default/web:80')).toEqual({ ok: false, error: 'no pod default/web' });
  });

  it('returns a fresh object each time', () => {
    const model = loadScenario(SCENARIO).model!;
    const a = parseTarget(model, 'http://10.0.0.1/x');
    if (!a.ok) throw new Error(a.error);
    a.value.port = 1;
    expect(parseTarget(model, 'http://10.0.0.1/x')).toEqual({ ok: true, value: { host: '10.0.0.1', ip: '10.0.0.1', port: 80, protocol: 'tcp', scheme: 'http', path: '/x' } });
    expect(parseTarget(model, 'http://10.0.0.1/x', 'UDP')).toMatchObject({ ok: true, value: { protocol: 'udp' } });
    expect(parseTarget(model, 'x:99999')).toEqual({ ok: false, error: 'port 99999 is out of range' });
  });
});
