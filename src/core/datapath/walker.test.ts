import { describe, expect, it } from 'vitest';
import { cluster, delivered, innerIp, stages } from '../testing/cluster';
import { outerIp } from './headers';
import { netConfFiles } from '../cni/net-d';
import { packetLength } from './packet';

const twoPods = (plugin: string, backend?: string) =>
  cluster()
    .nodes(2)
    .cni(plugin, backend ? { backend } : {})
    .pod('a', { node: 'node-1' })
    .pod('b', { node: 'node-2', ports: [80] })
    .pod('c', { node: 'node-1', ports: [80] });

describe('pod to pod on one node (bridge)', () => {
  const c = twoPods('flannel', 'vxlan').build();
  const f = c.trace('pod/a', 'pod/default/c:80');

  it('is switched by cni0 without routing: TTL unchanged, no NAT', () => {
    expect(f.verdict).toBe('delivered');
    expect(stages(f)).not.toContain('forward');
    expect(stages(f)).toContain('bridge');
    const ip = innerIp(delivered(f));
    expect(ip.ttl).toBe(64);
    expect(ip.src).toBe(c.model.pods.find((p) => p.name === 'a')!.ip);
  });

  it('resolves the peer by ARP first, then uses the neighbour entry', () => {
    expect(stages(f)[1]).toBe('arp');
    const again = c.trace('pod/a', 'pod/default/c:80', { index: 1 });
    expect(stages(again)).not.toContain('arp');
  });

  it('the reply comes back the same way', () => {
    expect(f.reply?.verdict).toBe('delivered');
    expect(innerIp(delivered(f.reply!)).dst).toBe(c.model.pods.find((p) => p.name === 'a')!.ip);
  });
});

describe('flannel VXLAN across nodes', () => {
  const c = twoPods('flannel', 'vxlan').build();
  const f = c.trace('pod/a', 'pod/default/b:80');

  it('encapsulates in VXLAN VNI 1 on UDP 8472 between the node IPs, adding 50 bytes', () => {
    const encap = f.hops.find((h) => h.stage === 'encap')!;
    expect(encap.device).toBe('flannel.1');
    const [outer, udp, vx] = encap.packet.headers;
    expect(outer).toMatchObject({ kind: 'ipv4', src: '192.168.0.11', dst: '192.168.0.12', protocol: 'udp', ttl: 64 });
    expect(udp).toMatchObject({ kind: 'udp', dport: 8472 });
    expect(vx).toMatchObject({ kind: 'vxlan', vni: 1 });
    expect(packetLength(encap.packet) - packetLength(encap.packet, 3)).toBe(36);
    const wire = f.hops.find((h) => h.stage === 'wire')!;
    // On the wire: outer Ethernet + IP + UDP + VXLAN = 50 bytes around the inner IP packet.
    const innerIpIndex = wire.packet.headers.findIndex((h, i) => i > 1 && h.kind === 'ipv4');
    expect(packetLength(wire.packet) - packetLength(wire.packet, innerIpIndex)).toBe(14 + 20 + 8 + 8 + 14);
  });

  it('decrements TTL once per routing node, never in the tunnel or a bridge', () => {
    expect(innerIp(delivered(f)).ttl).toBe(62);
    expect(f.hops.find((h) => h.stage === 'decap')?.netns).toBe('node-2');
  });

  it('keeps pod addresses end to end (no NAT on the pod network)', () => {
    const a = c.model.pods.find((p) => p.name === 'a')!;
    const b = c.model.pods.find((p) => p.name === 'b')!;
    expect(innerIp(delivered(f))).toMatchObject({ src: a.ip, dst: b.ip });
    expect(f.reply?.verdict).toBe('delivered');
  });
});

describe('calico', () => {
  it('IPIP: a 20-byte outer header whose TTL inherits the inner one', () => {
    const c = twoPods('calico', 'ipip').build();
    const f = c.trace('pod/a', 'pod/default/b:80');
    const encap = f.hops.find((h) => h.stage === 'encap')!;
    expect(encap.device).toBe('tunl0');
    expect(encap.packet.headers[0]).toMatchObject({ kind: 'ipv4', protocol: 'ipip', ttl: 63, src: '192.168.0.11', dst: '192.168.0.12' });
    expect(f.verdict).toBe('delivered');
    expect(innerIp(delivered(f)).ttl).toBe(62);
  });

  it('BGP: pure L3, the gateway 169.254.1.1 answered by proxy ARP with ee:ee:ee:ee:ee:ee', () => {
    const c = twoPods('calico', 'bgp').build();
    const f = c.trace('pod/a', 'pod/default/b:80');
    const arp = f.hops.find((h) => h.stage === 'arp')!;
    expect(arp.explain).toMatch(/proxy ARP/);
    expect(arp.packet.headers[1]).toMatchObject({ kind: 'arp', senderMac: 'ee:ee:ee:ee:ee:ee', senderIp: '169.254.1.1' });
    expect(stages(f)).not.toContain('bridge');
    expect(stages(f)).not.toContain('encap');
    expect(f.verdict).toBe('delivered');
  });

  it('VXLAN: vxlan.calico, VNI 4096, UDP 4789', () => {
    const c = twoPods('calico', 'vxlan').build();
    const f = c.trace('pod/a', 'pod/default/b:80');
    const encap = f.hops.find((h) => h.stage === 'encap')!;
    expect(encap.device).toBe('vxlan.calico');
    expect(encap.packet.headers[1]).toMatchObject({ kind: 'udp', dport: 4789 });
    expect(encap.packet.headers[2]).toMatchObject({ kind: 'vxlan', vni: 4096 });
    expect(f.verdict).toBe('delivered');
  });
});

describe('plain routes: host-gw, bridge with static routes, kubenet on a cloud VPC', () => {
  it('flannel host-gw routes via the peer node with no encapsulation', () => {
    const f = twoPods('flannel', 'host-gw').build().trace('pod/a', 'pod/default/b:80');
    expect(stages(f)).not.toContain('encap');
    expect(f.hops.find((h) => h.stage === 'forward')?.rule?.text).toBe('10.244.1.0/24 via 192.168.0.12 dev eth0');
    expect(f.verdict).toBe('delivered');
  });

  it('kubenet in a cloud VPC: nodes use their default route and the VPC route table forwards without a TTL decrement', () => {
    const c = cluster().nodes(2).cni('kubenet').underlay('cloud').pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80] }).build();
    const f = c.trace('pod/a', 'pod/default/b:80');
    expect(f.verdict).toBe('delivered');
    const vpc = f.hops.find((h) => h.netns === 'underlay' && h.stage === 'forward')!;
    expect(vpc.rule?.text).toMatch(/^10\.244\.1\.0\/24 via 192\.168\.0\.12/);
    expect(innerIp(delivered(f)).ttl).toBe(62);
  });

  it('host-gw across subnets has no route to the other node: the packet is lost at the router', () => {
    const c = cluster().nodes(2).cni('flannel', { backend: 'host-gw' }).underlay('routed').pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80] }).build();
    expect(c.result.diagnostics.some((d) => d.code === 'no-l2-adjacency')).toBe(true);
    const f = c.trace('pod/a', 'pod/default/b:80');
    expect(f.verdict).toBe('dropped');
    expect(f.reason).toBe('no-route');
    expect(f.hops.at(-1)?.netns).toBe('underlay');
  });
});

describe('other paths', () => {
  const c = twoPods('flannel', 'vxlan').pod('two', { node: 'node-2', containers: ['app', 'sidecar'], ports: [8080] }).build();

  it('container to container over localhost stays inside the pod netns', () => {
    const f = c.trace('pod/default/two/sidecar', '127.0.0.1:8080');
    expect(f.verdict).toBe('delivered');
    expect(new Set(f.hops.map((h) => h.netns))).toEqual(new Set(['pod:default/two']));
    expect(f.hops.at(-1)?.explain).toMatch(/app/);
  });

  it('pod to its own node is delivered locally with the pod IP as source', () => {
    const f = c.trace('pod/a', 'node/node-1:10250');
    expect(f.verdict).toBe('delivered');
    expect(innerIp(delivered(f)).src).toBe(c.model.pods.find((p) => p.name === 'a')!.ip);
  });

  it('node to a pod on another node goes through flannel.1 with the flannel.1 address as source, masqueraded', () => {
    const f = c.trace('node/node-1', 'pod/default/b:80');
    expect(f.verdict).toBe('delivered');
    expect(f.reply?.verdict).toBe('delivered');
  });

  it('pod to the internet is MASQUERADEd to the node address and the reply is un-NATed', () => {
    const f = c.trace('pod/a', '93.184.216.34:443');
    expect(f.verdict).toBe('delivered');
    const seen = innerIp(delivered(f));
    expect(seen.src).toBe('192.168.0.11');
    const snat = f.hops.find((h) => h.changed?.includes('ipv4.src'))!;
    expect(snat.stage).toBe('netfilter:nat/POSTROUTING');
    expect(snat.rule?.text).toMatch(/MASQUERADE/);
    expect(f.reply?.verdict).toBe('delivered');
    expect(innerIp(delivered(f.reply!)).dst).toBe(c.model.pods.find((p) => p.name === 'a')!.ip);
    expect(f.reply!.hops.some((h) => h.explain.includes('reverses'))).toBe(true);
  });

  it('a closed port is refused with a reason', () => {
    const f = c.trace('pod/a', 'pod/default/b:81');
    expect(f).toMatchObject({ verdict: 'dropped', reason: 'connection-refused' });
  });

  it('an unused address in a local subnet fails ARP', () => {
    const f = c.trace('pod/a', '10.244.0.200:80');
    expect(f).toMatchObject({ verdict: 'dropped', reason: 'arp-failed' });
  });

  it('ICMP echo is answered by the kernel', () => {
    const f = c.trace('pod/a', 'pod/default/b');
    expect(f.verdict).toBe('delivered');
    expect(f.reply?.hops.at(-1)?.packet.headers.at(-1)).toMatchObject({ kind: 'icmp', type: 0 });
  });

  it('a routing loop ends by TTL exceeded, not by running forever', () => {
    const m = c.model;
    const n1 = m.netns.get('node-1')!;
    const n2 = m.netns.get('node-2')!;
    // Two nodes that each send 10.244.200.0/24 to the other. Inside the pod network, so nothing
    // masquerades the looping packet (with node-1's own address as its source, node-1 would drop
    // it on its return as a martian before TTL ran out).
    n1.routes.push({ type: 'unicast', dst: { text: '10.244.200.0/24', network: 0x0af4c800, prefix: 24, mask: 0xffffff00 }, via: '192.168.0.12', dev: 'eth0', table: 254 });
    n2.routes.push({ type: 'unicast', dst: { text: '10.244.200.0/24', network: 0x0af4c800, prefix: 24, mask: 0xffffff00 }, via: '192.168.0.11', dev: 'eth0', table: 254 });
    const f = c.trace('pod/a', '10.244.200.1:80');
    expect(f).toMatchObject({ verdict: 'dropped', reason: 'ttl-exceeded' });
    expect(f.hops.length).toBeLessThan(400);
  });
});

describe('determinism', () => {
  it('the same scenario and seed give byte-identical traces', () => {
    const a = twoPods('calico', 'vxlan').build().trace('pod/a', 'pod/default/b:80', { seed: 7 });
    const b = twoPods('calico', 'vxlan').build().trace('pod/a', 'pod/default/b:80', { seed: 7 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('outer IP of a delivered VXLAN packet is the outermost header', () => {
    const f = twoPods('flannel', 'vxlan').build().trace('pod/a', 'pod/default/b:80');
    const wire = f.hops.find((h) => h.stage === 'wire')!;
    expect(outerIp({ ...wire.packet, headers: wire.packet.headers.slice(1) }).dst).toBe('192.168.0.12');
  });
});

describe('ARP sender address (kernel conformance: tshark flagged a duplicate-IP ARP)', () => {
  it('a node forwarding a pod packet asks "tell <its own address>", not the pod source', () => {
    const c = cluster().nodes(2).cni('flannel', { backend: 'vxlan' }).pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80] }).build();
    const f = c.trace('pod/a', 'pod/default/b:80');
    const arp = f.hops.find((h) => h.stage === 'arp' && h.netns === 'node-2')!;
    const a = arp.packet.headers.find((h) => h.kind === 'arp')!;
    expect(a.kind === 'arp' && a.targetIp).toBe('10.244.1.1');
    expect(arp.explain).toContain('tell 10.244.1.1');
  });
});

describe('MASQUERADE out of a device without an address (kernel conformance: Calico NodePort)', () => {
  it('takes the first global address of the namespace, as inet_select_addr does', () => {
    const svc = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'np' }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] } });
    const c = cluster().nodes(2).cni('calico', { backend: 'bgp' }).pod('b', { node: 'node-2', ports: [80], labels: { app: 'np' } }).raw(svc).build();
    const f = c.trace('node/node-1', '192.168.0.12:30080');
    expect(f.verdict).toBe('delivered');
    expect(innerIp(delivered(f)).src).toBe('192.168.0.12');
  });
});

describe('found by the kernel conformance suite', () => {
  const svc = (type: string) =>
    cluster()
      .nodes(2)
      .cni('flannel', { backend: 'vxlan' })
      .pod('web', { node: 'node-2', ports: [80], labels: { app: 'web' } })
      .pod('a', { node: 'node-1' })
      .raw(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type, selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] } }))
      .build();

  it('a node connecting to its own NodePort is routed again after the OUTPUT DNAT, not looped through lo', () => {
    const c = svc('NodePort');
    const f = c.trace('node/node-1', 'node/node-1:30080');
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('default/web');
    const seen = innerIp(delivered(f)).src;
    expect(seen).not.toBe('127.0.0.1');
    expect(seen).toBe('10.244.0.0'); // masqueraded to flannel.1's address, the device it leaves by
    expect(f.reply?.verdict).toBe('delivered');
  });

  it('a refused connection gets the kernel’s RST back, and conntrack forgets the never-assured entry', () => {
    const c = svc('NodePort');
    const f = c.trace('pod/a', 'pod/default/web:81');
    expect(f).toMatchObject({ verdict: 'dropped', reason: 'connection-refused' });
    expect(f.reply?.verdict).toBe('delivered');
    expect(f.reply?.hops[0]?.packet.headers[1]).toMatchObject({ kind: 'tcp', flags: 'R.' });
    expect(f.reply?.hops.at(-1)?.explain).toMatch(/Connection refused/);
    const node1 = c.model.netns.get('node-1')!;
    const live = [...node1.conntrack!.entries.values()].filter((e) => e.expires > 0);
    expect(live.some((e) => e.orig.dport === 81)).toBe(false);
  });
});

describe('br_netfilter: a DNAT to an address on the same bridge is bridged, not routed', () => {
  const build = (plugin: string) =>
    cluster()
      .nodes(1)
      .cni(plugin)
      .pod('a', { ports: [80], labels: { app: 'a' } })
      .pod('web', { ports: [80], labels: { app: 'web' } })
      .raw(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { clusterIP: '10.96.0.50', selector: { app: 'a' }, ports: [{ port: 80 }] } }))
      .raw(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: '10.96.0.60', selector: { app: 'web' }, ports: [{ port: 80 }] } }))
      .build();

  it('a ClusterIP whose endpoint is on the same node keeps TTL 64 (switched, not routed)', () => {
    const f = build('flannel').trace('pod/a', '10.96.0.60:80');
    expect(f.verdict).toBe('delivered');
    expect(stages(f)).not.toContain('forward');
    expect(innerIp(delivered(f)).ttl).toBe(64);
    expect(f.hops.some((h) => h.stage === 'bridge' && /keeps the frame on the bridge/.test(h.explain))).toBe(true);
  });

  it('hairpin through its own Service works with hairpin mode on the port (flannel: the bridge sends the frame back out of its ingress port)', () => {
    const f = build('flannel').trace('pod/a', '10.96.0.50:80');
    expect(f.verdict).toBe('delivered');
    expect(innerIp(delivered(f))).toMatchObject({ src: '10.244.0.1', ttl: 64 });
  });

  it('cni.hairpinMode false (bridge, flannel): the conflist says so, the ports have hairpin off, and the frame is dropped at the bridge', () => {
    for (const [plugin, file] of [['bridge', '10-bridge.conflist'], ['flannel', '10-flannel.conflist']] as const) {
      const c = cluster().nodes(1).cni(plugin, { hairpinMode: false }).pod('a', { ports: [80], labels: { app: 'a' } })
        .raw(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { clusterIP: '10.96.0.50', selector: { app: 'a' }, ports: [{ port: 80 }] } })).build();
      expect(c.result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      const [conf] = netConfFiles(c.model, 'node-1');
      expect(conf!.name).toBe(file);
      expect(JSON.stringify(conf!.conf)).toContain('"hairpinMode":false');
      expect(c.model.netns.get('node-1')!.devices.filter((d) => d.master === 'cni0' && d.hairpin)).toEqual([]);
      const f = c.trace('pod/a', '10.96.0.50:80');
      expect(f).toMatchObject({ verdict: 'dropped', reason: 'filtered' });
      expect(f.hops.at(-1)?.explain).toMatch(/back out of veth[0-9a-f]{8}, the port it came in on; without hairpin mode/);
    }
  });

  it('without hairpin mode or a promiscuous bridge the frame is dropped at the bridge', () => {
    const c = build('kubenet');
    c.model.netns.get('node-1')!.devices.find((d) => d.name === 'cbr0')!.promisc = false;
    const k = c.trace('pod/a', '10.96.0.50:80');
    expect(k).toMatchObject({ verdict: 'dropped', reason: 'filtered' });
    expect(k.hops.at(-1)?.explain).toMatch(/without hairpin mode/);
  });

  it('kubenet (promiscuous cbr0): the copy passed up loses its conntrack entry, so KUBE-FORWARD drops it as INVALID, unNATed, as Linux 6.9+ does', () => {
    const c = build('kubenet');
    const k = c.trace('pod/a', '10.96.0.50:80');
    expect(k).toMatchObject({ verdict: 'dropped', reason: 'filtered' });
    const up = k.hops.find((h) => h.stage === 'bridge' && /promiscuous/.test(h.explain))!;
    expect(up.explain).toMatch(/hairpin mode off.*promiscuous \(PROMISC\).*loses its conntrack entry.*ctstate INVALID/);
    const drop = k.hops.find((h) => h.stage === 'netfilter:filter/FORWARD')!;
    expect(drop.rule?.text).toMatch(/--ctstate INVALID .*-j DROP/);
    // Routed (TTL 63), never masqueraded, and no connection left behind on the node.
    expect(innerIp(drop.packet)).toMatchObject({ src: '10.244.0.2', dst: '10.244.0.2', ttl: 63 });
    expect(k.hops.some((h) => h.changed?.includes('ipv4.src'))).toBe(false);
    expect([...(c.model.netns.get('node-1')!.conntrack?.entries.values() ?? [])]).toEqual([]);
  });

  it('kubenet with kube-proxy nftables (no INVALID drop): the unNATed packet reaches the pod with its own address as source, a martian', () => {
    const nft = JSON.stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'nftables' });
    const c = cluster().nodes(1).cni('kubenet').pod('a', { ports: [80], labels: { app: 'a' } })
      .raw(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { clusterIP: '10.96.0.50', selector: { app: 'a' }, ports: [{ port: 80 }] } })).raw(nft).build();
    const k = c.trace('pod/a', '10.96.0.50:80');
    expect(k).toMatchObject({ verdict: 'dropped', reason: 'martian-source' });
    expect(k.hops.at(-1)).toMatchObject({ netns: 'pod:default/a', device: 'eth0' });
    expect(k.hops.at(-1)!.explain).toMatch(/source 10\.244\.0\.2 is one of its own addresses: routing rejects it as a martian source/);
  });
});

describe('protocols the datapath does not model', () => {
  it('are refused with a reason instead of silently becoming a ping', () => {
    const c = cluster().pod('a').pod('b', { ports: [80] }).build();
    expect(() => c.trace('pod/a', 'pod/default/b:80', { protocol: 'DCCP' as 'TCP' })).toThrow(/DCCP is not modelled/);
  });
});

describe('SCTP', () => {
  const c = cluster()
    .nodes(2)
    .cni('calico', { backend: 'vxlan' })
    .pod('a', { node: 'node-1' })
    .raw(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 's' }, spec: { nodeName: 'node-2', containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'SCTP' }] }] } }))
    .build();

  it('an INIT reaches a pod listening on SCTP and the INIT ACK comes back', () => {
    const f = c.trace('pod/a', 'pod/default/s:80', { protocol: 'SCTP' as 'TCP' });
    expect(f.verdict).toBe('delivered');
    expect(delivered(f).headers.at(-1)).toMatchObject({ kind: 'sctp', chunk: 'INIT', dport: 80 });
    expect(f.reply?.hops.at(-1)?.packet.headers.at(-1)).toMatchObject({ kind: 'sctp', chunk: 'INIT_ACK' });
  });

  it('an SCTP port nobody listens on is refused; a TCP listener does not answer SCTP', () => {
    expect(c.trace('pod/a', 'pod/default/s:81', { protocol: 'SCTP' as 'TCP' })).toMatchObject({ verdict: 'dropped', reason: 'connection-refused' });
    expect(c.trace('pod/a', 'pod/default/s:80')).toMatchObject({ verdict: 'dropped', reason: 'connection-refused' });
  });
});
