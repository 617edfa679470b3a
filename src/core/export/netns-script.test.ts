import { describe, expect, it } from 'vitest';
import { cluster } from '../testing/cluster';
import { renderIptablesSave } from '../render/iptables-save';
import { formatRoute } from '../model/routes';
import { exportNetnsScript } from './netns-script';
import { netnsNameFor, underlayPortName } from './names';

function script(b: ReturnType<typeof cluster>, prefix?: string): string {
  const r = exportNetnsScript(b.build().model, prefix !== undefined ? { prefix } : {});
  if (!r.ok) throw new Error(r.error);
  return r.script;
}

describe('exportNetnsScript', () => {
  const flannel = () => cluster().nodes(2).cni('flannel', { backend: 'vxlan' }).pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80], udpPorts: [53] });

  it('names namespaces <prefix><node> and <prefix><namespace>.<pod>, hs- by default', () => {
    const s = script(flannel());
    for (const n of ['hs-underlay', 'hs-router', 'hs-node-1', 'hs-node-2', 'hs-default.a', 'hs-default.b']) expect(s).toContain(`ip netns add ${n}\n`);
    expect(script(flannel(), 't1-')).toContain('ip netns add t1-default.b\n');
  });

  it('creates every device inside a namespace, never in the root one', () => {
    for (const line of script(flannel()).split('\n')) {
      if (/^ip (link|addr|route|neigh)/.test(line)) throw new Error(`root-namespace command: ${line}`);
      if (/^bridge fdb/.test(line)) throw new Error(`root-namespace command: ${line}`);
    }
  });

  it('reproduces MACs, MTUs, vxlan parameters, routes, permanent neighbours and VTEP FDB entries', () => {
    const c = flannel().build();
    const r = exportNetnsScript(c.model);
    if (!r.ok) throw new Error(r.error);
    const node1 = c.model.netns.get('node-1')!;
    const vx = node1.devices.find((d) => d.kind === 'vxlan')!;
    expect(r.script).toContain(`ip -n hs-node-1 link add flannel.1 address ${vx.mac} mtu ${vx.mtu} type vxlan id 1 local 192.168.0.11 dev eth0 dstport 8472 nolearning`);
    for (const route of node1.routes) expect(r.script).toContain(`ip -n hs-node-1 route add ${formatRoute(route)}\n`);
    const nb = node1.neighbours.find((n) => n.state === 'PERMANENT')!;
    expect(r.script).toContain(`ip -n hs-node-1 neigh replace ${nb.ip} lladdr ${nb.mac} dev flannel.1 nud permanent`);
    expect(r.script).toMatch(/bridge -n hs-node-1 fdb append \S+ dev flannel\.1 dst 192\.168\.0\.12 self permanent/);
    const port = underlayPortName(c.model, 'node-1', 'eth0');
    expect(r.script).toContain(`type veth peer name ${port} netns hs-underlay`);
  });

  it('sets the bridge port hairpin flag (the bridge delegate of flannel) and the promiscuous bridge (kubenet) as the plugins did', () => {
    const f = script(flannel());
    expect(f).toMatch(/ip -n hs-node-1 link set veth[0-9a-f]{8} type bridge_slave hairpin on\n/);
    expect(f).not.toContain('promisc on');
    const k = script(cluster().nodes(1).cni('kubenet').pod('a'));
    expect(k).toContain('ip -n hs-node-1 link set cbr0 promisc on\n');
    expect(k).not.toContain('hairpin on');
  });

  it('feeds iptables-restore exactly the iptables-save rendering (mangle too: kube-proxy keeps its canary there)', () => {
    const c = flannel().build();
    const r = exportNetnsScript(c.model);
    if (!r.ok) throw new Error(r.error);
    const text = renderIptablesSave(c.model.netns.get('node-2')!.netfilter, { tables: ['mangle', 'nat', 'filter'] });
    expect(r.script).toContain(`ip netns exec hs-node-2 iptables-restore <<'HOPSCOPE_RULES'\n${text}HOPSCOPE_RULES\n`);
  });

  it('starts one listener per namespace with sockets and waits for them', () => {
    const s = script(flannel());
    expect(s).toContain(`ip netns exec hs-default.b "$NODE_BIN" -e "$SERVER" default/b tcp:80/4096,udp:53`);
    expect(s).toContain('while [ ! -s "$f" ]');
  });

  it('creates each namespace’s devices in the model’s ifindex order, so the kernel numbers them alike', () => {
    const c = flannel().build();
    const s = script(flannel());
    for (const ns of ['node-1', 'node-2']) {
      const made = [...s.matchAll(new RegExp(`^ip -n hs-${ns} link add (\\S+)`, 'gm'))].map((m) => m[1]);
      const want = c.model.netns.get(ns)!.devices.filter((d) => d.kind !== 'loopback').sort((a, b) => a.ifindex - b.ifindex).map((d) => d.name);
      expect(made).toEqual(want);
    }
  });

  it('a listener asks listen() for the simulated program’s backlog (ss shows it as Send-Q)', () => {
    const s = script(cluster().nodes(1).cni('flannel', { backend: 'vxlan' }));
    expect(s).toMatch(/ip netns exec hs-node-1 "\$NODE_BIN" -e "\$SERVER" node-1 tcp:22\/128,tcp:10250\/4096/);
  });

  it('tears down only its own namespaces, stopping their processes first', () => {
    const c = flannel().build();
    const r = exportNetnsScript(c.model, { prefix: 'x-', teardown: true });
    if (!r.ok) throw new Error(r.error);
    expect(r.script).toContain(`for ns in x-underlay ${[...c.model.netns.values()].map((n) => netnsNameFor(n, 'x-')).join(' ')}; do`);
    expect(r.script).toContain('ip netns pids "$ns"');
    expect(r.script).not.toMatch(/pkill|killall/);
  });

  it('refuses IPVS mode and IPIP with a clear message', () => {
    const ipvs = cluster().nodes(1).raw('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs').build();
    const r1 = exportNetnsScript(ipvs.model);
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.error).toMatch(/ipvs.*IPVS module/);
    const ipip = cluster().nodes(2).cni('calico', { backend: 'ipip' }).build();
    const r2 = exportNetnsScript(ipip.model);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.error).toMatch(/IPIP.*CONFIG_NET_IPIP/);
  });

  it('refuses IPVS virtual services outside kube-proxy too (a cloud load balancer box)', () => {
    const c = cluster().nodes(1).build();
    c.model.netns.get('node-1')!.ipvs = { services: [{} as never], conns: [], templates: [] };
    const r = exportNetnsScript(c.model);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/IPVS virtual services/);
  });

  it('rejects a prefix that is not a plain name', () => {
    const r = exportNetnsScript(flannel().build().model, { prefix: 'a b;' });
    expect(r.ok).toBe(false);
  });

  it('is deterministic', () => {
    expect(script(flannel())).toBe(script(flannel()));
  });
});
