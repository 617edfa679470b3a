import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { summarizeModel } from './summary';

const pods = `
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec: {containers: [{name: c, image: curl}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-deny-all}
spec: {podSelector: {matchLabels: {app: web}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: all-egress}
spec: {podSelector: {}, policyTypes: [Egress]}
`;

const cluster = (cni: string) => `apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: p}\nspec: {cni: ${cni}}\n${pods}`;

describe('summarizeModel: NetworkPolicies', () => {
  it('lists each policy, sorted, with the pods it selects and its directions', () => {
    const s = summarizeModel(loadScenario(cluster('{plugin: calico}')).model!);
    expect(s.policyEngine).toBe('felix');
    expect(s.policies).toEqual([
      { namespace: 'default', name: 'all-egress', types: ['Egress'], selects: ['default/client', 'default/web'] },
      { namespace: 'default', name: 'web-deny-all', types: ['Ingress'], selects: ['default/web'] },
    ]);
  });

  it('says when no engine enforces them', () => {
    const s = summarizeModel(loadScenario(cluster('{plugin: flannel}')).model!);
    expect(s.policyEngine).toBe('none');
    expect(s.policies).toHaveLength(2);
  });

  it('adds no fields without policies (older readers see the same summary)', () => {
    const s = summarizeModel(loadScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: p}\n').model!);
    expect('policies' in s).toBe(false);
    expect('policyEngine' in s).toBe(false);
  });
});
