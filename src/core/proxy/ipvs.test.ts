// kube-proxy's IPVS mode programming the model, and Services walked through it: kube-ipvs0,
// virtual and real servers, ipsets, the iptables rules it still needs, re-sync, and flows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuiltCluster } from '../testing/cluster';
import type { Service } from '../k8s/types';
import { cluster, delivered, innerIp } from '../testing/cluster';
import { loadScenario } from '../compile/load';
import { runTraffic } from '../simulate/run';
import { renderIpvsadm } from '../render/ipvsadm';
import { renderIptablesSave } from '../render/iptables-save';
import { renderIpAddr } from '../render/ip-addr';
import { getProxyMode } from './index';
import { kubeProxyOptionsFrom } from './iptables/index';
import { planIpvsSync } from './ipvs/plan';

const IPVS_CONFIG = JSON.stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'ipvs' });

function service(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
}

const WEB = { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] };

/** Two nodes (bridge CNI), a client on node-1, web pods on the nodes listed, kube-proxy in IPVS mode. */
function ipvsCluster(nodes: string[], ...docs: string[]): BuiltCluster {
  let b = cluster().nodes(2).cni('bridge').seed(3).pod('client', { node: 'node-1' }).raw(IPVS_CONFIG);
  nodes.forEach((n, i) => (b = b.pod(`web-${i + 1}`, { node: n, ports: [8080], labels: { app: 'web' } })));
  for (const d of docs) b = b.raw(d);
  return b.build();
}

function vipOf(c: BuiltCluster, name: string): string {
  return c.model.services.find((s) => s.metadata.name === name)!.spec.clusterIP!;
}

function node(c: BuiltCluster, name: string) {
  return c.model.netns.get(name)!;
}

function podIp(c: BuiltCluster, name: string): string {
  return c.model.pods.find((p) => p.name === name)!.ip;
}

describe('IPVS mode: what kube-proxy programs', () => {
  const c = ipvsCluster(['node-1', 'node-2'], service('web', { ...WEB, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }));
  const vip = vipOf(c, 'web');

  it('is registered (no iptables fallback) and compiles without diagnostics', () => {
    expect(getProxyMode('ipvs').fallback).toBe(false);
    expect(c.result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('binds every ClusterIP to kube-ipvs0, a dummy device left down', () => {
    const addr = renderIpAddr(c.model, node(c, 'node-1'));
    expect(addr).toMatch(/\d+: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN/);
    expect(addr).toContain(`inet ${vip}/32 scope global kube-ipvs0`);
    expect(addr).toContain('inet 10.96.0.1/32 scope global kube-ipvs0');
  });

  it('has a virtual server per ClusterIP:port and per node address:NodePort, endpoints as Masq real servers', () => {
    const out = renderIpvsadm(node(c, 'node-1').ipvs);
    const [a, b] = [podIp(c, 'web-1'), podIp(c, 'web-2')].sort();
    const reals = `  -> ${`${a}:8080`.padEnd(28)} Masq    1      0          0         \n  -> ${`${b}:8080`.padEnd(28)} Masq    1      0          0         \n`;
    expect(out).toContain(`TCP  ${vip}:80 rr\n${reals}`);
    expect(out).toContain(`TCP  192.168.0.11:30080 rr\n${reals}`);
    // Every address of the node takes NodePorts (cni0's too), not only the node IP; never 127.0.0.1.
    expect(out).toContain('TCP  10.244.0.1:30080 rr');
    expect(out).not.toContain('127.0.0.1:30080');
  });

  it('fills the ipsets the rules match on', () => {
    const sets = node(c, 'node-1').netfilter.ipsets!;
    expect([...sets.get('KUBE-CLUSTER-IP')!.entries]).toContain(`${vip},tcp:80`);
    expect([...sets.get('KUBE-NODE-PORT-TCP')!.entries]).toEqual(['30080']);
    expect([...sets.get('KUBE-LOOP-BACK')!.entries]).toContain(`${podIp(c, 'web-1')},tcp:8080,${podIp(c, 'web-1')}`);
    expect([...sets.get('KUBE-LOOP-BACK')!.entries]).not.toContain(`${podIp(c, 'web-2')},tcp:8080,${podIp(c, 'web-2')}`);
    expect(sets.get('KUBE-IPVS-IPS')!.entries.has(vip)).toBe(true);
    expect(sets.get('KUBE-NODE-PORT-LOCAL-TCP')!.entries.size).toBe(0);
  });

  it('writes the iptables rules IPVS mode needs: set matches, masquerade mark, IPVS filter', () => {
    const nat = renderIptablesSave(node(c, 'node-1').netfilter, { tables: ['nat'] });
    expect(nat).toContain('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(nat).toContain('-A KUBE-SERVICES ! -s 10.244.0.0/16 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ');
    expect(nat).toContain('-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ');
    expect(nat).toContain('-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT');
    expect(nat).not.toContain('KUBE-SVC-');
    const filter = renderIptablesSave(node(c, 'node-1').netfilter, { tables: ['filter'] });
    expect(filter).toContain('-A INPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER\n-A INPUT -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL\n-A INPUT -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT\n');
    expect(filter).toContain('-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT');
  });

  it('sets the IPVS sysctls', () => {
    expect(node(c, 'node-2').sysctls.other).toMatchObject({ 'net.ipv4.vs.conntrack': '1', 'net.ipv4.vs.expire_nodest_conn': '1' });
    expect(node(c, 'node-2').sysctls.ipForward).toBe(true);
  });
});

describe('IPVS mode: restore text', () => {
  it('is kube-proxy\'s writeIptablesRules output, byte for byte, for a LoadBalancer with source ranges', () => {
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb', namespace: 'ns1' },
      spec: { type: 'LoadBalancer', clusterIP: '172.30.0.41', externalTrafficPolicy: 'Local', healthCheckNodePort: 30000, loadBalancerSourceRanges: ['203.0.113.0/25'], ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }] },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    };
    const config = { ...kubeProxyOptionsFrom({ kind: 'KubeProxyConfiguration', clusterCIDR: '10.0.0.0/8' }), randomFully: true };
    const plan = planIpvsSync({ nodeName: 'n1', nodeIP: '192.168.0.2', nodeAddresses: ['127.0.0.1', '192.168.0.2'], services: [svc], endpointSlices: [], config, scheduler: '' });
    expect(plan.restoreText).toBe(
      [
        '*nat',
        ':KUBE-SERVICES - [0:0]',
        ':KUBE-POSTROUTING - [0:0]',
        ':KUBE-NODE-PORT - [0:0]',
        ':KUBE-LOAD-BALANCER - [0:0]',
        ':KUBE-MARK-MASQ - [0:0]',
        '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN',
        '-A KUBE-SERVICES -m comment --comment "Kubernetes service lb portal" -m set --match-set KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER',
        '-A KUBE-LOAD-BALANCER -m comment --comment "Kubernetes service load balancer ip + port with externalTrafficPolicy=local" -m set --match-set KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN',
        '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port with externalTrafficPolicy=local" -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN',
        '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ',
        '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
        '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
        '-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ',
        '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
        '-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT',
        '-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN',
        '-A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000',
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
        '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000',
        'COMMIT',
        '*filter',
        ':KUBE-FORWARD - [0:0]',
        ':KUBE-NODE-PORT - [0:0]',
        ':KUBE-PROXY-FIREWALL - [0:0]',
        ':KUBE-SOURCE-RANGES-FIREWALL - [0:0]',
        ':KUBE-IPVS-FILTER - [0:0]',
        ':KUBE-IPVS-OUT-FILTER - [0:0]',
        '-A KUBE-PROXY-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port for load balancer with sourceRange" -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j KUBE-SOURCE-RANGES-FIREWALL',
        '-A KUBE-SOURCE-RANGES-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port + source cidr for packet filter purpose" -m set --match-set KUBE-LOAD-BALANCER-SOURCE-CIDR dst,dst,src -j RETURN',
        '-A KUBE-SOURCE-RANGES-FIREWALL -j DROP',
        '-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4 -m ipvs --vaddr 1.2.3.4 --vproto tcp --vport 80 -j DROP',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x00004000/0x00004000 -j ACCEPT',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT',
        'COMMIT',
        '',
      ].join('\n'),
    );
    expect(plan.bindAddresses).toEqual(['1.2.3.4', '172.30.0.41']);
    expect(plan.sets.get('KUBE-LOAD-BALANCER-SOURCE-CIDR')).toEqual(new Set(['1.2.3.4,tcp:80,203.0.113.0/25']));
    expect(plan.sets.get('KUBE-HEALTH-CHECK-NODE-PORT')).toEqual(new Set(['30000']));
    expect(plan.virtualServers.map((v) => `${v.kind} ${v.address}:${v.port}`)).toEqual(['cluster-ip 172.30.0.41:80', 'load-balancer 1.2.3.4:80', 'node-port 192.168.0.2:3001']);
  });
});

describe('IPVS mode: flows', () => {
  const c = ipvsCluster(['node-1', 'node-2'], service('web', WEB), service('sticky', { ...WEB, sessionAffinity: 'ClientIP' }));
  const vip = vipOf(c, 'web');

  it('pod → ClusterIP: the VIP is local, IPVS at LOCAL_IN picks a real server by one lookup, the reply gets the VIP back', () => {
    const f = c.trace('pod/client', `${vip}:80`);
    expect(f.verdict).toBe('delivered');
    const ipvs = f.hops.find((h) => h.stage === 'ipvs')!;
    expect(ipvs.netns).toBe('node-1');
    expect(ipvs.changed).toEqual(['ipv4.dst', 'tcp.dport']);
    expect(ipvs.rule?.evaluated).toHaveLength(1);
    expect(f.hops.some((h) => h.changed?.includes('ipv4.dst') && h.stage.startsWith('netfilter:'))).toBe(false); // no iptables DNAT
    expect(innerIp(delivered(f)).src).toBe(podIp(c, 'client'));
    expect(f.reply?.verdict).toBe('delivered');
    expect(innerIp(delivered(f.reply!))).toMatchObject({ src: vip, dst: podIp(c, 'client') });
  });

  it('node → ClusterIP: IPVS at LOCAL_OUT, the VIP-sourced connection is masqueraded to the node, the reply comes home', () => {
    const f = c.trace('node/node-2', `${vip}:80`, { index: 1 });
    expect(f.verdict).toBe('delivered');
    expect(f.hops.find((h) => h.stage === 'ipvs')?.netns).toBe('node-2');
    expect(f.hops.some((h) => h.device === 'lo' && h.stage === 'veth')).toBe(false);
    expect(innerIp(delivered(f)).src).toBe('192.168.0.12');
    expect(innerIp(delivered(f.reply!)).src).toBe(vip);
  });

  it('round robin alternates exactly between the two real servers', () => {
    const ends = [0, 1, 2, 3, 4, 5].map((i) => c.trace('pod/client', `${vip}:80`, { index: i + 10 }).endpoint);
    expect(ends[0]).not.toBe(ends[1]);
    expect(ends.filter((e) => e === ends[0])).toHaveLength(3);
  });

  it('sessionAffinity ClientIP: a persistent virtual server keeps the client on one real server', () => {
    const sticky = vipOf(c, 'sticky');
    expect(renderIpvsadm(node(c, 'node-1').ipvs)).toContain(`TCP  ${sticky}:80 rr persistent 10800`);
    const ends = new Set([0, 1, 2, 3].map((i) => c.trace('pod/client', `${sticky}:80`, { index: i }).endpoint));
    expect(ends.size).toBe(1);
  });

  it('a port the Service does not declare is refused by KUBE-IPVS-FILTER (the VIP does not expose the node)', () => {
    const f = c.trace('pod/client', `${vip}:22`);
    expect(f.verdict).toBe('dropped');
    expect(f.reason).toBe('reject');
  });

  it('a Service without endpoints keeps its virtual server; nothing answers', () => {
    const e = ipvsCluster([], service('empty', WEB));
    const v = vipOf(e, 'empty');
    expect(renderIpvsadm(node(e, 'node-1').ipvs)).toMatch(new RegExp(`TCP  ${v.replace(/\./g, '\\.')}:80 rr\\n(?!  ->)`));
    expect(e.trace('pod/client', `${v}:80`).verdict).toBe('dropped');
  });

  it('a Service without endpoints: IPVS itself answers ICMP port unreachable and drops the SYN (ip_vs_leave), no TCP RST from the stack', () => {
    const e = ipvsCluster([], service('empty', WEB));
    const f = e.trace('pod/client', `${vipOf(e, 'empty')}:80`);
    expect(f).toMatchObject({ verdict: 'dropped', reason: 'reject' });
    expect(f.hops.some((h) => h.stage === 'deliver')).toBe(false);
    expect(f.hops.some((h) => h.stage === 'ipvs' && /ICMP port unreachable/.test(h.explain))).toBe(true);
    expect(f.reply).toBeUndefined();
  });
});

describe('IPVS mode: NodePort and traffic policies', () => {
  const np = (policy: 'Cluster' | 'Local', nodes: string[]) => ipvsCluster(nodes, service('web', { ...WEB, type: 'NodePort', externalTrafficPolicy: policy, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }));

  it('Cluster policy from an external client: any node schedules, masquerades to itself, and un-NATs the reply', () => {
    const c = np('Cluster', ['node-1']);
    const f = c.trace('external/client', 'node/node-2:30080');
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('default/web-1');
    expect(f.hops.find((h) => h.stage === 'ipvs')?.netns).toBe('node-2');
    expect(innerIp(delivered(f)).src).toBe('192.168.0.12');
    const back = delivered(f.reply!);
    expect(innerIp(back).src).toBe('192.168.0.12');
    expect(back.headers.find((h) => h.kind === 'tcp')).toMatchObject({ sport: 30080 });
  });

  it('Local policy: the client address is kept; the NodePort is in the -LOCAL set (RETURN before the mark)', () => {
    const c = np('Local', ['node-1']);
    expect([...node(c, 'node-1').netfilter.ipsets!.get('KUBE-NODE-PORT-LOCAL-TCP')!.entries]).toEqual(['30080']);
    const f = c.trace('external/client', 'node/node-1:30080');
    expect(f.verdict).toBe('delivered');
    expect(innerIp(delivered(f)).src).toBe(innerIp(f.hops[0]!.packet).src);
  });

  it('Local policy on a node without a local endpoint: IPVS takes the cluster endpoints (iptables mode would drop)', () => {
    const c = np('Local', ['node-1']);
    expect(renderIpvsadm(node(c, 'node-2').ipvs)).toContain(`TCP  192.168.0.12:30080 rr\n  -> ${podIp(c, 'web-1')}:8080`);
    expect(renderIpvsadm(node(c, 'node-1').ipvs)).toContain(`TCP  192.168.0.11:30080 rr\n  -> ${podIp(c, 'web-1')}:8080`);
  });
});

describe('IPVS mode: re-sync', () => {
  it('removes addresses, virtual servers and real servers that are no longer wanted', () => {
    const c = ipvsCluster(['node-1', 'node-2'], service('web', WEB), service('gone', { ...WEB, ports: [{ port: 81, targetPort: 8080 }] }));
    const ns = node(c, 'node-1');
    const gone = vipOf(c, 'gone');
    const mode = getProxyMode('ipvs').mode;
    const ctx = { model: c.model, config: { kind: 'KubeProxyConfiguration' as const, clusterCIDR: '10.244.0.0/16' }, nodeObject: () => undefined, report: () => {} };
    const services = c.model.services.filter((s) => s.metadata.name !== 'gone');
    const slices = c.model.endpointSlices.filter((s) => !(s.endpoints ?? []).some((e) => e.addresses[0] === podIp(c, 'web-2')));
    mode.programNode(ctx, c.model.nodes[0]!, ns, services, slices);
    expect(ns.devices.find((d) => d.name === 'kube-ipvs0')!.addresses.map((a) => a.ip)).not.toContain(gone);
    const out = renderIpvsadm(ns.ipvs);
    expect(out).not.toContain(`${gone}:81`);
    expect(out).not.toContain(podIp(c, 'web-2'));
    expect(ns.netfilter.ipsets!.get('KUBE-CLUSTER-IP')!.entries.has(`${gone},tcp:81`)).toBe(false);
    // A second identical sync changes nothing (the jumps are not inserted twice).
    const before = renderIptablesSave(ns.netfilter);
    mode.programNode(ctx, c.model.nodes[0]!, ns, services, slices);
    expect(renderIptablesSave(ns.netfilter)).toBe(before);
  });

  it('a removed real server with a live TCP connection is quiesced to weight 0 first', () => {
    const c = ipvsCluster(['node-1', 'node-2'], service('web', WEB));
    const vip = vipOf(c, 'web');
    const ns = node(c, 'node-1');
    const f = c.trace('pod/client', `${vip}:80`);
    const used = f.endpoint === 'default/web-1' ? 'web-1' : 'web-2';
    const ctx = { model: c.model, config: { kind: 'KubeProxyConfiguration' as const, clusterCIDR: '10.244.0.0/16' }, nodeObject: () => undefined, report: () => {} };
    const slices = c.model.endpointSlices.map((s) => ({ ...s, endpoints: (s.endpoints ?? []).filter((e) => e.addresses[0] !== podIp(c, used)) }));
    getProxyMode('ipvs').mode.programNode(ctx, c.model.nodes[0]!, ns, c.model.services, slices);
    const svc = ns.ipvs!.services.find((s) => s.address === vip)!;
    expect(svc.dests.find((d) => d.address === podIp(c, used))?.weight).toBe(0);
  });
});

describe('IPVS mode: the seed experiment', () => {
  const text = readFileSync(join(__dirname, '../../../fixtures/scenarios/service-test-ipvs.yaml'), 'utf8');

  it('round robin answers exactly 100/100 for any seed', () => {
    for (const seed of [undefined, 2, 7]) {
      const r = loadScenario(text);
      const res = runTraffic(r.model!, r.scenario, seed !== undefined ? { seed } : {});
      expect(res.requests[0]).toMatchObject({ count: 200, delivered: 200, dropped: 0 });
      expect(Object.values(res.requests[0]!.byEndpoint)).toEqual([100, 100]);
    }
  });

  it('takes the scheduler from the Cluster, and a KubeProxyConfiguration overrides it', () => {
    const r = loadScenario(text.replace('ipvsScheduler: rr', 'ipvsScheduler: sh'));
    expect(renderIpvsadm(r.model!.netns.get('node-1')!.ipvs)).toMatch(/TCP {2}10\.3\.\d+\.\d+:80 sh\n/);
    const withConfig = `${text}---\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs: {scheduler: lc}\n`;
    expect(renderIpvsadm(loadScenario(withConfig).model!.netns.get('node-1')!.ipvs)).toMatch(/TCP {2}10\.3\.\d+\.\d+:80 lc\n/);
  });
});

describe('IPVS mode: the mh (Maglev) scheduler', () => {
  const text = readFileSync(join(__dirname, '../../../fixtures/scenarios/service-test-ipvs.yaml'), 'utf8').replace('ipvsScheduler: rr', 'ipvsScheduler: mh');

  it('is modelled (no rr fallback notice) and every virtual server gets the mh-port flag, as kube-proxy sets FlagSourceHash', () => {
    const r = loadScenario(text);
    expect(r.diagnostics.filter((d) => d.code === 'ipvs-scheduler')).toEqual([]);
    const listing = renderIpvsadm(r.model!.netns.get('node-1')!.ipvs);
    expect(listing).toMatch(/TCP {2}10\.3\.\d+\.\d+:80 mh \(mh-port\)\n/);
    expect(listing).toMatch(/TCP {2}10\.3\.240\.1:443 mh \(mh-port\)\n/);
  });

  it('takes mh from a KubeProxyConfiguration too', () => {
    const withConfig = `${text.replace('ipvsScheduler: mh', 'ipvsScheduler: rr')}---\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs: {scheduler: mh}\n`;
    const r = loadScenario(withConfig);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(renderIpvsadm(r.model!.netns.get('node-1')!.ipvs)).toMatch(/:80 mh \(mh-port\)\n/);
  });

  it('traces a client to the Service through a Maglev lookup, the same way for the same seed', () => {
    const r = loadScenario(text);
    const runs = [1, 1, 5].map((seed) => runTraffic(loadScenario(text).model!, r.scenario, { seed }).requests[0]!);
    for (const res of runs) expect(res).toMatchObject({ count: 200, delivered: 200, dropped: 0 });
    expect(runs[1]!.byEndpoint).toEqual(runs[0]!.byEndpoint);
    // With mh-port each new source port hashes afresh: one client's connections reach both servers.
    for (const res of runs) expect(Object.keys(res.byEndpoint)).toHaveLength(2);
  });

  it('without mh-port one client address always reaches the same server', () => {
    const r = loadScenario(text);
    for (const ns of r.model!.netns.values()) for (const svc of ns.ipvs?.services ?? []) svc.schedFlags = 0;
    const res = runTraffic(r.model!, r.scenario, { seed: 1 }).requests[0]!;
    expect(res).toMatchObject({ count: 200, delivered: 200 });
    expect(Object.values(res.byEndpoint)).toEqual([200]);
  });
});
