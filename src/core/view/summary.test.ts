import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { summarizeModel } from './summary';

const scenario = `
apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: svc}
spec: {seed: 3, nodes: 2, cni: {plugin: flannel, backend: vxlan}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: http, image: python, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
`;

describe('summarizeModel: services', () => {
  const model = loadScenario(scenario).model!;
  const s = summarizeModel(model);

  it('lists every Service as a virtual IP on no device', () => {
    const web = s.services!.find((x) => x.id === 'svc:default/web')!;
    expect(web.clusterIP).toBe(model.services.find((x) => x.metadata.name === 'web')!.spec.clusterIP);
    expect(web.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }]);
    const onDevice = s.netns.some((ns) => ns.devices.some((d) => d.addresses.some((a) => a.startsWith(`${web.clusterIP}/`))));
    expect(onDevice).toBe(false);
    expect(s.services!.some((x) => x.id === 'svc:default/kubernetes')).toBe(true);
  });

  it('points each endpoint at the pod namespace that owns its address', () => {
    const web = s.services!.find((x) => x.id === 'svc:default/web')!;
    expect(web.endpoints).toHaveLength(2);
    for (const e of web.endpoints) {
      const pod = model.pods.find((p) => p.ip === e.ip)!;
      expect(e).toMatchObject({ ready: true, ports: ['8080/TCP'], target: `default/${pod.name}`, netns: pod.netns, nodeName: pod.node });
      expect(s.netns.some((ns) => ns.id === e.netns)).toBe(true);
    }
  });

  it('is deterministic and keeps the older fields', () => {
    expect(summarizeModel(loadScenario(scenario).model!)).toEqual(s);
    expect(Object.keys(s)).toEqual(['name', 'cni', 'proxyMode', 'podCIDR', 'serviceCIDR', 'netns', 'segments', 'links', 'services']);
  });
});
