import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';

const HEAD = `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {nodes: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
`;

/** `line:col severity code: message` of the diagnostics with the given codes. */
function diags(text: string, ...codes: string[]): string[] {
  return loadScenario(HEAD + text)
    .diagnostics.filter((d) => codes.includes(d.code))
    .map((d) => `${d.pos.line}:${d.pos.col} ${d.severity} ${d.code}: ${d.message}`);
}

const ingress = (rules: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  ingressClassName: nginx
  rules:
${rules}`;

describe('Ingress diagnostics', () => {
  it('a backend Service that does not exist, or lacks the port, is a warning at the field', () => {
    const text = ingress(`  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: nosuch, port: {number: 80}}}
      - path: /web
        pathType: Prefix
        backend: {service: {name: web, port: {number: 8080}}}
      - path: /named
        pathType: Prefix
        backend: {service: {name: web, port: {name: https}}}
`);
    expect(diags(text, 'ingress-service-missing', 'ingress-port-missing')).toEqual([
      '24:35 warning ingress-service-missing: spec.rules[0].http.paths[0].backend.service.name: Service "default/nosuch" not found; the ingress controller answers 503 Service Temporarily Unavailable for this backend',
      '27:55 warning ingress-port-missing: spec.rules[0].http.paths[1].backend.service.port: Service "default/web" has no port 8080 (its ports: http (80)); the ingress controller answers 503 for this backend',
      '30:53 warning ingress-port-missing: spec.rules[0].http.paths[2].backend.service.port: Service "default/web" has no port "https" (its ports: http (80)); the ingress controller answers 503 for this backend',
    ]);
  });

  it('malformed hosts, missing pathType and relative paths are errors', () => {
    const text = ingress(`  - host: Shop_Example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
  - host: 10.0.0.1
    http: {paths: [{path: api, backend: {service: {name: web, port: {number: 80}}}}]}
  - host: foo.*.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`);
    const out = diags(text, 'ingress-host', 'missing-field', 'ingress-path');
    expect(out[0]).toMatch(/^19:11 error ingress-host: spec\.rules\[0\]\.host: Invalid value: "Shop_Example\.com": a lowercase RFC 1123 subdomain/);
    expect(out[1]).toBe('21:11 error ingress-host: spec.rules[1].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address');
    expect(out[2]).toMatch(/^22:20 error missing-field: spec\.rules\[1\]\.http\.paths\[0\]\.pathType: Required value/);
    expect(out[3]).toBe('22:27 error ingress-path: spec.rules[1].http.paths[0].path: Invalid value: "api": must be an absolute path');
    expect(out[4]).toMatch(/^23:11 error ingress-host: .*"foo\.\*\.example\.com": a wildcard is allowed only as the first label/);
  });

  it('an Ingress of another class is left alone, with a note', () => {
    const text = ingress(`  - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}\n`).replace('ingressClassName: nginx', 'ingressClassName: traefik');
    const r = loadScenario(HEAD + text);
    expect(r.diagnostics.find((d) => d.code === 'ingress-unclaimed')?.message).toContain('class "traefik" is not implemented');
    expect(r.model!.pods.some((p) => p.namespace === 'ingress-nginx')).toBe(false);
  });
});

describe('pod DNS diagnostics', () => {
  it('dnsPolicy None without dnsConfig (or without nameservers) is an error at the field', () => {
    const pod = (extra: string) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  dnsPolicy: None
${extra}  containers: [{name: c}]
`;
    expect(diags(pod(''), 'dns-config-required')).toEqual(['17:14 error dns-config-required: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None (the pod would get an empty /etc/resolv.conf)']);
    expect(diags(pod('  dnsConfig: {searches: [a.example]}\n'), 'dns-config-required')[0]).toMatch(/^18:14 error dns-config-required: spec\.dnsConfig\.nameservers: Required value/);
    expect(diags(pod('  dnsConfig: {nameservers: [1.1.1.1]}\n'), 'dns-config-required')).toEqual([]);
  });

  it('checks Deployment templates too, and the nameserver limit', () => {
    const dep = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      dnsPolicy: None
      dnsConfig: {nameservers: [1.1.1.1, 1.0.0.1, 8.8.8.8, 8.8.4.4]}
      containers: [{name: c}]
`;
    expect(diags(dep, 'dns-config-limit')).toEqual(['22:32 error dns-config-limit: spec.template.spec.dnsConfig.nameservers: Invalid value: must not have more than 3 nameservers']);
  });
});
