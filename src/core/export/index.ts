/**
 * # core/export: the model as a real Linux host
 *
 * What it is for: turning a compiled model into a shell script that builds the same network
 * with kernel objects (`ip netns`, veth, bridge, vxlan, iptables-restore), so the real kernel
 * can judge the simulator (DESIGN §6), and the names that script gives things.
 *
 * May import: `model`, `render`, `netfilter` types. Pure text generation: no Node, no I/O.
 *
 * Guarantees: deterministic; never throws; refuses (as a value) what the target kernel cannot
 * run — kube-proxy IPVS mode and IPIP tunnels.
 */
export type { ExportOptions, ExportResult } from './netns-script';
export { exportNetnsScript, shq, unsupportedReason } from './netns-script';
export { DEFAULT_PREFIX, IFNAME_MAX, listenerLabel, netnsNameFor, segmentBridgeName, underlayNetnsName, underlayPortName } from './names';
export { LISTENER_JS, listenerSpec } from './listeners';
