import { describe, expect, it } from 'vitest';
import { applySets, compareFlows, parseSet } from './index';
import { renderComparison } from './render';
import { loadScenario } from '../compile/load';

const SCENARIO = `# two pods on two nodes behind a Service
apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: cmp}
spec:
  cni: {plugin: flannel, backend: vxlan}   # the overlay under test
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: node-1, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: b}}
spec: {nodeName: node-2, containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: NodePort, selector: {app: b}, ports: [{port: 80}]}
`;

describe('variants', () => {
  it('edits only the values set, keeping comments and layout', () => {
    const r = applySets(SCENARIO, ['cni.plugin=calico', 'cni.backend=bgp', 'service/default/web.spec.externalTrafficPolicy=Local']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const changed = r.text.split('\n').filter((l) => !SCENARIO.split('\n').includes(l));
    expect(changed).toEqual(['  cni: {plugin: calico, backend: bgp} # the overlay under test', 'spec: {type: NodePort, selector: {app: b}, ports: [{port: 80}], externalTrafficPolicy: Local}']);
  });

  it('adds a Cluster document when the scenario has none, and reads numbers and booleans', () => {
    const r = applySets('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n', ['kubeProxy.mode=ipvs', 'nodes=3', 'dns=false']);
    expect(r.ok && r.text).toContain('kind: Cluster\nmetadata:\n  name: variant\nspec:\n  kubeProxy:\n    mode: ipvs\n  nodes: 3\n  dns: false\n---\n');
  });

  it('refuses malformed sets and objects that are not there', () => {
    expect(parseSet('cni.plugin')).toEqual({ error: '--set cni.plugin: expected PATH=VALUE, e.g. cni.plugin=calico' });
    expect(applySets(SCENARIO, ['service/default/nope.spec.type=NodePort'])).toEqual({ ok: false, error: '--set service/default/nope.spec.type=NodePort: no service default/nope in the scenario' });
  });
});

describe('compareFlows', () => {
  it('Flannel VXLAN against Calico BGP: fewer hops, no encapsulation, same answer', () => {
    const r = compareFlows(SCENARIO, ['cni.plugin=calico', 'cni.backend=bgp'], { from: 'pod/a', to: 'pod/default/b:80' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { a, b, differences, rows } = r.value;
    expect(a.summary).toMatchObject({ verdict: 'delivered', endpoint: 'default/b', encapBytes: 50, encapsulation: ['vxlan'] });
    expect(b.summary).toMatchObject({ verdict: 'delivered', endpoint: 'default/b', encapBytes: 0, encapsulation: [] });
    expect(b.summary.hops).toBeLessThan(a.summary.hops);
    expect(differences.map((d) => d.field)).toEqual(expect.arrayContaining(['hops', 'encapBytes', 'encapsulation', 'devices']));
    expect(rows.filter((x) => x.a !== null)).toHaveLength(a.summary.hops);
    expect(rows.filter((x) => x.b !== null)).toHaveLength(b.summary.hops);
    const text = renderComparison(r.value, ['cni.plugin=calico', 'cni.backend=bgp']);
    expect(text).toMatch(/^encapsulation bytes +50 +0 +\*$/m);
    expect(text).toContain('differences (');
  });

  it('iptables against IPVS: the same endpoint, fewer iptables rules evaluated', () => {
    const r = compareFlows(SCENARIO, ['kubeProxy.mode=ipvs'], { from: 'pod/a', to: 'http://web' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.a.summary.nat[0]).toMatch(/^node-1: dst 10\.\d+\.\d+\.\d+:80 → 10\.244\.1\.\d+:80$/);
    expect(r.value.b.summary.rulesEvaluated).toBeLessThan(r.value.a.summary.rulesEvaluated);
  });

  it('externalTrafficPolicy Local keeps the client source address for a NodePort from outside', () => {
    const nodePort = loadScenario(SCENARIO).model!.services.find((s) => s.metadata.name === 'web')!.spec.ports![0]!.nodePort!;
    const r = compareFlows(SCENARIO, ['service/default/web.spec.externalTrafficPolicy=Local'], { from: 'external/client', to: `node/node-2:${nodePort}` });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.a.summary.sourceSeenByServer).toMatch(/^(192\.168|10\.244)\./);
    expect(r.value.b.summary.sourceSeenByServer).toMatch(/^203\.0\.113\./);
    expect(r.value.differences.map((d) => d.field)).toContain('sourceSeenByServer');
  });

  it('reports an unresolvable request or a broken variant as an error, never a throw', () => {
    expect(compareFlows(SCENARIO, ['cni.plugin=calico'], { from: 'pod/nope', to: 'pod/default/b:80' })).toMatchObject({ ok: false });
    const bad = compareFlows(SCENARIO, ['cni.plugin=nonsense'], { from: 'pod/a', to: 'pod/default/b:80' });
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).toMatch(/^variant B: /);
  });
});
