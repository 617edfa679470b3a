/**
 * kubenet: the kubelet's built-in plugin (removed with dockershim in v1.24) — `cbr0`,
 * host-local on the node's podCIDR, and one masquerade rule for everything leaving the
 * cluster network (`--non-masquerade-cidr`). It does no cross-node work itself: "typically
 * used together with a cloud provider that sets up routing rules".
 *
 * Hairpin: the kubelet's `--hairpin-mode` defaults to `promiscuous-bridge`, so kubenet writes
 * `"hairpinMode": false` into the bridge config (only `hairpin-veth` sets it) and, after each
 * pod's setup, turns cbr0's promiscuous mode on (kubenet_linux.go: "Put the container bridge
 * into promiscuous mode to force it to accept hairpin packets"). What a promiscuous bridge does
 * with a pod's packet DNATed back to itself is in datapath/link.ts (promiscuousPassUp). Not
 * modelled: the ebtables KUBE-DEDUP chain kubenet adds against the duplicates promiscuity makes
 * (the model has no ebtables, and the walk follows one copy of a frame).
 */
import { bridgeBasedPlugin } from './bridge-based';

export const kubenetPlugin = bridgeBasedPlugin({
  name: 'kubenet',
  // As kubenet's template: isGateway only, the default route comes from host-local's `routes`
  // (no `gw`, so the result's route has none and the pod's uses the IP's gateway).
  conf: (mtu, subnet) => ({ cniVersion: '0.1.0', name: 'kubenet', bridge: 'cbr0', isGateway: true, isDefaultGateway: false, ipMasq: false, hairpinMode: false, mtu, subnet, routes: [{ dst: '0.0.0.0/0' }] }),
  netConf: (c) => ({
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
  }),
  promiscuousBridge: true,
  masqRules: (podCIDR) =>
    ['*nat', `-A POSTROUTING ! -d ${podCIDR} -m comment --comment "kubenet: SNAT for outbound traffic from cluster" -m addrtype ! --dst-type LOCAL -j MASQUERADE`, 'COMMIT', ''].join('\n'),
});
