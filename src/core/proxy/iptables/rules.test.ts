import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../k8s/types';
import { kubeProxyOptionsFrom, normaliseIptables, syncIptablesRules, traceFlow } from './index';
import { findChain, parseRestoreText } from './restore-text';
import { input, service, slice, testOptions } from './test-objects.test';

const rulesOf = (text: string, table: string, chain: string): string[] =>
  findChain(parseRestoreText(text), table, chain)?.rules ?? [];

describe('syncIptablesRules', () => {
  it('writes the real mark text and --random-fully on a default (modern) node', () => {
    const text = syncIptablesRules(input([], [], { config: kubeProxyOptionsFrom(undefined) }));
    expect(rulesOf(text, 'nat', 'KUBE-MARK-MASQ')).toEqual([
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000',
    ]);
    expect(rulesOf(text, 'nat', 'KUBE-POSTROUTING')[2]).toBe(
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    );
    expect(text.startsWith('*filter\n:KUBE-SERVICES - [0:0]\n')).toBe(true);
    expect(text.endsWith('COMMIT\n')).toBe(true);
  });

  it('skips ExternalName, headless (no ClusterIP) and foreign-proxy Services', () => {
    const svcs: Service[] = [
      service('ns', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
      service('ns', 'headless', { clusterIP: 'None' }),
      {
        ...service('ns', 'other'),
        metadata: {
          namespace: 'ns',
          name: 'other',
          labels: { 'service.kubernetes.io/service-proxy-name': 'x' },
        },
      },
    ];
    expect(normaliseIptables(syncIptablesRules(input(svcs, [])))).toBe(
      normaliseIptables(syncIptablesRules(input([], []))),
    );
  });

  it('gives ipMode Proxy load balancers no rules', () => {
    const svc = service(
      'ns',
      'lb',
      { type: 'LoadBalancer' },
      { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'Proxy' }] } },
    );
    expect(syncIptablesRules(input([svc], [slice('ns', 'lb', ['10.0.0.1'])]))).not.toContain(
      '1.2.3.4',
    );
  });

  it('uses the ClusterIP of its family from a dual-stack Service', () => {
    const svc = service('ns', 'dual', {
      ipFamilies: ['IPv4', 'IPv6'],
      clusterIPs: ['172.30.0.7', 'fd00:172:30::7'],
    });
    const v6 = {
      ...input([svc], []),
      nodeIPs: ['2001:db8::1'],
      config: testOptions({ ipFamily: 'IPv6', localDetector: null }),
    };
    expect(syncIptablesRules(v6)).toContain('-d fd00:172:30::7 --dport 80 -j REJECT');
    expect(syncIptablesRules(input([svc], []))).toContain('-d 172.30.0.7 --dport 80 -j REJECT');
  });

  it('deletes only stale chains of kube-proxy kinds', () => {
    const text = syncIptablesRules(
      input([], [], {
        existingChains: [
          'KUBE-SVC-OLD',
          'KUBE-SEP-OLD',
          'KUBE-MARK-MASQ',
          'CNI-HOSTPORT-DNAT',
          'KUBE-SERVICES',
        ],
      }),
    );
    expect(text.match(/^-X .*/gm)).toEqual(['-X KUBE-SVC-OLD', '-X KUBE-SEP-OLD']);
  });

  it('resolves nodePortAddresses "primary" to the node IP', () => {
    const text = syncIptablesRules(
      input([], [], {
        config: testOptions({ nodePortAddresses: ['primary'] }),
        localAddresses: ['127.0.0.1', '192.168.0.2', '10.9.9.9'],
      }),
    );
    expect(rulesOf(text, 'nat', 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.0.2 -j KUBE-NODEPORTS',
    ]);
  });

  it('keeps localhost NodePorts only when nodePortAddresses covers an IPv4 loopback', () => {
    const svc = service('ns', 'np', {
      type: 'NodePort',
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30080 }],
    });
    const sync = (nodePortAddresses: string[]): string =>
      syncIptablesRules(
        input([svc], [slice('ns', 'np', ['10.0.0.1'])], {
          config: testOptions({ nodePortAddresses }),
        }),
      );
    expect(sync(['192.168.0.0/24'])).not.toContain('KUBE-FIREWALL');
    expect(sync(['192.168.0.0/24'])).not.toContain('127.0.0.0/8');
    const withLoopback = sync(['192.168.0.0/24', '127.0.0.1/32']);
    expect(withLoopback).toContain(':KUBE-FIREWALL - [0:0]');
    expect(withLoopback).toContain('-d 127.0.0.0/8 --dport 30080 -m nfacct');
    expect(withLoopback).toContain('-d 127.0.0.1 -j KUBE-NODEPORTS');
  });

  it('drops per-endpoint comments above 1000 endpoints', () => {
    const ips = Array.from({ length: 1001 }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.1`);
    const text = syncIptablesRules(input([service('ns', 'big')], [slice('ns', 'big', ips)]));
    const svc = rulesOf(text, 'nat', 'KUBE-SERVICES')[0] ?? '';
    const svcChain = svc.split(' -j ')[1] ?? '';
    expect(svc).toContain('--comment "ns/big:p80 cluster IP"');
    expect(rulesOf(text, 'nat', svcChain)[1]).toMatch(
      /^-A KUBE-SVC-\S+ -m statistic --mode random --probability 0.0009990010 -j KUBE-SEP-/,
    );
    expect(text).not.toMatch(/^-A KUBE-SEP-\S+ -m comment/m);
  });

  it('uses an interface-based local detector in the masquerade and pod short-circuit rules', () => {
    const svc = service('ns', 'lb', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30080 }],
    });
    const opts = testOptions({ localDetector: { mode: 'InterfaceNamePrefix', prefix: 'veth' } });
    const text = syncIptablesRules(
      input([svc], [slice('ns', 'lb', ['10.0.0.1@test-node'])], { config: opts }),
    );
    expect(text).toMatch(/--dport 80 ! -i veth\+ -j KUBE-MARK-MASQ/);
    expect(text).toMatch(
      /"pod traffic for ns\/lb:p80 external destinations" -i veth\+ -j KUBE-SVC-/,
    );
  });
});

describe('syncIptablesRules properties', () => {
  const svcs = [
    service('ns1', 'a', { clusterIP: '172.30.0.1' }),
    service('ns1', 'b', {
      clusterIP: '172.30.0.2',
      type: 'NodePort',
      ports: [
        { name: 'p80', port: 80, protocol: 'TCP', nodePort: 30001 },
        { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30002 },
      ],
    }),
    service('ns2', 'c', {
      clusterIP: '172.30.0.3',
      externalIPs: ['192.168.99.1'],
      externalTrafficPolicy: 'Local',
    }),
    service(
      'ns2',
      'd',
      {
        clusterIP: '172.30.0.4',
        type: 'LoadBalancer',
        loadBalancerSourceRanges: ['203.0.113.0/24'],
        sessionAffinity: 'ClientIP',
      },
      { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    ),
  ];
  const slices = [
    slice('ns1', 'a', ['10.0.0.1', '10.0.0.2@test-node']),
    slice('ns1', 'b', ['10.0.1.1']),
    slice('ns2', 'c', ['10.0.2.1@test-node', '10.0.2.2']),
    slice('ns2', 'd', ['10.0.3.1', '10.0.3.2', '10.0.3.3']),
  ];

  it('does not depend on the order of Services and EndpointSlices', () => {
    const reference = normaliseIptables(syncIptablesRules(input(svcs, slices)));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(svcs, { minLength: svcs.length }),
        fc.shuffledSubarray(slices, { minLength: slices.length }),
        (s, e) => {
          expect(normaliseIptables(syncIptablesRules(input(s, e)))).toBe(reference);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('sends ClusterIP traffic only to endpoints of the service', () => {
    const text = syncIptablesRules(input(svcs, slices));
    expect(
      traceFlow(text, ['192.168.0.2'], {
        sourceIP: '10.9.9.9',
        protocol: 'TCP',
        destIP: '172.30.0.4',
        destPort: 80,
      }).output,
    ).toBe('10.0.3.1:80, 10.0.3.2:80, 10.0.3.3:80');
  });

  it('never throws on partial or odd objects', () => {
    const odd = fc.record(
      {
        kind: fc.constant('Service' as const),
        metadata: fc.record({ name: fc.string(), namespace: fc.string() }, { requiredKeys: [] }),
        spec: fc.record(
          {
            clusterIP: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
            type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
            externalIPs: fc.array(fc.oneof(fc.ipV4(), fc.string())),
            loadBalancerSourceRanges: fc.array(fc.string()),
            ports: fc.array(
              fc.record(
                {
                  name: fc.string(),
                  port: fc.integer({ min: 0, max: 65535 }),
                  nodePort: fc.integer({ min: 0, max: 65535 }),
                },
                { requiredKeys: ['port'] },
              ),
            ),
            externalTrafficPolicy: fc.constantFrom('Cluster', 'Local'),
            internalTrafficPolicy: fc.constantFrom('Cluster', 'Local'),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['kind', 'metadata', 'spec'] },
    );
    fc.assert(
      fc.property(fc.array(odd, { maxLength: 4 }), (services) => {
        expect(typeof syncIptablesRules(input(services as Service[], slices))).toBe('string');
      }),
      { numRuns: 100 },
    );
  });
});
