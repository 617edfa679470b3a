/**
 * Plugins that are the CNI `bridge` plugin plus node-level extras (kubenet, plain bridge):
 * host-local on the node's podCIDR, plain routes between nodes (or the cloud's VPC route
 * table), and a node-wide masquerade rule. They differ only in their settings.
 */
import type { CniContext, NetworkPlugin } from './types';
import { isCniError } from './types';
import { getDevice } from '../model/netns';
import type { BridgeConf } from './bridge';
import { bridgeAdd, bridgeCheck, bridgeDel } from './bridge';
import { addDirectPeerRoutes } from './peer-routes';
import { restore } from '../netfilter/restore';

export interface BridgeBasedSpec {
  name: string;
  /** The bridge plugin settings for a node's subnet; `hairpin` is the cluster's `cni.hairpinMode`. */
  conf(mtu: number, subnet: string, hairpin: boolean): BridgeConf;
  /** What /etc/cni/net.d holds for that node. */
  netConf(c: BridgeConf): Record<string, unknown>;
  /** Its file name there, if the plugin has one (NetworkPlugin.confFile). */
  confFile?: string;
  /** The node's masquerade rules (iptables-restore text) for a cluster pod CIDR. */
  masqRules(podCIDR: string): string;
  /** After each pod's ADD, put the bridge in promiscuous mode (kubenet's promiscuous-bridge hairpin mode). */
  promiscuousBridge?: boolean;
}

export function bridgeBasedPlugin(spec: BridgeBasedSpec): NetworkPlugin {
  const confFor = (ctx: CniContext, mtu: number, subnet: string | undefined) => spec.conf(mtu, subnet ?? '', ctx.cluster.cni.hairpinMode);
  return {
    name: spec.name,
    ...(spec.confFile ? { confFile: spec.confFile } : {}),
    mtu: (ctx) => ctx.cluster.cni.mtu ?? ctx.cluster.underlay.mtu,
    netConf(ctx, node) {
      return spec.netConf(confFor(ctx, this.mtu(ctx), node.podCIDR));
    },
    setupNode(ctx, _node, ns) {
      ns.sysctls.ipForward = true;
      restore(ns.netfilter, spec.masqRules(ctx.cluster.podCIDR.text), { noflush: true });
    },
    learnPeers(ctx, node, ns, peers) {
      if (ctx.cluster.underlay.type === 'cloud') return; // the VPC route table carries pod routes
      addDirectPeerRoutes(ctx, node, ns, peers, spec.name);
    },
    add(ctx, args) {
      const conf = confFor(ctx, this.mtu(ctx), args.node.podCIDR);
      const r = bridgeAdd(ctx, args, conf);
      if (spec.promiscuousBridge && !isCniError(r)) {
        const br = getDevice(args.hostNetns, conf.bridge);
        if (br) br.promisc = true;
      }
      return r;
    },
    del(ctx, args) {
      bridgeDel(ctx, args, confFor(ctx, this.mtu(ctx), args.node.podCIDR));
    },
    check: (_ctx, args, prev) => bridgeCheck(args, prev),
  };
}
