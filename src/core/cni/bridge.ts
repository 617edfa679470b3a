/**
 * The CNI `bridge` plugin's ADD and DEL, step for step as bridge.go does them (spec/cni.md §6):
 * ensure the bridge, create the veth with `eth0` in the pod, attach the host end, run
 * host-local, add the gateway to the bridge, configure the pod, set up masquerading.
 * kubenet (cbr0) and flannel (delegating to bridge) reuse it with their own settings.
 */
import type { ClusterModel, Device, Netns } from '../model/types';
import type { CniArgs, CniContext, CniError, CniInterface, CniIpConfig, CniResult, CniRoute } from './types';
import { NO_DNS } from './types';
import type { HostLocalState } from './host-local';
import { createHostLocal, hostLocalAllocate, hostLocalRelease } from './host-local';
import { attachToBridge, createBridge } from '../model/devices/bridge';
import { createVethPair } from '../model/devices/veth';
import { addAddress, getDevice, removeDevice } from '../model/netns';
import type { RouteSpec } from '../model/routes';
import { addConnectedRoute, addRoutes, connectedRoute } from '../model/routes';
import { parseCidr } from '../util/ip';
import { hexId, macFor } from '../util/rng';
import { sha512Hex } from '../util/hash';
import { restore } from '../netfilter/restore';

/** The bridge plugin's config keys that the model honours. */
export interface BridgeConf {
  cniVersion: string;
  /** Network name (host-local's state directory). */
  name: string;
  bridge: string;
  isGateway: boolean;
  isDefaultGateway: boolean;
  ipMasq: boolean;
  hairpinMode: boolean;
  mtu: number;
  subnet: string;
  /** Extra routes from IPAM (flannel adds the cluster network). */
  routes: CniRoute[];
}

function ipamState(model: ClusterModel, node: string, conf: BridgeConf): HostLocalState | null {
  const key = ipamKey(node, conf.name);
  let s = model.pluginState.get(key) as HostLocalState | undefined;
  if (!s) {
    const subnet = parseCidr(conf.subnet);
    if (!subnet) return null;
    s = createHostLocal(conf.name, subnet);
    model.pluginState.set(key, s);
  }
  return s;
}

/**
 * `host-local:NODE:NETWORK`, the plugin-state key of a node's leases: one string per node and
 * network, rather than one made (and hashed for the lookup) per pod.
 */
export function ipamKey(node: string, network: string): string {
  let byNode = IPAM_KEYS.get(network);
  if (!byNode) {
    if (IPAM_KEYS.size >= 64) IPAM_KEYS.clear();
    IPAM_KEYS.set(network, (byNode = new Map()));
  }
  let key = byNode.get(node);
  if (key === undefined) {
    if (byNode.size >= 4096) byNode.clear();
    byNode.set(node, (key = `host-local:${node}:${network}`));
  }
  return key;
}

const IPAM_KEYS = new Map<string, Map<string, string>>();

/** The host-side veth name: `veth` + 8 hex (random in the real plugin; seeded here). */
export function hostVethName(seed: number, containerId: string): string {
  return `veth${hexId(seed, 8, 'veth', containerId)}`;
}

/** bridge.go cmdAdd. */
export function bridgeAdd(ctx: CniContext, args: CniArgs, conf: BridgeConf): CniResult | CniError {
  const { hostNetns: host, podNetns: pod, node } = args;
  const seed = ctx.cluster.seed;
  if (getDevice(pod, args.ifname)) {
    return { cniVersion: conf.cniVersion, code: 100, msg: `container veth name provided (${args.ifname}) already exists` };
  }
  // 1. Ensure the bridge (created lazily with the first pod), MAC pinned.
  // (Its MAC is derived only when the bridge is new: every later pod finds it.)
  const existing = getDevice(host, conf.bridge);
  // (A new bridge's address list is empty and of another array class than a filled one; reading it
  // in the first pod of each compile threw away bridgeAdd as optimised on the filled ones.)
  const br = existing?.kind === 'bridge' ? existing : createBridge(host, conf.bridge, macFor(seed, node.name, conf.bridge), conf.mtu);
  // 4 (IPAM runs before addresses are configured; on failure the veth is undone).
  const ipam = ipamState(ctx.model, node.name, conf);
  if (!ipam) return { cniVersion: conf.cniVersion, code: 7, msg: 'Invalid Configuration', details: `invalid subnet ${conf.subnet}` };
  const lease = hostLocalAllocate(ipam, args.containerId, args.ifname, args.k8sArgs.ip);
  if ('code' in lease) return { ...lease, cniVersion: conf.cniVersion };
  // 2–3. veth with eth0 in the pod and the host end on the bridge.
  const hostName = hostVethName(seed, args.containerId);
  const podKey = `${args.k8sArgs.namespace}/${args.k8sArgs.name}`;
  const [eth0, hostEnd] = createVethPair(
    { ns: pod, name: args.ifname, mac: macFor(seed, 'pod', podKey, args.ifname), mtu: conf.mtu },
    { ns: host, name: hostName, mac: macFor(seed, 'veth', args.containerId), mtu: conf.mtu },
  );
  attachToBridge(host, hostEnd, br, conf.hairpinMode);
  // 5. Gateway and default route.
  const routes = resultRoutes(conf, lease.gateway);
  // 6. Container side: address, connected route, routes (gw defaults to the IP's gateway).
  addAddress(pod, eth0, lease.ip, lease.prefix);
  // One batch: the same table as the connected route and then each route added in turn.
  const connected = connectedRoute(eth0, lease.ip, lease.prefix);
  // The batch made at its length and filled by index (a pushed list and an iterator per pod otherwise).
  const first = connected ? 1 : 0;
  const podRoutes = new Array<RouteSpec>(first + routes.length);
  if (connected) podRoutes[0] = connected;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!;
    podRoutes[first + i] = { dst: r.dst === '0.0.0.0/0' ? 'default' : r.dst, via: r.gw ?? lease.gateway, dev: eth0.name };
  }
  addRoutes(pod, podRoutes);
  // 7. Host side: the gateway lives on the bridge; the node now forwards.
  // A bridge made for this pod has no address yet (its empty list is not read: see the note above).
  if (conf.isGateway && (br !== existing || !hasAddress(br, lease.gateway))) {
    addAddress(host, br, lease.gateway, lease.prefix);
    addConnectedRoute(host, br, lease.gateway, lease.prefix);
  }
  if (conf.isGateway) host.sysctls.ipForward = true;
  // 8. Per-container masquerade chain.
  if (conf.ipMasq) installIpMasq(host, conf, args.containerId, lease.ip);
  return {
    cniVersion: conf.cniVersion,
    interfaces: [
      bridgeInterface(br),
      { name: hostEnd.name, mac: hostEnd.mac },
      { name: eth0.name, mac: eth0.mac, sandbox: args.netnsPath },
    ],
    ips: [ipConfig(conf.cniVersion, `${lease.ip}/${lease.prefix}`, lease.gateway)],
    routes: routes as CniRoute[], // shared and frozen when the configuration is (resultRoutes)
    dns: NO_DNS,
  };
}

/**
 * The result's routes: IPAM's, then the default route via the gateway when the plugin is the
 * default gateway. Made at its final length (a pushed array keeps spare slots). With a frozen
 * configuration (flannel's per-node delegate conf) every pod of the node gets the same routes, so
 * one frozen list per configuration and gateway is shared by their results, which are only printed.
 */
function resultRoutes(conf: BridgeConf, gateway: string): readonly CniRoute[] {
  const hit = Object.isFrozen(conf) ? RESULT_ROUTES.get(conf) : undefined;
  if (hit && hit.gateway === gateway) return hit.routes;
  const routes: CniRoute[] = conf.isDefaultGateway && !hasDefaultRoute(conf.routes) ? [...conf.routes, { dst: '0.0.0.0/0', gw: gateway }] : [...conf.routes];
  if (!Object.isFrozen(conf)) return routes;
  for (const r of routes) Object.freeze(r);
  RESULT_ROUTES.set(conf, { gateway, routes: Object.freeze(routes) });
  return routes;
}

const RESULT_ROUTES = new WeakMap<BridgeConf, { gateway: string; routes: readonly CniRoute[] }>();

/**
 * The result's entry for the bridge, the same for every pod of the node while the bridge keeps
 * its name and MAC: one frozen entry per bridge rather than one per pod.
 */
function bridgeInterface(br: Device): CniInterface {
  const hit = BRIDGE_INTERFACE.get(br);
  if (hit && hit.name === br.name && hit.mac === br.mac) return hit;
  const entry = Object.freeze({ name: br.name, mac: br.mac });
  BRIDGE_INTERFACE.set(br, entry);
  return entry;
}

const BRIDGE_INTERFACE = new WeakMap<Device, CniInterface>();

function hasDefaultRoute(routes: readonly CniRoute[]): boolean {
  for (const r of routes) if (r.dst === '0.0.0.0/0') return true;
  return false;
}

function hasAddress(dev: Device, ip: string): boolean {
  for (const a of dev.addresses) if (a.ip === ip) return true;
  return false;
}

/** The result's IP entry; `version` only in 0.3.x results, and first, where the plugin prints it. */
function ipConfig(cniVersion: string, address: string, gateway: string): CniIpConfig {
  return cniVersion.startsWith('0.') ? { version: '4', interface: 2, address, gateway } : { interface: 2, address, gateway };
}

/** `CNI-` + the first 24 hex digits of SHA-512(name + containerID) (utils.FormatChainName). */
export function masqChainName(network: string, containerId: string): string {
  return `CNI-${sha512Hex(network + containerId).slice(0, 24)}`;
}

function installIpMasq(host: Netns, conf: BridgeConf, containerId: string, ip: string): void {
  const chain = masqChainName(conf.name, containerId);
  const comment = `"name: \\"${conf.name}\\" id: \\"${containerId}\\""`;
  restore(
    host.netfilter,
    [
      '*nat',
      `:${chain} - [0:0]`,
      `-A ${chain} -d ${conf.subnet} -m comment --comment ${comment} -j ACCEPT`,
      `-A ${chain} ! -d 224.0.0.0/4 -m comment --comment ${comment} -j MASQUERADE`,
      `-A POSTROUTING -s ${ip}/32 -m comment --comment ${comment} -j ${chain}`,
      'COMMIT',
      '',
    ].join('\n'),
    { noflush: true },
  );
}

/** bridge.go cmdDel: IPAM first, then the veth (which takes the host end with it); the bridge stays. */
export function bridgeDel(ctx: CniContext, args: CniArgs, conf: BridgeConf): void {
  const ipam = ipamState(ctx.model, args.node.name, conf);
  if (ipam) hostLocalRelease(ipam, args.containerId, args.ifname);
  const eth0 = getDevice(args.podNetns, args.ifname);
  if (eth0 && eth0.kind === 'veth') removeDevice(args.hostNetns, eth0.peer.name);
  removeDevice(args.podNetns, args.ifname);
  if (conf.ipMasq) {
    const chain = masqChainName(conf.name, args.containerId);
    const nat = args.hostNetns.netfilter.tables.get('nat');
    if (nat) {
      nat.chains.delete(chain);
      const post = nat.chains.get('POSTROUTING');
      if (post) post.rules = post.rules.filter((r) => r.target?.name !== chain);
    }
  }
}

/** bridge.go cmdCheck: eth0 exists in the pod with the address of the previous result. */
export function bridgeCheck(args: CniArgs, prev: CniResult): CniError | null {
  const eth0 = getDevice(args.podNetns, args.ifname);
  if (!eth0) return { cniVersion: prev.cniVersion, code: 3, msg: `Error: Link not found: ${args.ifname}` };
  for (const ip of prev.ips) {
    const [addr] = ip.address.split('/');
    if (!eth0.addresses.some((a) => a.ip === addr)) return { cniVersion: prev.cniVersion, code: 100, msg: `Failed to match addr ${ip.address} on interface ${args.ifname}` };
  }
  return null;
}
