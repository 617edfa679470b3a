/**
 * kubenet: the kubelet's built-in plugin (removed with dockershim in v1.24) — `cbr0`,
 * host-local on the node's podCIDR, and one masquerade rule for everything leaving the
 * cluster network (`--non-masquerade-cidr`). It does no cross-node work itself: "typically
 * used together with a cloud provider that sets up routing rules".
 */
import type { NetworkPlugin } from './types';
import type { BridgeConf } from './bridge';
import { bridgeAdd, bridgeCheck, bridgeDel } from './bridge';
import { addDirectPeerRoutes } from './peer-routes';
import { restore } from '../netfilter/restore';

function conf(mtu: number, subnet: string): BridgeConf {
  return { cniVersion: '0.1.0', name: 'kubenet', bridge: 'cbr0', isGateway: true, isDefaultGateway: true, ipMasq: false, hairpinMode: false, mtu, subnet, routes: [] };
}

export const kubenetPlugin: NetworkPlugin = {
  name: 'kubenet',
  mtu: (ctx) => ctx.cluster.cni.mtu ?? ctx.cluster.underlay.mtu,
  netConf(ctx, node) {
    const c = conf(this.mtu(ctx), node.podCIDR ?? '');
    return {
      cniVersion: c.cniVersion,
      name: 'kubenet',
      type: 'bridge',
      bridge: 'cbr0',
      mtu: c.mtu,
      addIf: 'eth0',
      isGateway: true,
      ipMasq: false,
      hairpinMode: false,
      ipam: { type: 'host-local', ranges: [[{ subnet: c.subnet }]], routes: [{ dst: '0.0.0.0/0' }] },
    };
  },
  setupNode(ctx, _node, ns) {
    ns.sysctls.ipForward = true;
    restore(
      ns.netfilter,
      ['*nat', `-A POSTROUTING ! -d ${ctx.cluster.podCIDR.text} -m comment --comment "kubenet: SNAT for outbound traffic from cluster" -m addrtype ! --dst-type LOCAL -j MASQUERADE`, 'COMMIT', ''].join('\n'),
      { noflush: true },
    );
  },
  learnPeers(ctx, node, ns, peers) {
    if (ctx.cluster.underlay.type === 'cloud') return;
    addDirectPeerRoutes(ctx, node, ns, peers, 'kubenet');
  },
  add(ctx, args) {
    return bridgeAdd(ctx, args, conf(this.mtu(ctx), args.node.podCIDR ?? ''));
  },
  del(ctx, args) {
    bridgeDel(ctx, args, conf(this.mtu(ctx), args.node.podCIDR ?? ''));
  },
  check: (_ctx, args, prev) => bridgeCheck(args, prev),
};
