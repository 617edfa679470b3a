/**
 * `bridge`: the reference CNI bridge plugin on its own — `cni0`, host-local on the node's
 * podCIDR. Cross-node traffic follows plain routes: static routes on every node, or the
 * cloud's VPC route table when the underlay is `cloud`.
 *
 * WARNING: the plugin's own `ipMasq: true` only exempts the node's subnet, so it would NAT
 * pod-to-pod traffic between nodes and break the Kubernetes network model. Like GKE, the
 * model leaves ipMasq off and masquerades with ip-masq-agent's IP-MASQ chain instead.
 */
import type { NetworkPlugin } from './types';
import type { BridgeConf } from './bridge';
import { bridgeAdd, bridgeCheck, bridgeDel } from './bridge';
import { addDirectPeerRoutes } from './peer-routes';
import { restore } from '../netfilter/restore';

/** ip-masq-agent's chain: masquerade everything that leaves the cluster's pod network. */
export function ipMasqAgentRules(nonMasqueradeCidr: string): string {
  return [
    '*nat',
    ':IP-MASQ - [0:0]',
    '-A POSTROUTING -m comment --comment "ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom IP-MASQ chain" -m addrtype ! --dst-type LOCAL -j IP-MASQ',
    `-A IP-MASQ -d ${nonMasqueradeCidr} -m comment --comment "ip-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN`,
    '-A IP-MASQ -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE',
    'COMMIT',
    '',
  ].join('\n');
}

function conf(mtu: number, subnet: string): BridgeConf {
  return { cniVersion: '1.0.0', name: 'bridge', bridge: 'cni0', isGateway: true, isDefaultGateway: true, ipMasq: false, hairpinMode: true, mtu, subnet, routes: [] };
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
        { type: 'bridge', bridge: c.bridge, isGateway: true, isDefaultGateway: true, ipMasq: false, hairpinMode: true, mtu: c.mtu, ipam: { type: 'host-local', ranges: [[{ subnet: c.subnet }]] } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    };
  },
  setupNode(ctx, _node, ns) {
    ns.sysctls.ipForward = true;
    restore(ns.netfilter, ipMasqAgentRules(ctx.cluster.podCIDR.text), { noflush: true });
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
