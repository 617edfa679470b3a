/**
 * The container runtime's part in pod networking (CRI RunPodSandbox, spec/cni.md §8): create
 * the pod's netns `cni-<uuid>`, CNI ADD `lo` with the loopback plugin, CNI ADD `eth0` with the
 * node's network plugin, start the pause container that holds the netns. App containers then
 * join that netns: one IP and one port space per pod, localhost shared.
 */
import type { ClusterModel, CniInvocation, ModelNode, ModelPod, Netns } from '../model/types';
import type { CniArgs, CniContext, CniResult, NetworkPlugin } from '../cni/types';
import { isCniError } from '../cni/types';
import { LOOPBACK_CONF, loopbackAdd } from '../cni/loopback';
import type { PortMapping } from '../cni/portmap';
import { portmapAdd, portmapDel } from '../cni/portmap';
import { createNetns, setDeviceUp } from '../model/netns';
import { createIpip } from '../model/devices/ipip';
import { hexId, hexIdGrouped } from '../util/rng';

/** `cni-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, as containerd names pod namespaces. */
export function netnsName(seed: number, podKey: string): string {
  return `cni-${hexIdGrouped(seed, UUID_GROUPS, 'netns', podKey)}`;
}

/** A UUID's hex groups. */
const UUID_GROUPS = [8, 4, 4, 4, 12] as const;

export interface SandboxRequest {
  namespace: string;
  name: string;
  requestedIp?: string;
  /** The pod's hostPorts (CRI port mappings), for a chained portmap plugin. */
  portMappings?: readonly PortMapping[];
}

/** A created sandbox, or the failure: the event's whole message and the CNI error inside it. */
export type SandboxResult = { netns: Netns; ip: string; containerId: string } | { error: string; cniError: string };

function record(model: ClusterModel, inv: CniInvocation): void {
  model.cniLog.push(inv);
}

/**
 * The loopback network's configuration as the runtime hands it to the plugin on stdin (the
 * plugin entry with the list's cniVersion and name injected; libcni's InjectConf re-encodes a
 * Go map, so the keys come out sorted). The same for every pod, so one shared, frozen object:
 * the log records what was sent, and nobody edits it.
 */
const LOOPBACK_STDIN = Object.freeze({ cniVersion: LOOPBACK_CONF.cniVersion, name: LOOPBACK_CONF.name, ...LOOPBACK_CONF.plugins[0] });

/**
 * The network configuration the runtime loaded from /etc/cni/net.d. containerd reads it once
 * and keeps it until the directory changes, not per pod; here it is kept per node while what
 * it is made of (plugin, MTU, the node's podCIDR) stays the same, and shared, frozen, by every
 * pod's log entry.
 */
const NET_CONF = new WeakMap<ModelNode, { plugin: NetworkPlugin; mtu: number; podCIDR: string | undefined; conf: unknown }>();

function loadedNetConf(ctx: CniContext, plugin: NetworkPlugin, node: ModelNode): unknown {
  const mtu = plugin.mtu(ctx);
  const hit = NET_CONF.get(node);
  if (hit && hit.plugin === plugin && hit.mtu === mtu && hit.podCIDR === node.podCIDR) return hit.conf;
  const conf = deepFreeze(plugin.netConf(ctx, node));
  NET_CONF.set(node, { plugin, mtu, podCIDR: node.podCIDR, conf });
  return conf;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** RunPodSandbox: returns the pod netns and its IP, or the error the kubelet would report as an event. */
export function runPodSandbox(ctx: CniContext, plugin: NetworkPlugin, node: ModelNode, req: SandboxRequest): SandboxResult {
  const { model } = ctx;
  const key = `${req.namespace}/${req.name}`;
  const seed = ctx.cluster.seed;
  const containerId = hexId(seed, 64, 'sandbox', key);
  const name = netnsName(seed, key);
  const pod = createNetns(`pod:${key}`, 'pod', node.name, name, key);
  // With the ipip module loaded (Calico IPIP) every new namespace gets a down tunl0 at index 2.
  if (ctx.cluster.cni.plugin === 'calico' && (ctx.cluster.cni.backend ?? 'ipip') === 'ipip') setDeviceUp(createIpip(pod, 1480), false);
  const host = model.netns.get(node.netns)!;
  const netnsPath = `/var/run/netns/${name}`;
  // The CNI_* environment of the two calls (written out rather than spread: one per pod).
  const lo = loopbackAdd({ command: 'ADD', containerId, netnsPath, k8sArgs: { namespace: req.namespace, name: req.name }, podNetns: pod, hostNetns: host, node, ifname: 'lo' });
  record(model, { command: 'ADD', pod: key, containerId, ifname: 'lo', netnsPath, config: LOOPBACK_STDIN, result: lo, ok: true });
  const k8sArgs: CniArgs['k8sArgs'] = req.requestedIp ? { namespace: req.namespace, name: req.name, ip: req.requestedIp } : { namespace: req.namespace, name: req.name };
  const args: CniArgs = { command: 'ADD', containerId, netnsPath, k8sArgs, podNetns: pod, hostNetns: host, node, ifname: 'eth0' };
  const result = plugin.add(ctx, args);
  record(model, { command: 'ADD', pod: key, containerId, ifname: 'eth0', netnsPath, config: loadedNetConf(ctx, plugin, node), result, ok: !isCniError(result) });
  if (isCniError(result)) {
    // libcni: `plugin type="<type>" failed (add): ` + the error, whose text is msg["; " details].
    tearDown(ctx, plugin, args);
    return sandboxError(containerId, `plugin type="${pluginType(ctx, plugin, node)}" failed (add): `, `${result.msg}${result.details ? `; ${result.details}` : ''}`);
  }
  const ip = podIpFrom(result);
  if (!ip) {
    tearDown(ctx, plugin, args);
    return sandboxError(containerId, '', `failed to find network info for sandbox "${containerId}"`);
  }
  if (req.portMappings?.length) {
    const conf = loadedNetConf(ctx, plugin, node) as { name?: string; plugins?: { type?: unknown }[] };
    const prefix = Number(result.ips[0]!.address.split('/')[1] ?? 32);
    if (conf.plugins?.some((p) => p.type === 'portmap')) portmapAdd(host, conf.name ?? '', containerId, ip, prefix, req.portMappings);
    else ctx.report('warning', `pod ${key}: hostPort is not modelled for ${ctx.cluster.cni.plugin} (its network configuration has no portmap plugin)`, 'hostport-unsupported');
  }
  model.netns.set(pod.id, pod);
  return { netns: pod, ip, containerId };
}

/**
 * The FailedCreatePodSandBox event's message: the kubelet's "Failed to create pod sandbox: %v"
 * around the CRI call's gRPC error, whose description is containerd's "failed to setup network
 * for sandbox %q: %w" around the CNI error.
 */
function sandboxError(containerId: string, libcni: string, cniError: string): { error: string; cniError: string } {
  return { error: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${containerId}": ${libcni}${cniError}`, cniError };
}

/**
 * containerd's cleanup after a failed network setup: CNI DEL for every network, last to first
 * (eth0, then lo), then the namespace is removed (it was never registered in the model). DEL
 * frees whatever the failed ADD may have taken (an address, a veth).
 */
function tearDown(ctx: CniContext, plugin: NetworkPlugin, add: CniArgs): void {
  const del: CniArgs = { ...add, command: 'DEL', k8sArgs: { namespace: add.k8sArgs.namespace, name: add.k8sArgs.name } };
  plugin.del(ctx, del);
  const key = `${add.k8sArgs.namespace}/${add.k8sArgs.name}`;
  record(ctx.model, { command: 'DEL', pod: key, containerId: add.containerId, ifname: 'eth0', netnsPath: add.netnsPath, config: loadedNetConf(ctx, plugin, add.node), result: {}, ok: true });
  record(ctx.model, { command: 'DEL', pod: key, containerId: add.containerId, ifname: 'lo', netnsPath: add.netnsPath, config: LOOPBACK_STDIN, result: {}, ok: true });
}

/** The `type` of the first plugin of the node's network configuration (kubenet's is "bridge"). */
function pluginType(ctx: CniContext, plugin: NetworkPlugin, node: ModelNode): string {
  const conf = loadedNetConf(ctx, plugin, node) as { type?: unknown; plugins?: { type?: unknown }[] };
  const type = conf.plugins?.[0]?.type ?? conf.type;
  return typeof type === 'string' ? type : ctx.cluster.cni.plugin;
}

function podIpFrom(r: CniResult): string | undefined {
  const address = r.ips[0]?.address;
  if (address === undefined) return undefined;
  const slash = address.indexOf('/');
  return slash < 0 ? address : address.slice(0, slash);
}

/** StopPodSandbox: CNI DEL eth0 then lo, and the netns goes away. */
export function stopPodSandbox(ctx: CniContext, plugin: NetworkPlugin, pod: ModelPod): void {
  const { model } = ctx;
  const podNs = model.netns.get(pod.netns);
  const node = model.nodes.find((n) => n.name === pod.node);
  if (!podNs || !node) return;
  const host = model.netns.get(node.netns)!;
  const netnsPath = `/var/run/netns/${podNs.name}`;
  // DEL runs the list last to first: portmap's chain goes before the interface.
  const conf = loadedNetConf(ctx, plugin, node) as { name?: string; plugins?: { type?: unknown }[] };
  if (conf.plugins?.some((p) => p.type === 'portmap')) portmapDel(host, conf.name ?? '', pod.containerId);
  plugin.del(ctx, { command: 'DEL', containerId: pod.containerId, netnsPath, ifname: 'eth0', k8sArgs: { namespace: pod.namespace, name: pod.name }, podNetns: podNs, hostNetns: host, node });
  record(model, { command: 'DEL', pod: `${pod.namespace}/${pod.name}`, containerId: pod.containerId, ifname: 'eth0', netnsPath, config: plugin.netConf(ctx, node), result: {}, ok: true });
  record(model, { command: 'DEL', pod: `${pod.namespace}/${pod.name}`, containerId: pod.containerId, ifname: 'lo', netnsPath, config: LOOPBACK_STDIN, result: {}, ok: true });
  model.netns.delete(pod.netns);
}
