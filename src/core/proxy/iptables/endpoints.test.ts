import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../../k8s/types';
import { categorizeEndpoints, endpointsByServicePort, endpointsOf } from './endpoints';
import type { EndpointInfo } from './endpoints';
import type { ServicePortInfo } from './service-port';
import { servicePortsFrom } from './service-port';
import { service, slice } from './test-objects.test';

function sp(spec: Parameters<typeof service>[2] = {}): ServicePortInfo {
  const status =
    spec.type === 'LoadBalancer' ? { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } : undefined;
  return servicePortsFrom([service('ns1', 'svc1', spec, status)], 'IPv4')[0]!;
}

function ep(ip: string, flags: Partial<EndpointInfo> = {}): EndpointInfo {
  return {
    ip,
    port: 80,
    endpoint: `${ip}:80`,
    ready: true,
    serving: true,
    terminating: false,
    local: false,
    ...flags,
  };
}

describe('endpointsByServicePort', () => {
  it('sorts endpoints by their string, as text', () => {
    const eps = endpointsByServicePort(
      [slice('ns1', 'svc1', ['10.1.1.1', '10.1.1.11', '10.1.1.2'])],
      'IPv4',
      'n',
    );
    expect(endpointsOf(eps, sp()).map((e) => e.endpoint)).toEqual([
      '10.1.1.11:80',
      '10.1.1.1:80',
      '10.1.1.2:80',
    ]);
  });

  it('collapses duplicates across slices, the local copy winning', () => {
    const eps = endpointsByServicePort(
      [slice('ns1', 'svc1', ['10.0.1.5@other']), slice('ns1', 'svc1', ['10.0.1.5@test-node'], 'b')],
      'IPv4',
      'test-node',
    );
    expect(endpointsOf(eps, sp())).toEqual([ep('10.0.1.5', { local: true })]);
  });

  it('skips other families, unnamed-field ports, port 0, headless and unlabelled slices', () => {
    const s = slice('ns1', 'svc1', ['fd00::1', '10.0.0.1']);
    const noName: EndpointSlice = { ...s, ports: [{ port: 80, protocol: 'TCP' }] };
    const headless: EndpointSlice = {
      ...s,
      metadata: {
        ...s.metadata,
        labels: { ...s.metadata.labels, 'service.kubernetes.io/headless': '' },
      },
    };
    expect(endpointsOf(endpointsByServicePort([s], 'IPv4', 'n'), sp()).map((e) => e.ip)).toEqual([
      '10.0.0.1',
    ]);
    expect(endpointsByServicePort([noName, headless], 'IPv4', 'n').size).toBe(0);
    expect(endpointsByServicePort([{ ...s, metadata: { name: 'x' } }], 'IPv4', 'n').size).toBe(0);
  });

  it('reads absent conditions as ready and serving, not terminating', () => {
    const s: EndpointSlice = {
      ...slice('ns1', 'svc1', []),
      endpoints: [{ addresses: ['10.0.0.1'] }],
    };
    expect(endpointsOf(endpointsByServicePort([s], 'IPv4', 'n'), sp())).toEqual([ep('10.0.0.1')]);
  });
});

describe('categorizeEndpoints', () => {
  const remoteReady = ep('10.0.1.5');
  const localTerm = ep('10.0.1.2', { ready: false, terminating: true, local: true });
  const dead = ep('10.0.1.9', { ready: false, serving: false, terminating: true, local: true });

  it('uses ready endpoints, then serving+terminating ones, for Cluster policy', () => {
    expect(categorizeEndpoints(sp(), [remoteReady, localTerm]).cluster).toEqual([remoteReady]);
    expect(categorizeEndpoints(sp(), [localTerm, dead]).cluster).toEqual([localTerm]);
    expect(categorizeEndpoints(sp(), [dead]).hasAnyEndpoints).toBe(false);
  });

  it('falls back separately for the local set, and chains the union', () => {
    const c = categorizeEndpoints(sp({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }), [
      remoteReady,
      localTerm,
    ]);
    expect(c.cluster).toEqual([remoteReady]);
    expect(c.local).toEqual([localTerm]);
    expect(c.reachable.map((e) => e.ip).sort()).toEqual(['10.0.1.2', '10.0.1.5']);
  });

  it('uses only the local set under internalTrafficPolicy Local without external access', () => {
    const c = categorizeEndpoints(sp({ internalTrafficPolicy: 'Local' }), [remoteReady]);
    expect(c).toEqual({ cluster: [], local: [], reachable: [], hasAnyEndpoints: true });
  });
});
