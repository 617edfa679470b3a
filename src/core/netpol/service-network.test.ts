// Egress ipBlocks aimed at the service network: policy meets the post-DNAT (endpoint) address,
// so a block that admits no pod address never allows a Service connection, and `check` says so.
import { describe, expect, it } from 'vitest';
import type { Policy, PolicyPeer } from './types';
import { serviceNetworkIpBlocks } from './service-network';
import { loadScenario } from '../compile/load';
import { runTraffic } from '../simulate/run';

const POS = { line: 1, col: 1, offset: 0, end: 0 };

function egress(...peers: PolicyPeer[]): Policy {
  return { namespace: 'x', name: 'p', key: 'x/p', podSelector: {}, egress: [{ index: 0, peers, ports: null }], pos: POS };
}

const block = (cidr: string, except: string[] = []): PolicyPeer => ({ kind: 'ipBlock', cidr, except });

describe('serviceNetworkIpBlocks', () => {
  const find = (p: Policy) => serviceNetworkIpBlocks([p], '10.96.0.0/12', '10.244.0.0/16').map((b) => `${b.rule}/${b.peer} ${b.cidr}`);

  it('finds a block inside or around the service network that admits no pod address', () => {
    expect(find(egress(block('10.96.0.0/12')))).toEqual(['0/0 10.96.0.0/12']);
    expect(find(egress({ kind: 'pods' }, block('10.96.0.10/32')))).toEqual(['0/1 10.96.0.10/32']);
    // Everything but the pods: still no endpoint address.
    expect(find(egress(block('0.0.0.0/0', ['10.244.0.0/16'])))).toEqual(['0/0 0.0.0.0/0']);
  });

  it('leaves blocks that also admit pods, miss the service network, or belong to ingress', () => {
    expect(find(egress(block('0.0.0.0/0')))).toEqual([]);
    expect(find(egress(block('10.0.0.0/8', ['10.244.1.0/24'])))).toEqual([]);
    expect(find(egress(block('192.168.0.0/16')))).toEqual([]);
    const ingress: Policy = { ...egress(), egress: undefined, ingress: [{ index: 0, peers: [block('10.96.0.0/12')], ports: null }] };
    expect(find(ingress)).toEqual([]);
  });
});

const SCENARIO = `apiVersion: hopscope/v1alpha1
kind: Cluster
spec:
  nodes: 2
  cni: {plugin: calico}
---
apiVersion: v1
kind: Pod
metadata: {name: db, labels: {app: db}}
spec: {nodeName: node-1, containers: [{name: c, image: pg, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec: {nodeName: node-2, containers: [{name: c, image: api}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-egress}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 10.96.0.0/12}}]
---
apiVersion: hopscope/v1alpha1
kind: Traffic
metadata: {name: t}
spec:
  requests: [{from: pod/api, to: "tcp://db:5432", count: 2}]
`;

describe('check: an egress ipBlock for the service network', () => {
  it('warns at the cidr, and the connection it meant to allow is indeed dropped by the policy', () => {
    const r = loadScenario(SCENARIO);
    const w = r.diagnostics.filter((d) => d.code === 'netpol-ipblock-service-network');
    expect(w).toHaveLength(1);
    expect(w[0]!.severity).toBe('warning');
    expect(w[0]!.message).toContain('NetworkPolicy default/api-egress: spec.egress[0].to[0].ipBlock 10.96.0.0/12');
    expect(SCENARIO.slice(w[0]!.pos.offset, w[0]!.pos.end)).toBe('10.96.0.0/12');
    const run = runTraffic(r.model!, r.scenario);
    expect(run.requests[0]).toMatchObject({ delivered: 0, dropped: 2, reasons: { filtered: 2 } });
  });

  it('says nothing when the block also admits the pods', () => {
    const r = loadScenario(SCENARIO.replace('cidr: 10.96.0.0/12', 'cidr: 10.0.0.0/8'));
    expect(r.diagnostics.some((d) => d.code === 'netpol-ipblock-service-network')).toBe(false);
  });
});
