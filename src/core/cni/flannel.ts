/**
 * flannel: flanneld (the node agent) takes the node's podCIDR as its lease, writes
 * /run/flannel/subnet.env, masquerades traffic leaving the cluster network, and connects
 * nodes with a backend: `vxlan` (flannel.1, VNI 1, UDP 8472, one route + one PERMANENT
 * neighbour + one FDB entry per remote node) or `host-gw` (one plain route per node).
 * The CNI binary delegates each pod to the `bridge` plugin.
 * Read first: flannel pkg/backend/vxlan, pkg/backend/hostgw, pkg/trafficmngr/iptables.
 */
import type { ModelNode, Netns } from '../model/types';
import type { CniContext, NetworkPlugin } from './types';
import type { BridgeConf } from './bridge';
import { bridgeAdd, bridgeCheck, bridgeDel } from './bridge';
import { addDirectPeerRoutes } from './peer-routes';
import { addVxlanFdbs, createVxlan } from '../model/devices/vxlan';
import { addAddress, getDevice } from '../model/netns';
import type { RouteSpec } from '../model/routes';
import { addRoutes } from '../model/routes';
import { setNeighbours } from '../model/neighbours';
import { restore } from '../netfilter/restore';
import { parseCidr, nthAddress } from '../util/ip';
import { macFor } from '../util/rng';

const VXLAN_OVERHEAD = 50;

/** The VTEP MAC a node publishes in its `flannel.alpha.coreos.com/backend-data` annotation. */
export function flannelVtepMac(ctx: CniContext, node: string): string {
  return macFor(ctx.cluster.seed, node, 'flannel.1');
}

/**
 * The VtepMAC a peer published: its flanneld set the annotation from its own flannel.1, so it
 * is read from there (what flannelVtepMac derived when that device was made).
 */
function peerVtepMac(ctx: CniContext, peer: ModelNode): string {
  const peerNs = ctx.model.netns.get(peer.netns);
  const vtep = peerNs && getDevice(peerNs, 'flannel.1');
  return vtep ? vtep.mac : flannelVtepMac(ctx, peer.name);
}

function backend(ctx: CniContext): 'vxlan' | 'host-gw' {
  return ctx.cluster.cni.backend === 'host-gw' ? 'host-gw' : 'vxlan';
}

/**
 * What the flannel CNI plugin hands its `bridge` delegate (spec/cni.md §9). The same for every
 * pod of a node while what it is made of (MTU, the node's lease, the cluster network) stays the
 * same, so it is made once per node and shared, frozen: the bridge plugin only reads it, and the
 * results it logs per pod share its route.
 */
function delegateConf(ctx: CniContext, node: ModelNode, mtu: number): BridgeConf {
  const cluster = ctx.cluster.podCIDR.text;
  const hit = DELEGATE_CONF.get(node);
  if (hit && hit.mtu === mtu && hit.subnet === node.podCIDR && hit.cluster === cluster && hit.conf.hairpinMode === ctx.cluster.cni.hairpinMode) return hit.conf;
  const conf = Object.freeze(makeDelegateConf(ctx, node, mtu));
  Object.freeze(conf.routes);
  for (const r of conf.routes) Object.freeze(r);
  DELEGATE_CONF.set(node, { mtu, subnet: node.podCIDR, cluster, conf });
  return conf;
}

const DELEGATE_CONF = new WeakMap<ModelNode, { mtu: number; subnet: string | undefined; cluster: string; conf: BridgeConf }>();

function makeDelegateConf(ctx: CniContext, node: ModelNode, mtu: number): BridgeConf {
  return {
    cniVersion: '0.3.1',
    name: 'cbr0',
    bridge: 'cni0',
    isGateway: true,
    isDefaultGateway: true,
    hairpinMode: ctx.cluster.cni.hairpinMode,
    ipMasq: false, // flanneld masquerades itself (FLANNEL_IPMASQ=true)
    mtu,
    subnet: node.podCIDR ?? '',
    routes: [{ dst: ctx.cluster.podCIDR.text }],
  };
}

function masqRules(ctx: CniContext, node: ModelNode): string {
  const cluster = ctx.cluster.podCIDR.text;
  const lease = node.podCIDR ?? '';
  const c = '-m comment --comment "flanneld masq"';
  const f = '-m comment --comment "flanneld forward"';
  return [
    '*nat',
    ':FLANNEL-POSTRTG - [0:0]',
    `-A POSTROUTING ${c} -j FLANNEL-POSTRTG`,
    `-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 ${c} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${cluster} -d ${cluster} ${c} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${cluster} ! -d 224.0.0.0/4 ${c} -j MASQUERADE --random-fully`,
    `-A FLANNEL-POSTRTG ! -s ${cluster} -d ${lease} ${c} -j RETURN`,
    `-A FLANNEL-POSTRTG ! -s ${cluster} -d ${cluster} ${c} -j MASQUERADE --random-fully`,
    'COMMIT',
    '*filter',
    ':FLANNEL-FWD - [0:0]',
    `-A FORWARD ${f} -j FLANNEL-FWD`,
    `-A FLANNEL-FWD -s ${cluster} ${f} -j ACCEPT`,
    `-A FLANNEL-FWD -d ${cluster} ${f} -j ACCEPT`,
    'COMMIT',
    '',
  ].join('\n');
}

export const flannelPlugin: NetworkPlugin = {
  name: 'flannel',
  // kube-flannel.yml's install-cni init container copies cni-conf.json here.
  confFile: '10-flannel.conflist',
  mtu(ctx) {
    return ctx.cluster.cni.mtu ?? ctx.cluster.underlay.mtu - (backend(ctx) === 'vxlan' ? VXLAN_OVERHEAD : 0);
  },
  netConf(ctx) {
    return {
      name: 'cbr0',
      cniVersion: '0.3.1',
      plugins: [
        { type: 'flannel', delegate: { hairpinMode: ctx.cluster.cni.hairpinMode, isDefaultGateway: true } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    };
  },
  setupNode(ctx, node, ns) {
    ns.sysctls.ipForward = true;
    ctx.model.pluginState.set(`flannel:subnet.env:${node.name}`, {
      FLANNEL_NETWORK: ctx.cluster.podCIDR.text,
      FLANNEL_SUBNET: `${nthAddress(parseCidr(node.podCIDR ?? '0.0.0.0/32')!, 1)}/${parseCidr(node.podCIDR ?? '0.0.0.0/32')!.prefix}`,
      FLANNEL_MTU: this.mtu(ctx),
      FLANNEL_IPMASQ: true,
    });
    if (backend(ctx) === 'vxlan' && node.podCIDR) {
      const vtep = createVxlan(ns, {
        name: 'flannel.1',
        mac: flannelVtepMac(ctx, node.name),
        mtu: this.mtu(ctx),
        vni: 1,
        dstport: 8472,
        local: node.ip,
        underlay: 'eth0',
      });
      // The lease's network address as /32: the source a host uses towards remote pods.
      addAddress(ns, vtep, parseCidr(node.podCIDR)!.text.split('/')[0]!, 32);
    }
    restore(ns.netfilter, masqRules(ctx, node), { noflush: true });
  },
  learnPeers(ctx, node, ns, peers) {
    if (backend(ctx) === 'host-gw') {
      addDirectPeerRoutes(ctx, node, ns, peers, 'flannel host-gw');
      return;
    }
    addVxlanPeers(ctx, ns, peers);
  },
  add(ctx, args) {
    if (!args.node.podCIDR) {
      return { cniVersion: '0.3.1', code: 100, msg: "failed to load flannel 'subnet.env' file: open /run/flannel/subnet.env: no such file or directory. Check the flannel pod log for this node." };
    }
    return bridgeAdd(ctx, args, delegateConf(ctx, args.node, this.mtu(ctx)));
  },
  del(ctx, args) {
    bridgeDel(ctx, args, delegateConf(ctx, args.node, this.mtu(ctx)));
  },
  check: (_ctx, args, prev) => bridgeCheck(args, prev),
};

/**
 * A lease's network address (`10.244.3.0/24` → `10.244.3.0`), the gateway of its route and
 * neighbour entries: one string per lease, shared by every node's entries for that peer (a slice
 * per node and peer was 10k strings per 100-node compile, each kept and hashed).
 */
export function leaseAddress(lease: string): string {
  let gw = LEASE_ADDRESS.get(lease);
  if (gw === undefined) {
    const slash = lease.indexOf('/');
    gw = slash < 0 ? lease : lease.slice(0, slash);
    if (LEASE_ADDRESS.size >= 4096) LEASE_ADDRESS.clear();
    LEASE_ADDRESS.set(lease, gw);
  }
  return gw;
}

const LEASE_ADDRESS = new Map<string, string>();

/** The three entries flanneld installs per remote lease (no L2/L3-miss handling), programmed as one batch per table. */
function addVxlanPeers(ctx: CniContext, ns: Netns, peers: readonly ModelNode[]): void {
  if (!getDevice(ns, 'flannel.1')) return;
  // The three batches made at their length and filled by index: pushed, each grew through
  // several copies (three lists of a hundred per node).
  let n = 0;
  for (const peer of peers) if (peer.podCIDR) n++;
  const routes = new Array<RouteSpec>(n);
  const neighbours = new Array<PeerEntries['neighbour']>(n);
  const fdb = new Array<PeerEntries['fdb']>(n);
  let i = 0;
  for (const peer of peers) {
    if (!peer.podCIDR) continue;
    const e = peerEntries(peer, peer.podCIDR, peerVtepMac(ctx, peer));
    routes[i] = e.route;
    neighbours[i] = e.neighbour;
    fdb[i++] = e.fdb;
  }
  addRoutes(ns, routes);
  setNeighbours(ns, neighbours);
  addVxlanFdbs(ns, 'flannel.1', fdb);
}

/**
 * What a node programs for one peer: the same on every node that learns that peer, so made once
 * per peer (while its lease, address and VTEP MAC stay the same) and shared, frozen, by the
 * batches of every node, which copy it into their own table entries (a hundred nodes learning
 * 99 peers each made 30,000 such objects per compile).
 */
interface PeerEntries {
  lease: string;
  ip: string;
  mac: string;
  route: RouteSpec;
  neighbour: { dev: string; ip: string; mac: string; state: 'PERMANENT' };
  fdb: { mac: string; remote: string };
}

function peerEntries(peer: ModelNode, lease: string, mac: string): PeerEntries {
  const hit = PEER_ENTRIES.get(peer);
  if (hit && hit.lease === lease && hit.ip === peer.ip && hit.mac === mac) return hit;
  const gw = leaseAddress(lease);
  const made: PeerEntries = {
    lease,
    ip: peer.ip,
    mac,
    route: Object.freeze({ dst: lease, via: gw, dev: 'flannel.1', onlink: true }),
    neighbour: Object.freeze({ dev: 'flannel.1', ip: gw, mac, state: 'PERMANENT' as const }),
    fdb: Object.freeze({ mac, remote: peer.ip }),
  };
  PEER_ENTRIES.set(peer, made);
  return made;
}

const PEER_ENTRIES = new WeakMap<ModelNode, PeerEntries>();
