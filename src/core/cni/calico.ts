/**
 * Calico: pure L3, no bridge. The CNI plugin gives each pod a /32 on `eth0`, a default route
 * via the dummy gateway 169.254.1.1 and a host-side `cali…` veth with MAC ee:ee:ee:ee:ee:ee
 * and proxy ARP, so the host answers every ARP. Felix adds a /32 route per local pod and a
 * blackhole per local block; BIRD learns the other nodes' blocks over BGP (`proto bird`),
 * through `tunl0` (IPIP), `vxlan.calico` (VNI 4096, UDP 4789) or directly (no encapsulation).
 * Read first: calico cni-plugin dataplane_linux.go, felix route/vxlan managers, confd BIRD templates.
 */
import type { ModelNode, Netns } from '../model/types';
import type { CniContext, CniResult, NetworkPlugin } from './types';
import { NO_DNS } from './types';
import type { CalicoIpamState } from './calico-ipam';
import { calicoAssign, calicoRelease, claimBlock, createCalicoIpam, handleAddresses, nodeBlockCount, nodeBlocks, nodeBlockTexts } from './calico-ipam';
import { sameSubnet } from './peer-routes';
import { createVethPair } from '../model/devices/veth';
import { createIpip } from '../model/devices/ipip';
import { addVxlanFdbs, createVxlan } from '../model/devices/vxlan';
import { addAddress, getDevice, removeDevice } from '../model/netns';
import type { RouteSpec } from '../model/routes';
import { addRoute, addRoutes, removeRoute } from '../model/routes';
import { setNeighbours } from '../model/neighbours';
import { restore } from '../netfilter/restore';
import { setIpset } from '../netfilter/ipset';
import { macFor } from '../util/rng';
import { sha1HexPrefix } from '../util/sha1';

export const CALICO_GATEWAY = '169.254.1.1';
export const CALICO_HOST_MAC = 'ee:ee:ee:ee:ee:ee';
const GATEWAY_ROUTE = `${CALICO_GATEWAY}/32`;

type Encap = 'none' | 'ipip' | 'vxlan';

function encap(ctx: CniContext): Encap {
  const b = ctx.cluster.cni.backend;
  return b === 'vxlan' ? 'vxlan' : b === 'bgp' ? 'none' : 'ipip';
}

/** Host-side veth name: `cali` + the first 11 hex digits of SHA-1("<namespace>.<pod>"). */
export function calicoVethName(namespace: string, pod: string): string {
  return `cali${sha1HexPrefix(`${namespace}.${pod}`, 11)}`;
}

export function calicoIpam(ctx: CniContext): CalicoIpamState {
  let s = ctx.model.pluginState.get('calico-ipam') as CalicoIpamState | undefined;
  if (!s) {
    s = createCalicoIpam(ctx.cluster.podCIDR, ctx.cluster.seed);
    ctx.model.pluginState.set('calico-ipam', s);
  }
  return s;
}

function vtepMac(ctx: CniContext, node: string): string {
  return macFor(ctx.cluster.seed, node, 'vxlan.calico');
}

function refreshBlocks(ctx: CniContext, node: ModelNode, ns: Netns): void {
  node.blocks = nodeBlocks(calicoIpam(ctx), node.name);
  for (const b of node.blocks) addRoute(ns, { type: 'blackhole', dst: b, proto: 'bird' });
}

const NAT_OUTGOING = [
  '*nat',
  ':cali-POSTROUTING - [0:0]',
  ':cali-nat-outgoing - [0:0]',
  '-A POSTROUTING -m comment --comment "cali:O3lYWMrLQYEMJtB5" -j cali-POSTROUTING',
  '-A cali-POSTROUTING -m comment --comment "cali:Z-c7XtVd2Bq7s_hA" -j cali-nat-outgoing',
  '-A cali-nat-outgoing -m comment --comment "cali:flqWnvo8yq4ULQLa" -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst -j MASQUERADE --random-fully',
  'COMMIT',
  '',
].join('\n');

export const calicoPlugin: NetworkPlugin = {
  name: 'calico',
  // calico-node's install-cni writes it (CNI_CONF_NAME's default).
  confFile: '10-calico.conflist',
  mtu(ctx) {
    const e = encap(ctx);
    return ctx.cluster.cni.mtu ?? ctx.cluster.underlay.mtu - (e === 'ipip' ? 20 : e === 'vxlan' ? 50 : 0);
  },
  netConf(ctx) {
    return {
      name: 'k8s-pod-network',
      cniVersion: '0.3.1',
      plugins: [
        { type: 'calico', log_level: 'info', datastore_type: 'kubernetes', mtu: this.mtu(ctx), ipam: { type: 'calico-ipam' }, policy: { type: 'k8s' }, kubernetes: { kubeconfig: '/etc/cni/net.d/calico-kubeconfig' } },
        { type: 'portmap', snat: true, capabilities: { portMappings: true } },
        { type: 'bandwidth', capabilities: { bandwidth: true } },
      ],
    };
  },
  setupNode(ctx, node, ns) {
    ns.sysctls.ipForward = true;
    const ipam = calicoIpam(ctx);
    if (!nodeBlocks(ipam, node.name).length && !claimBlock(ipam, node.name)) {
      ctx.report('error', `calico-ipam: pool ${ctx.cluster.podCIDR.text} has no free /${ipam.blockSize} block for ${node.name}`, 'pool-exhausted');
    }
    refreshBlocks(ctx, node, ns);
    const e = encap(ctx);
    if (e !== 'none') {
      const tunnel = calicoAssign(ipam, node.name, `tunnel:${node.name}`);
      const dev = e === 'ipip' ? createIpip(ns, this.mtu(ctx)) : createVxlan(ns, { name: 'vxlan.calico', mac: vtepMac(ctx, node.name), mtu: this.mtu(ctx), vni: 4096, dstport: 4789, local: node.ip, underlay: 'eth0' });
      if ('ip' in tunnel) addAddress(ns, dev, tunnel.ip, 32);
    }
    setIpset(ns.netfilter, 'cali40masq-ipam-pools', 'hash:net', [ctx.cluster.podCIDR.text]);
    setIpset(ns.netfilter, 'cali40all-ipam-pools', 'hash:net', [ctx.cluster.podCIDR.text]);
    restore(ns.netfilter, NAT_OUTGOING, { noflush: true });
  },
  learnPeers(ctx, node, ns, peers) {
    refreshBlocks(ctx, node, ns);
    const e = encap(ctx);
    const ipam = calicoIpam(ctx);
    // Borrowed addresses by the node that holds them (BIRD exports each as a /32).
    const borrowedBy = new Map<string, string[]>();
    for (const [ip, n] of ipam.borrowed) {
      const list = borrowedBy.get(n);
      if (list) list.push(`${ip}/32`);
      else borrowedBy.set(n, [`${ip}/32`]);
    }
    // Programmed as one batch per table (BIRD and Felix write their routes through netlink in bulk).
    const out: PeerBatch = { routes: [], neighbours: [], fdb: [] };
    for (const peer of peers) {
      peer.blocks = sameBlocks(peer.blocks, ipam, peer.name);
      const direct = e === 'none' || (ctx.cluster.cni.crossSubnet && sameSubnet(node, peer));
      // Written as loops over the two lists and a function, not a spread list and a closure: per node and peer.
      for (const dst of peer.blocks) learnRoute(ctx, node, peer, out, e, direct, dst);
      const borrowed = borrowedBy.get(peer.name);
      if (borrowed) for (const dst of borrowed) learnRoute(ctx, node, peer, out, e, direct, dst);
    }
    addRoutes(ns, out.routes);
    setNeighbours(ns, out.neighbours);
    addVxlanFdbs(ns, 'vxlan.calico', out.fdb);
  },
  add(ctx, args) {
    const { hostNetns: host, podNetns: pod, node } = args;
    const ipam = calicoIpam(ctx);
    const claimed = nodeBlockCount(ipam, node.name);
    const lease = calicoAssign(ipam, node.name, args.containerId, args.k8sArgs.ip);
    if ('error' in lease) return { cniVersion: '0.3.1', code: 100, msg: lease.error };
    // Felix reacts to a new block affinity (a blackhole for it); an unchanged set needs nothing
    // (re-adding the same routes would replace them with themselves).
    if (nodeBlockCount(ipam, node.name) !== claimed) refreshBlocks(ctx, node, host);
    const hostName = calicoVethName(args.k8sArgs.namespace, args.k8sArgs.name);
    const mtu = this.mtu(ctx);
    const [eth0, cali] = createVethPair(
      { ns: pod, name: args.ifname, mac: macFor(ctx.cluster.seed, 'pod', `${args.k8sArgs.namespace}/${args.k8sArgs.name}`, args.ifname), mtu },
      { ns: host, name: hostName, mac: CALICO_HOST_MAC, mtu },
    );
    cali.proxyArp = true;
    addAddress(pod, eth0, lease.ip, 32);
    addRoutes(pod, [
      { dst: GATEWAY_ROUTE, dev: 'eth0', scope: 'link' },
      { dst: 'default', via: CALICO_GATEWAY, dev: 'eth0' },
    ]);
    addRoute(host, { dst: `${lease.ip}/32`, dev: hostName, scope: 'link' });
    // k8s.go CmdAddK8s: calico-ipam's /32 (no gateway, no interface index) and one interface,
    // named after the host veth but carrying the workload's MAC and sandbox.
    const result: CniResult = { cniVersion: '0.3.1', interfaces: [{ name: hostName, mac: eth0.mac, sandbox: args.netnsPath }], ips: [{ version: '4', address: `${lease.ip}/32` }], dns: NO_DNS };
    return result;
  },
  del(ctx, args) {
    calicoRelease(calicoIpam(ctx), args.containerId);
    const eth0 = getDevice(args.podNetns, args.ifname);
    if (eth0?.kind === 'veth') {
      for (const a of eth0.addresses) removeRoute(args.hostNetns, `${a.ip}/32`);
      removeDevice(args.hostNetns, eth0.peer.name);
    }
    removeDevice(args.podNetns, args.ifname);
  },
  check(_ctx, args, prev) {
    const eth0 = getDevice(args.podNetns, args.ifname);
    if (!eth0) return { cniVersion: prev.cniVersion, code: 3, msg: `Error: Link not found: ${args.ifname}` };
    const want = prev.ips[0]?.address.split('/')[0];
    if (want && !eth0.addresses.some((a) => a.ip === want)) return { cniVersion: prev.cniVersion, code: 100, msg: `address ${want} missing on ${args.ifname}` };
    return null;
  },
};

/** What a node learns about its peers, applied per table at the end (model/routes.ts addRoutes). */
interface PeerBatch {
  routes: RouteSpec[];
  neighbours: { dev: string; ip: string; mac: string; state: 'PERMANENT' }[];
  fdb: { mac: string; remote: string }[];
}

/** Felix's VXLAN programming: the same route + PERMANENT neighbour + FDB pattern as flannel. */
/** What `node` programs to reach `dst`, one of `peer`'s blocks or borrowed addresses. */
function learnRoute(ctx: CniContext, node: ModelNode, peer: ModelNode, out: PeerBatch, e: Encap, direct: boolean, dst: string): void {
  if (direct) {
    if (!sameSubnet(node, peer)) {
      ctx.report('warning', `calico bgp: ${node.name} learns ${dst} via ${peer.ip}, which is not on a connected subnet; without encapsulation the route is unusable`, 'no-l2-adjacency');
      return;
    }
    out.routes.push(birdRoute(peer, dst, 'eth0'));
  } else if (e === 'ipip') out.routes.push(birdRoute(peer, dst, 'tunl0'));
  else addVxlanRoute(ctx, out, peer, dst);
}

/**
 * `node`'s blocks as `nodeBlocks` lists them, as the list `prev` when it already holds exactly
 * those (every node re-reads each peer's blocks when it learns its peers: a new list per node
 * and peer was 10k lists per 100-node compile, all but the last thrown away).
 */
function sameBlocks(prev: string[], ipam: CalicoIpamState, node: string): string[] {
  const now = nodeBlockTexts(ipam, node);
  if (prev.length !== now.length) return nodeBlocks(ipam, node);
  for (let i = 0; i < now.length; i++) if (prev[i] !== now[i]!.text) return nodeBlocks(ipam, node);
  return prev;
}

/**
 * The route BIRD installs on every node for a peer's block (through tunl0 with IPIP, eth0
 * without encapsulation): the same on every node that learns the peer, so made once per peer,
 * block and device while the peer's address stays, and shared, frozen, by every node's batch,
 * which copies it into its own table entry (addRoutes reads a spec, never keeps or edits it).
 */
function birdRoute(peer: ModelNode, dst: string, dev: 'tunl0' | 'eth0'): RouteSpec {
  let cached = BIRD_ROUTES.get(peer);
  if (!cached || cached.ip !== peer.ip) BIRD_ROUTES.set(peer, (cached = { ip: peer.ip, tunl0: new Map(), eth0: new Map() }));
  const byDst = cached[dev];
  let spec = byDst.get(dst);
  if (!spec) {
    spec = Object.freeze(dev === 'tunl0' ? { dst, via: peer.ip, dev, proto: 'bird', onlink: true } : { dst, via: peer.ip, dev, proto: 'bird' });
    byDst.set(dst, spec);
  }
  return spec;
}

const BIRD_ROUTES = new WeakMap<ModelNode, { ip: string; tunl0: Map<string, RouteSpec>; eth0: Map<string, RouteSpec> }>();

function addVxlanRoute(ctx: CniContext, out: PeerBatch, peer: ModelNode, dst: string): void {
  const ipam = calicoIpam(ctx);
  const tunnelIp = handleAddresses(ipam, `tunnel:${peer.name}`)[0];
  if (!tunnelIp) return;
  // The VTEP MAC the peer's Felix published (its VXLANTunnelMACAddr), read from its device.
  const peerNs = ctx.model.netns.get(peer.netns);
  const vtep = peerNs && getDevice(peerNs, 'vxlan.calico');
  const mac = vtep ? vtep.mac : vtepMac(ctx, peer.name);
  out.routes.push({ dst, via: tunnelIp, dev: 'vxlan.calico', onlink: true, proto: '80' });
  out.neighbours.push({ dev: 'vxlan.calico', ip: tunnelIp, mac, state: 'PERMANENT' });
  out.fdb.push({ mac, remote: peer.ip });
}
