/**
 * `bridge`: the reference CNI bridge plugin on its own — `cni0`, host-local on the node's
 * podCIDR, ipMasq per container. Cross-node traffic follows plain routes: static routes on
 * every node, or the cloud's VPC route table when the underlay is `cloud`.
 */
import type { NetworkPlugin } from './types';
import type { BridgeConf } from './bridge';
import { bridgeAdd, bridgeCheck, bridgeDel } from './bridge';
import { addDirectPeerRoutes } from './peer-routes';

function conf(mtu: number, subnet: string): BridgeConf {
  return { cniVersion: '1.0.0', name: 'bridge', bridge: 'cni0', isGateway: true, isDefaultGateway: true, ipMasq: true, hairpinMode: true, mtu, subnet, routes: [] };
}

export const bridgePlugin: NetworkPlugin = {
  name: 'bridge',
  mtu: (ctx) => ctx.cluster.cni.mtu ?? ctx.cluster.underlay.mtu,
  netConf(ctx, node) {
    const c = conf(this.mtu(ctx), node.podCIDR ?? '');
    return {
      cniVersion: c.cniVersion,
      name: c.name,
      plugins: [
        { type: 'bridge', bridge: c.bridge, isGateway: true, isDefaultGateway: true, ipMasq: true, hairpinMode: true, mtu: c.mtu, ipam: { type: 'host-local', ranges: [[{ subnet: c.subnet }]] } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    };
  },
  setupNode(_ctx, _node, ns) {
    ns.sysctls.ipForward = true;
  },
  learnPeers(ctx, node, ns, peers) {
    if (ctx.cluster.underlay.type === 'cloud') return; // the VPC route table carries pod routes
    addDirectPeerRoutes(ctx, node, ns, peers, 'bridge');
  },
  add(ctx, args) {
    return bridgeAdd(ctx, args, conf(this.mtu(ctx), args.node.podCIDR ?? ''));
  },
  del(ctx, args) {
    bridgeDel(ctx, args, conf(this.mtu(ctx), args.node.podCIDR ?? ''));
  },
  check: (_ctx, args, prev) => bridgeCheck(args, prev),
};
