// The EndpointSlice mirroring controller, alone and through compile: a hand-written v1 Endpoints
// for a Service without a selector becomes a slice kube-proxy programs and kubectl shows.
import { describe, expect, it } from 'vitest';
import type { Endpoints, Service } from '../k8s/types';
import type { BuiltCluster } from '../testing/cluster';
import { cluster } from '../testing/cluster';
import { renderDescribeService, renderGetEndpoints } from '../render/kubectl-services';
import { MIRRORING_CONTROLLER_NAME, mirrorEndpoints } from './endpoint-slice-mirroring';

function svc(name: string, selector?: Record<string, string>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ...(selector ? { selector } : {}), ports: [{ port: 80, targetPort: 8080 }] } };
}

function eps(name: string, subsets: Endpoints['subsets'], labels?: Record<string, string>): Endpoints {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, subsets };
}

describe('mirrorEndpoints', () => {
  it('copies a selectorless Service\'s Endpoints: ready and not-ready addresses, defaulted ports, the mirroring labels', () => {
    const [slice, ...rest] = mirrorEndpoints(1, [eps('db', [{ addresses: [{ ip: '10.9.0.5' }], notReadyAddresses: [{ ip: '10.9.0.6' }], ports: [{ port: 5432 }] }])], [svc('db')]);
    expect(rest).toEqual([]);
    expect(slice!.metadata.name).toMatch(/^db-[a-z0-9]{5}$/);
    expect(slice!.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': MIRRORING_CONTROLLER_NAME });
    expect(slice!.ports).toEqual([{ name: '', port: 5432, protocol: 'TCP' }]);
    expect(slice!.endpoints).toEqual([
      { addresses: ['10.9.0.5'], conditions: { ready: true } },
      { addresses: ['10.9.0.6'], conditions: { ready: false } },
    ]);
  });

  it('subsets with the same ports share a slice; different ports get their own', () => {
    const slices = mirrorEndpoints(1, [eps('db', [
      { addresses: [{ ip: '10.9.0.5' }], ports: [{ name: 'pg', port: 5432 }] },
      { addresses: [{ ip: '10.9.0.7' }], ports: [{ name: 'pg', port: 5432 }] },
      { addresses: [{ ip: '10.9.0.8' }], ports: [{ name: 'pg', port: 6432 }] },
    ])], [svc('db')]);
    expect(slices.map((s) => s.endpoints!.map((e) => e.addresses[0]))).toEqual([['10.9.0.5', '10.9.0.7'], ['10.9.0.8']]);
    expect(new Set(slices.map((s) => s.metadata.name)).size).toBe(2);
  });

  it('skips Services with a selector, missing Services, skip-mirror, and invalid addresses', () => {
    const subsets = [{ addresses: [{ ip: '10.9.0.5' }, { ip: 'not-an-ip' }], ports: [{ port: 80 }] }];
    expect(mirrorEndpoints(1, [eps('web', subsets)], [svc('web', { app: 'web' })])).toEqual([]);
    expect(mirrorEndpoints(1, [eps('gone', subsets)], [svc('web')])).toEqual([]);
    expect(mirrorEndpoints(1, [eps('web', subsets, { 'endpointslice.kubernetes.io/skip-mirror': 'true' })], [svc('web')])).toEqual([]);
    expect(mirrorEndpoints(1, [eps('web', subsets)], [svc('web')])[0]!.endpoints!.map((e) => e.addresses[0])).toEqual(['10.9.0.5']);
  });

  it('never throws on malformed input', () => {
    const bad = [{ kind: 'Endpoints', metadata: { name: 'web' }, subsets: [null, { addresses: [null, { ip: 7 }], ports: 'x' }] }] as unknown as Endpoints[];
    expect(() => mirrorEndpoints(1, bad, [svc('web')])).not.toThrow();
  });
});

/** Two nodes; a pod `db` listening on 8080 with no labels (no selector could pick it) and a client. */
function base() {
  return cluster().nodes(2).cni('bridge').seed(3).pod('client', { node: 'node-1' }).pod('db', { node: 'node-2', ports: [8080] });
}

const SELECTORLESS = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } });

function withBackend(doc: (ip: string) => string): { c: BuiltCluster; ip: string } {
  const ip = base().build().model.pods.find((p) => p.name === 'db')!.ip;
  return { c: base().raw(SELECTORLESS).raw(doc(ip)).build(), ip };
}

describe('a Service without a selector, through compile', () => {
  it('a hand-written v1 Endpoints gives it an endpoint: the connection is DNATed to it and delivered', () => {
    const { c, ip } = withBackend((ip) => JSON.stringify({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db', namespace: 'default' }, subsets: [{ addresses: [{ ip }], ports: [{ port: 8080 }] }] }));
    const vip = c.model.services.find((s) => s.metadata.name === 'db')!.spec.clusterIP!;
    const f = c.trace('pod/client', `${vip}:80`);
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('default/db');
    expect(renderGetEndpoints(c.model)).toMatch(new RegExp(`^db +${ip.replace(/\./g, '\\.')}:8080 `, 'm'));
    expect(renderDescribeService(c.model, 'db')).toMatch(new RegExp(`Endpoints: +${ip.replace(/\./g, '\\.')}:8080\\n`));
  });

  it('a hand-written EndpointSlice whose port has no name or protocol gets the apiserver defaults ("" and TCP)', () => {
    const { c } = withBackend((ip) => JSON.stringify({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'db' } }, addressType: 'IPv4', ports: [{ port: 8080 }], endpoints: [{ addresses: [ip] }] }));
    const vip = c.model.services.find((s) => s.metadata.name === 'db')!.spec.clusterIP!;
    expect(c.model.endpointSlices.find((s) => s.metadata.name === 'db-1')!.ports).toEqual([{ port: 8080, name: '', protocol: 'TCP' }]);
    const f = c.trace('pod/client', `${vip}:80`);
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('default/db');
  });
});

describe('an Endpoints the mirroring controller leaves alone is reported', () => {
  const endpointsDoc = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.9.0.5' }], ports: [{ port: 8080 }] }] });
  const warnings = (c: BuiltCluster) => c.result.diagnostics.filter((d) => d.code === 'endpoints-not-mirrored').map((d) => d.message);

  it('for a Service with a selector, and for a name no Service has; not for a selectorless Service', () => {
    const withSelector = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const c = base().raw(SELECTORLESS).raw(withSelector).raw(endpointsDoc('web')).raw(endpointsDoc('gone')).raw(endpointsDoc('db')).build();
    expect(warnings(c)).toEqual([
      'Endpoints default/web is ignored: Service default/web has a selector, so the endpoints controller owns its endpoints (remove the selector to list addresses by hand)',
      'Endpoints default/gone has no Service default/gone: nothing uses its addresses (an Endpoints object serves the Service of the same name)',
    ]);
  });
});
