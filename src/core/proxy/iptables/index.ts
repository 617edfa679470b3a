/**
 * kube-proxy, iptables mode: what it programs on a node, byte for byte.
 *
 * Contract:
 * - `syncIptablesRules(input)` returns the iptables-restore text of a *full* sync for one family
 *   (`*filter` then `*nat`), as kube-proxy's `syncProxyRules` writes it for
 *   `iptables-restore --noflush --counters`. `normaliseIptables` of it equals upstream's expected
 *   dumps (fixtures/oracles/kube-proxy-iptables). Service ports are visited in a fixed order
 *   (service-port name, then protocol) where kube-proxy uses Go map order.
 * - `kubeProxyJumpRules()` returns the jumps from the built-in chains (and the canary chains) as
 *   `--noflush` restore text; apply it before the sync text.
 * - `kubeProxyOptionsFrom(cfg, node)` turns a KubeProxyConfiguration and the Node's host-fact
 *   annotations into `KubeProxyOptions`; `hostAddressesFrom(node)` gives the node IPs and local
 *   addresses a `ProxierInput` needs.
 * - `normaliseIptables(text)` is upstream's test normalisation; `traceFlow` is upstream's static
 *   packet-flow tracer over the same text.
 *
 * Everything here is pure and total: no I/O, no clock, no randomness, no throws on bad objects
 * (invalid addresses are skipped as kube-proxy skips them). Imports: k8s types and @noble/hashes.
 *
 * Read first: docs in each file; upstream pkg/proxy/iptables/proxier.go @ 531be812.
 */
export type { IpFamily } from './addr';
export type { KubeProxyOptions, LocalDetector } from './config';
export { kubeProxyNodeName, kubeProxyOptionsFrom, masqueradeMarkText } from './config';
export type { HostAddresses } from './host';
export { hostAddressesFrom } from './host';
export type { ProxierInput } from './rules';
export { localhostNodePortsActive, syncIptablesRules } from './rules';
export { kubeProxyJumpRules } from './jump-rules';
export { normaliseIptables } from './normalise';
export type { FlowQuery, FlowTrace } from './flow-tracer';
export { traceFlow } from './flow-tracer';
export { endpointChainName, servicePortChainName } from './chain-names';
