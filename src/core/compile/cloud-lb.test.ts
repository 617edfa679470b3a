// The cloud load balancer as a box of its own: routed to by the underlay router, forwarding by
// IPVS direct routing to the nodes, kube-proxy's LB-IP rules DNATing on the node, replies straight
// home with the LB IP restored by conntrack; health checks under externalTrafficPolicy Local.
import { describe, expect, it } from 'vitest';
import type { BuiltCluster } from '../testing/cluster';
import { cluster, delivered, innerIp } from '../testing/cluster';
import { renderIpvsadm } from '../render/ipvsadm';
import { renderIpRoute } from '../render/ip-route';
import { resyncServiceNetwork } from './service-network';
import { cloudLbNetnsId } from './cloud-lb';
import { loadScenario } from './load';
import { renderIptablesSave } from '../render/iptables-save';

const IPVS_CONFIG = JSON.stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'ipvs' });

/** Three nodes, one web pod on node-2, a LoadBalancer Service in front of it. */
function lbCluster(spec: Record<string, unknown>, ipvs = false): BuiltCluster {
  let b = cluster().nodes(3).cni('bridge').pod('web-1', { node: 'node-2', ports: [8080], labels: { app: 'web' } });
  if (ipvs) b = b.raw(IPVS_CONFIG);
  return b.raw(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...spec } })).build();
}

function lbIp(c: BuiltCluster): string {
  return c.model.services.find((s) => s.metadata.name === 'web')!.status!.loadBalancer!.ingress![0]!.ip!;
}

/** Which node the LB handed each of `n` new connections to, and what the pod saw as the source. */
function spread(c: BuiltCluster, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const f = c.trace('external/client', `${lbIp(c)}:80`, { index: i });
    const lb = f.hops.find((h) => h.stage === 'ipvs' && h.netns === 'lb:default/web');
    const firstNode = f.hops.find((h) => h.node.startsWith('node-'))?.node;
    return { f, node: firstNode, lb, podSees: f.verdict === 'delivered' ? innerIp(delivered(f)).src : undefined };
  });
}

describe('the cloud load balancer box', () => {
  const c = lbCluster({});
  const ip = lbIp(c);

  it('is a netns lb:NS/NAME with a NIC on the node segment (a high host address) and the LB IP on lo', () => {
    const box = c.model.netns.get(cloudLbNetnsId('default', 'web'))!;
    expect(box.devices.find((d) => d.name === 'eth0')?.addresses[0]?.ip).toBe('192.168.0.254');
    expect(box.devices.find((d) => d.name === 'lo')?.addresses.map((a) => a.ip)).toContain(ip);
    expect(c.model.segments.get('underlay-0')!.ports).toContainEqual({ netns: box.id, dev: 'eth0' });
  });

  it('the router routes the LB IP to it with a /32', () => {
    expect(renderIpRoute(c.model.netns.get('underlay')!)).toContain(`${ip} via 192.168.0.254 dev eth0 proto static`);
  });

  it('Cluster policy: every node is a real server, forwarded by direct routing (Route)', () => {
    const out = renderIpvsadm(c.model.netns.get('lb:default/web')!.ipvs);
    expect(out).toContain(`TCP  ${ip}:80 rr\n  -> 192.168.0.11:80              Route   1      0          0         \n  -> 192.168.0.12:80              Route   1      0          0         \n  -> 192.168.0.13:80              Route   1      0          0         \n`);
  });

  it('Cluster policy end to end: the packet reaches a node still addressed to the LB IP, is DNATed there and SNATed to the node; the reply comes home from the LB IP', () => {
    const runs = spread(c, 3);
    expect(new Set(runs.map((r) => r.node))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
    for (const { f, lb, node, podSees } of runs) {
      expect(f.verdict).toBe('delivered');
      expect(f.endpoint).toBe('default/web-1');
      expect(lb?.changed).toBeUndefined(); // DR: nothing rewritten
      const dnat = f.hops.find((h) => h.stage === 'netfilter:nat/PREROUTING' && h.changed?.includes('ipv4.dst'))!;
      expect(dnat.node).toBe(node);
      expect(dnat.rule?.evaluated?.some((e) => e.text.includes('loadbalancer IP'))).toBe(true);
      expect(podSees).not.toBe('203.0.113.10'); // masqueraded to the node
      const back = innerIp(delivered(f.reply!));
      expect(back).toMatchObject({ src: ip, dst: innerIp(f.hops[0]!.packet).src });
      expect(f.reply!.hops.some((h) => h.netns === 'lb:default/web')).toBe(false); // replies bypass the LB
    }
  });
});

describe('externalTrafficPolicy Local: health checks', () => {
  it('only the node with a ready local endpoint is a backend, and the pod sees the client address', () => {
    const c = lbCluster({ externalTrafficPolicy: 'Local' });
    const out = renderIpvsadm(c.model.netns.get('lb:default/web')!.ipvs);
    expect(out).toContain('-> 192.168.0.12:80');
    expect(out).not.toContain('192.168.0.11');
    expect(out).not.toContain('192.168.0.13');
    for (const { f, node, podSees } of spread(c, 4)) {
      expect(f.verdict).toBe('delivered');
      expect(node).toBe('node-2');
      expect(podSees).toBe(innerIp(f.hops[0]!.packet).src);
      expect(innerIp(delivered(f.reply!)).src).toBe(lbIp(c));
    }
  });

  it('follows the endpoints: when the pod moves to not-ready the node fails its health check', () => {
    const c = lbCluster({ externalTrafficPolicy: 'Local' });
    c.model.pods.find((p) => p.name === 'web-1')!.ready = false;
    resyncServiceNetwork(c.model);
    expect(renderIpvsadm(c.model.netns.get('lb:default/web')!.ipvs)).not.toMatch(/-> \d/);
    expect(c.trace('external/client', `${lbIp(c)}:80`).verdict).toBe('dropped');
  });
});

describe('loadBalancerSourceRanges, enforced by kube-proxy on the node', () => {
  for (const ipvs of [false, true]) {
    const mode = ipvs ? 'IPVS' : 'iptables';
    it(`${mode} mode: a client outside the ranges is dropped at the node, one inside gets through`, () => {
      const denied = lbCluster({ loadBalancerSourceRanges: ['198.51.100.0/24'] }, ipvs);
      const f = denied.trace('external/client', `${lbIp(denied)}:80`);
      expect(f.verdict).toBe('dropped');
      expect(f.hops.at(-1)!.node).toMatch(/^node-/);
      const allowed = lbCluster({ loadBalancerSourceRanges: ['203.0.113.0/24'] }, ipvs);
      expect(allowed.trace('external/client', `${lbIp(allowed)}:80`).verdict).toBe('delivered');
    });
  }
});

describe('in IPVS mode', () => {
  it('the node takes the LB IP (bound to kube-ipvs0) by its own virtual server and answers from the LB IP', () => {
    const c = lbCluster({}, true);
    const f = c.trace('external/client', `${lbIp(c)}:80`, { index: 1 });
    expect(f.verdict).toBe('delivered');
    const stages = f.hops.filter((h) => h.stage === 'ipvs').map((h) => h.netns);
    expect(stages[0]).toBe('lb:default/web');
    expect(stages[1]).toMatch(/^node-/);
    expect(innerIp(delivered(f.reply!)).src).toBe(lbIp(c));
  });
});

describe('without a Cluster document (one node\'s view) there is no cloud', () => {
  it('builds no box; kube-proxy still programs the LB IP rules', () => {
    const docs = [
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: '192.168.0.2' }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'LoadBalancer', clusterIP: '172.30.0.41', ports: [{ port: 80, nodePort: 30080 }] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } },
    ];
    const r = loadScenario(docs.map((d) => JSON.stringify(d)).join('\n---\n'));
    expect([...r.model!.netns.keys()].filter((k) => k.startsWith('lb:'))).toEqual([]);
    expect(renderIptablesSave(r.model!.netns.get('node-1')!.netfilter)).toContain('-d 1.2.3.4/32');
  });
});
