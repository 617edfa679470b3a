// kubectl get/describe ingress as the API server stores Ingresses: the DefaultIngressClass
// admission plugin (kubernetes plugin/pkg/admission/network/defaultingressclass) fills
// spec.ingressClassName from the IngressClass annotated is-default-class, so kubectl prints it.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { renderDescribeIngress, renderGetIngress } from './kubectl-ingress';

const BASE = `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: i}
spec: {nodes: 1, cni: {plugin: flannel}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: no-class}
spec:
  rules:
  - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: legacy, annotations: {kubernetes.io/ingress.class: nginx}}
spec:
  rules:
  - host: l.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`;

const DEFAULT_CLASS = `---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: k8s.io/ingress-nginx}
`;

function load(yaml: string) {
  const r = loadScenario(yaml);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

describe('kubectl get/describe ingress', () => {
  it('an Ingress without a class gets the default IngressClass at admission; the legacy annotation keeps it from being defaulted', () => {
    const m = load(BASE + DEFAULT_CLASS);
    const rows = renderGetIngress(m).split('\n');
    expect(rows[0]).toMatch(/^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$/);
    expect(rows.find((l) => l.startsWith('no-class'))).toMatch(/^no-class\s+nginx\s+\*\s+\S+\s+80\s+<unknown>$/);
    expect(rows.find((l) => l.startsWith('legacy'))).toMatch(/^legacy\s+<none>\s+l\.example\.com\s/);
    expect(renderDescribeIngress(m, 'no-class')).toMatch(/\nIngress Class:\s+nginx\n/);
  });

  it('without a default IngressClass the class stays unset', () => {
    const m = load(BASE);
    expect(renderGetIngress(m).split('\n').find((l) => l.startsWith('no-class'))).toMatch(/^no-class\s+<none>\s/);
    expect(renderDescribeIngress(m, 'no-class')).toMatch(/\nIngress Class:\s+<none>\n/);
  });
});
