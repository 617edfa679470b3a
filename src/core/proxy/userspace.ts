/**
 * kube-proxy's legacy userspace mode (removed in v1.26; seed 003): per service port kube-proxy
 * listens on a random local "proxy port" of the node, and iptables rules send the service's
 * addresses there — `KUBE-PORTALS-CONTAINER` (nat PREROUTING, `REDIRECT --to-ports P` for
 * traffic from containers), `KUBE-PORTALS-HOST` (nat OUTPUT, `DNAT` to the node IP:P for the
 * host's own traffic), `KUBE-NODEPORT-CONTAINER`/`-HOST` for NodePorts and the filter chain
 * `KUBE-NODEPORT-NON-LOCAL` that accepts them. The proxy accepts the connection in userspace,
 * picks a backend round robin and opens a **new** connection to it from the node; that second
 * leg is traced by `simulate/proxies.ts` through `userspaceProxyTarget`.
 *
 * Read first: pkg/proxy/userspace/proxier.go (`openPortal`, `openOnePortal`, `openNodePort`,
 * `iptablesInit`, the *PortalArgs builders) and roundrobin.go (LoadBalancerRR) as of v1.25.
 */
import type { EndpointSlice, Service } from '../k8s/types';
import type { ClusterModel, ModelNode, Netns, Socket } from '../model/types';
import type { ProxyContext, ProxyMode } from './mode';
import type { ServicePortInfo } from './iptables/service-port';
import { servicePortsFrom } from './iptables/service-port';
import { endpointsByServicePort, endpointsOf } from './iptables/endpoints';
import { kubeProxyOptionsFrom } from './iptables/index';
import { restore } from '../netfilter/restore';
import { getChain } from '../netfilter/state';
import { createRng } from '../util/rng';

/** The socket owner of the proxy ports. */
export const USERSPACE_OWNER = 'kube-proxy';
const STATE_KEY = 'kube-proxy-userspace';

/** One proxy port: which service port it serves. */
export interface UserspacePortal {
  /** `NS/NAME:PORTNAME` (ServicePortName.String(): `NS/NAME` for an unnamed port). */
  servicePort: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: 'tcp' | 'udp';
  affinity: boolean;
}

/** Per node: proxy ports (`tcp:36541`) → portal. */
type UserspaceState = Record<string, Record<string, UserspacePortal>>;

function stateOf(model: ClusterModel): UserspaceState {
  let s = model.pluginState.get(STATE_KEY) as UserspaceState | undefined;
  if (!s) model.pluginState.set(STATE_KEY, (s = {}));
  return s;
}

/** A free ephemeral port for the proxy socket (the kernel's choice for `listen(":0")`), seeded. */
function allocatePort(ns: Netns, seed: number, node: string, key: string, taken: Set<number>): number {
  const rng = createRng(seed, 'userspace-proxy-port', node, key);
  for (;;) {
    const p = rng.int(32768, 60999);
    if (!taken.has(p) && !ns.sockets.some((s) => s.port === p)) return p;
  }
}

/** `-m comment --comment NAME -p PROTO -m PROTO --dport PORT [-d IP/32] [physdev] [LOCAL]`. */
function common(sp: ServicePortInfo, proto: string, ip: string | null, port: number, physdev = false, local = false): string {
  return `-m comment --comment ${sp.servicePortName} -p ${proto} -m ${proto} --dport ${port}${ip ? ` -d ${ip}/32` : ''}${physdev ? ' -m physdev ! --physdev-is-in' : ''}${local ? ' -m addrtype --dst-type LOCAL' : ''}`;
}

/** The portal rules of one service port (openPortal + openNodePort). */
function portalRules(sp: ServicePortInfo, proto: string, proxyPort: number, hostIP: string): { nat: string[]; filter: string[] } {
  const redirect = `-j REDIRECT --to-ports ${proxyPort}`;
  const dnat = `-j DNAT --to-destination ${hostIP}:${proxyPort}`;
  const nat: string[] = [];
  const filter: string[] = [];
  const plain = (ip: string) => {
    nat.push(`-A KUBE-PORTALS-CONTAINER ${common(sp, proto, ip, sp.port)} ${redirect}`);
    nat.push(`-A KUBE-PORTALS-HOST ${common(sp, proto, ip, sp.port)} ${dnat}`);
  };
  plain(sp.clusterIP);
  for (const ip of sp.externalIPs) {
    nat.push(`-A KUBE-PORTALS-CONTAINER ${common(sp, proto, ip, sp.port, true)} ${redirect}`);
    nat.push(`-A KUBE-PORTALS-CONTAINER ${common(sp, proto, ip, sp.port, false, true)} ${redirect}`);
    nat.push(`-A KUBE-PORTALS-HOST ${common(sp, proto, ip, sp.port, false, true)} ${dnat}`);
  }
  for (const ip of sp.loadBalancerVIPs) plain(ip);
  if (sp.nodePort !== 0) {
    nat.push(`-A KUBE-NODEPORT-CONTAINER ${common(sp, proto, null, sp.nodePort)} ${redirect}`);
    nat.push(`-A KUBE-NODEPORT-HOST ${common(sp, proto, null, sp.nodePort)} ${dnat}`);
    filter.push(`-A KUBE-NODEPORT-NON-LOCAL ${common(sp, proto, null, proxyPort)} -m state --state NEW -j ACCEPT`);
  }
  return { nat, filter };
}

/** `iptablesInit`: the chains and the jumps into them (prepended / appended once). */
function initText(): string {
  return [
    '*nat',
    ':KUBE-PORTALS-CONTAINER - [0:0]',
    ':KUBE-PORTALS-HOST - [0:0]',
    ':KUBE-NODEPORT-CONTAINER - [0:0]',
    ':KUBE-NODEPORT-HOST - [0:0]',
    '-I PREROUTING 1 -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-CONTAINER',
    '-I OUTPUT 1 -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-HOST',
    '-A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-CONTAINER',
    '-A OUTPUT -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-HOST',
    'COMMIT',
    '*filter',
    ':KUBE-NODEPORT-NON-LOCAL - [0:0]',
    '-I INPUT 1 -m comment --comment "Ensure that non-local NodePort traffic can flow" -j KUBE-NODEPORT-NON-LOCAL',
    'COMMIT',
    '',
  ].join('\n');
}

function programNode(ctx: ProxyContext, node: ModelNode, ns: Netns, services: Service[]): void {
  const nodeObj = ctx.nodeObject(node.name);
  if (kubeProxyOptionsFrom(ctx.config, nodeObj).ipFamily !== 'IPv4') return;
  const all = stateOf(ctx.model);
  const before = all[node.name] ?? {};
  const byService = new Map(Object.entries(before).map(([k, v]) => [`${v.servicePort}/${v.protocol}`, Number(k.split(':')[1])]));
  const next: Record<string, UserspacePortal> = {};
  const nat: string[] = [];
  const filter: string[] = [];
  const taken = new Set<number>();
  for (const sp of servicePortsFrom(services, 'IPv4')) {
    if (sp.protocol === 'SCTP') continue; // the userspace proxy never handled SCTP
    const proto = sp.protocol === 'TCP' ? 'tcp' : 'udp';
    const key = `${sp.servicePortName}/${proto}`;
    const port = byService.get(key) ?? allocatePort(ns, ctx.model.seed, node.name, key, taken);
    taken.add(port);
    next[`${proto}:${port}`] = { servicePort: sp.servicePortName, namespace: sp.namespace, name: sp.name, portName: sp.portName, protocol: proto, affinity: sp.affinityTimeoutSeconds !== null };
    const r = portalRules(sp, proto, port, node.ip);
    nat.push(...r.nat);
    filter.push(...r.filter);
  }
  all[node.name] = next;
  // The proxy sockets: close those of gone service ports, open the new ones.
  ns.sockets = ns.sockets.filter((s) => s.owner !== USERSPACE_OWNER || next[`${s.protocol}:${s.port}`] !== undefined);
  for (const k of Object.keys(next)) {
    const [protocol, port] = k.split(':') as [Socket['protocol'], string];
    if (!ns.sockets.some((s) => s.owner === USERSPACE_OWNER && s.protocol === protocol && s.port === Number(port))) ns.sockets.push({ protocol, port: Number(port), owner: USERSPACE_OWNER });
  }
  if (!getChain(ns.netfilter, 'nat', 'KUBE-PORTALS-CONTAINER')) {
    const r = restore(ns.netfilter, initText(), { noflush: true });
    if (!r.ok) ctx.report('error', `kube-proxy on ${node.name}: iptables init failed at line ${r.line}: ${r.error}`, 'proxy-restore');
  }
  const text = ['*nat', ':KUBE-PORTALS-CONTAINER - [0:0]', ':KUBE-PORTALS-HOST - [0:0]', ':KUBE-NODEPORT-CONTAINER - [0:0]', ':KUBE-NODEPORT-HOST - [0:0]', ...nat, 'COMMIT', '*filter', ':KUBE-NODEPORT-NON-LOCAL - [0:0]', ...filter, 'COMMIT', ''].join('\n');
  const r = restore(ns.netfilter, text, { noflush: true });
  if (!r.ok) ctx.report('error', `kube-proxy on ${node.name}: iptables-restore failed at line ${r.line}: ${r.error}`, 'proxy-restore');
}

/** The userspace mode. */
export const userspaceMode: ProxyMode = { name: 'userspace', programNode: (ctx, node, ns, services, _slices: EndpointSlice[]) => programNode(ctx, node, ns, services) };

/** What the proxy does with a connection accepted on one of its ports. */
export interface UserspaceProxyTarget {
  portal: UserspacePortal;
  /** Backends (`ip:port`) in the order the proxy tries them: the round-robin pick first. */
  candidates: string[];
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * The backends kube-proxy would try for connection number `index` accepted on `node`'s proxy
 * port (LoadBalancerRR: round robin over the ready endpoints, sorted; with ClientIP affinity the
 * client's endpoint). Undefined when the port is not a proxy port.
 */
export function userspaceProxyTarget(model: ClusterModel, node: string, protocol: 'tcp' | 'udp', port: number, client: string, index: number): UserspaceProxyTarget | undefined {
  const portal = (model.pluginState.get(STATE_KEY) as UserspaceState | undefined)?.[node]?.[`${protocol}:${port}`];
  if (!portal) return undefined;
  const byPort = endpointsByServicePort(model.endpointSlices, 'IPv4', node);
  const sp = { namespace: portal.namespace, name: portal.name, portName: portal.portName, protocol: portal.protocol.toUpperCase() } as ServicePortInfo;
  const ready = endpointsOf(byPort, sp).filter((e) => e.ready).map((e) => e.endpoint);
  if (!ready.length) return { portal, candidates: [] };
  const start = portal.affinity ? hashString(client) % ready.length : index % ready.length;
  return { portal, candidates: ready.map((_, i) => ready[(start + i) % ready.length]!) };
}
