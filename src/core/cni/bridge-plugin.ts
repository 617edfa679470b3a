/**
 * `bridge`: the reference CNI bridge plugin on its own — `cni0`, host-local on the node's
 * podCIDR. Cross-node traffic follows plain routes: static routes on every node, or the
 * cloud's VPC route table when the underlay is `cloud`.
 *
 * WARNING: the plugin's own `ipMasq: true` only exempts the node's subnet, so it would NAT
 * pod-to-pod traffic between nodes and break the Kubernetes network model. Like GKE, the
 * model leaves ipMasq off and masquerades with ip-masq-agent's IP-MASQ chain instead.
 */
import { bridgeBasedPlugin } from './bridge-based';

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

export const bridgePlugin = bridgeBasedPlugin({
  name: 'bridge',
  confFile: '10-bridge.conflist',
  conf: (mtu, subnet, hairpin) => ({ cniVersion: '1.0.0', name: 'bridge', bridge: 'cni0', isGateway: true, isDefaultGateway: true, ipMasq: false, hairpinMode: hairpin, mtu, subnet, routes: [] }),
  netConf: (c) => ({
    cniVersion: c.cniVersion,
    name: c.name,
    plugins: [
      { type: 'bridge', bridge: c.bridge, isGateway: true, isDefaultGateway: true, ipMasq: false, hairpinMode: c.hairpinMode, mtu: c.mtu, ipam: { type: 'host-local', ranges: [[{ subnet: c.subnet }]] } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  }),
  masqRules: ipMasqAgentRules,
});
