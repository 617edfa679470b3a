// Small builders shared by the proxy tests (a test file itself so that core typecheck, which
// excludes tests, never sees it; it holds one sanity test).
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service, ServiceSpec } from '../../k8s/types';
import type { KubeProxyOptions, ProxierInput } from './index';
import { kubeProxyOptionsFrom } from './index';

/** A Service ns/name with one TCP port 80 (named p80) unless `spec.ports` says otherwise. */
export function service(
  ns: string,
  name: string,
  spec: Partial<ServiceSpec> = {},
  status?: Service['status'],
): Service {
  return {
    kind: 'Service',
    metadata: { namespace: ns, name },
    spec: { clusterIP: '172.30.0.1', ports: [{ name: 'p80', port: 80, protocol: 'TCP' }], ...spec },
    ...(status ? { status } : {}),
  };
}

/** An EndpointSlice for ns/name with port p80/80 and the given endpoints (ip[@node], ready). */
export function slice(
  ns: string,
  name: string,
  endpoints: string[],
  sliceName = `${name}-1`,
): EndpointSlice {
  return {
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name: sliceName, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'p80', port: 80, protocol: 'TCP' }],
    endpoints: endpoints.map((e) => {
      const [ip = '', nodeName] = e.split('@');
      return { addresses: [ip], conditions: { ready: true }, ...(nodeName ? { nodeName } : {}) };
    }),
  };
}

/** The unit-test environment of upstream (README "Environment"), as options. */
export function testOptions(over: Partial<KubeProxyOptions> = {}): KubeProxyOptions {
  return {
    ...kubeProxyOptionsFrom({ kind: 'KubeProxyConfiguration', clusterCIDR: '10.0.0.0/8' }),
    masqueradeMark: '0x4000',
    randomFully: false,
    ...over,
  };
}

/** A ProxierInput on node `test-node` (192.168.0.2) with the given objects. */
export function input(
  services: Service[],
  endpointSlices: EndpointSlice[],
  over: Partial<ProxierInput> = {},
): ProxierInput {
  return {
    nodeName: 'test-node',
    nodeIPs: ['192.168.0.2'],
    localAddresses: ['127.0.0.1', '::1', '192.168.0.2'],
    services,
    endpointSlices,
    config: testOptions(),
    ...over,
  };
}

describe('test builders', () => {
  it('build a service with one port', () => {
    expect(service('ns1', 'svc1').spec.ports).toHaveLength(1);
  });
});
