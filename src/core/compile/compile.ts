/**
 * compile: Scenario → ClusterModel (DESIGN §1). Runs what a real cluster runs, in order:
 * the underlay and the nodes, the node IPAM controller (podCIDRs), the network plugin's node
 * agent, the workload controllers and the scheduler, the runtime creating each pod sandbox
 * through CNI, then the plugin learning its peers. Every problem is a diagnostic with a
 * position; nothing here throws on bad input.
 */
import type { ClusterModel, ModelNode, ModelPod, PendingPod, Socket, UnscheduledPod } from '../model/types';
import type { Diagnostic, Scenario, Severity, SourcePos } from '../scenario/types';
import type { CniContext } from '../cni/types';
import type { DesiredPod } from '../controllers/workloads';
import type { ResolvedCluster } from './resolved';
import { resolveCluster } from './resolved';
import { addCloudRoute, buildNodeNetns, buildUnderlay } from './underlay';
import { allocateNodeCIDRs } from '../controllers/node-cidrs';
import { expandDaemonSet, expandDeployment, expandReplicaSet } from '../controllers/workloads';
import { hostPortClaims, NodeLoad, schedule } from '../controllers/scheduler';
import type { SandboxRequest } from '../controllers/runtime';
import { runPodSandbox } from '../controllers/runtime';
import type { PortMapping } from '../cni/portmap';
import { getNetworkPlugin } from '../cni/registry';
import { installNetConf } from '../cni/net-d';
import { nodesFromObjects } from './nodes-from-objects';
import { podAnnotatedIp } from './pod-ip';
import { cidrContains, ipv4ToInt } from '../util/ip';
import { buildServiceNetwork } from './service-network';
import { enforceNetworkPolicies } from '../cni/policy/index';
import { buildAddons, withAddonObjects } from './addons';
import { withRestoreMemo } from '../netfilter/restore-memo';
import { CompileContext, ModelRoot } from './compile-roots';

export interface CompileResult {
  /** Null only when the scenario is too broken to build anything. */
  model: ClusterModel | null;
  diagnostics: Diagnostic[];
  cluster: ResolvedCluster;
}

const ORIGIN: SourcePos = { line: 1, col: 1, offset: 0, end: 0 };

/**
 * Builds the cluster model for a parsed scenario. Every node's agents restore much the same
 * iptables text, so a rule line is parsed once per compile and copied for the other nodes
 * (netfilter/restore-memo.ts).
 */
export function compile(scenario: Scenario): CompileResult {
  return withRestoreMemo(() => build(scenario));
}

function build(scenario: Scenario): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const at = (pos: SourcePos) => (severity: Severity, message: string, code: string, p?: SourcePos) => diagnostics.push({ severity, message, code, pos: p ?? pos });
  const clusterPos = scenario.cluster?.pos ?? ORIGIN;
  const cluster = resolveCluster(scenario.cluster?.value ?? null, at(clusterPos));
  if (!scenario.cluster?.value.spec?.nodes && scenario.nodes.length) cluster.nodes = nodesFromObjects(scenario, cluster);
  // Add-ons (CoreDNS, an ingress controller) are API objects the controllers below treat like any other.
  scenario = withAddonObjects(scenario, cluster);

  const model: ClusterModel = new ModelRoot(cluster);
  const ctx = new CompileContext(model, cluster, diagnostics, clusterPos);
  const plugin = getNetworkPlugin(cluster.cni.plugin);
  model.cni.mtu = plugin.mtu(ctx);

  const router = buildUnderlay(model, cluster);
  const cidrs = allocateNodeCIDRs(cluster, scenario, at(clusterPos));
  for (const n of cluster.nodes) {
    const ns = buildNodeNetns(model, cluster, n.name, n.ip, n.subnet);
    const node: ModelNode = { name: n.name, ip: n.ip, labels: n.labels, netns: ns.id, ready: true, subnet: n.subnet, blocks: [] };
    const podCIDR = cidrs.get(n.name);
    if (podCIDR && cluster.cni.plugin !== 'calico') node.podCIDR = podCIDR;
    model.nodes.push(node);
    plugin.setupNode(ctx, node, ns);
    installNetConf(ctx, plugin, node);
  }

  createPods(ctx, scenario, diagnostics);
  ctx.pos = clusterPos;
  for (const node of model.nodes) {
    const ns = model.netns.get(node.netns)!;
    plugin.learnPeers(ctx, node, ns, model.nodes.filter((n) => n !== node));
    if (cluster.underlay.type === 'cloud' && node.podCIDR) addCloudRoute(router, node.podCIDR, node.ip);
  }
  // Services → EndpointSlices → kube-proxy on every node (compile/service-network.ts).
  buildServiceNetwork(model, scenario, cluster, (severity, message, code, pos) => diagnostics.push({ severity, message, code, pos }));
  // NetworkPolicy (issue 8): the policy engine (Felix) programs each node's filter table last, so its
  // FORWARD/INPUT jumps sit above kube-proxy's, as Felix keeps them (cni/policy/index.ts).
  enforceNetworkPolicies(model, scenario, cluster, (severity, message, code, pos) => diagnostics.push({ severity, message, code, pos: pos ?? clusterPos }));
  buildAddons(model, scenario, cluster, (severity, message, code, pos) => diagnostics.push({ severity, message, code, pos }));
  return { model, diagnostics, cluster };
}

function desiredPods(scenario: Scenario, seed: number, nodeNames: string[]): DesiredPod[] {
  const out: DesiredPod[] = scenario.pods.map((p) => ({ pod: p.value, pos: p.pos }));
  for (const d of scenario.deployments) out.push(...expandDeployment(seed, d));
  for (const r of scenario.replicaSets) out.push(...expandReplicaSet(seed, r));
  for (const ds of scenario.daemonSets) out.push(...expandDaemonSet(seed, ds, nodeNames));
  return out;
}

/** A pod the scheduler has bound, waiting for its node's kubelet to create it. */
interface BoundPod {
  want: DesiredPod;
  ns: string;
  name: string;
  node: ModelNode;
  requested: string | undefined;
}

/**
 * The namespace of what the installer starts at bootstrap (CoreDNS, kubeadm's add-ons): those
 * pods got their sandboxes while the nodes came up, so they hold their node's first pod
 * addresses before any user workload exists, and a full range fails user pods, not them.
 */
const SYSTEM_NAMESPACE = 'kube-system';

function createPods(ctx: CompileContext, scenario: Scenario, diagnostics: Diagnostic[]): void {
  const { model, cluster } = ctx;
  const plugin = getNetworkPlugin(cluster.cni.plugin);
  const load = new NodeLoad(model.nodes);
  const seen = new Map<string, SourcePos>();
  const pinnedBy = new Map<string, string>();
  // One reporter for the pod being handled (pods are handled one at a time), not a closure per pod.
  let pos: SourcePos = ORIGIN;
  const report = (severity: Severity, message: string, code: string) => diagnostics.push({ severity, message, code, pos });
  // 1. The API server admits each pod and the scheduler binds it, in the scenario's order.
  const bound: BoundPod[] = [];
  for (const want of desiredPods(scenario, cluster.seed, model.nodes.map((n) => n.name))) {
    ctx.pos = want.pos;
    pos = want.pos;
    const ns = want.pod.metadata?.namespace ?? 'default';
    const name = want.pod.metadata?.name;
    if (!name || !want.pod.spec || !Array.isArray(want.pod.spec.containers)) continue; // the parser reported it
    const key = `${ns}/${name}`;
    if (seen.has(key)) continue; // duplicate: reported by the parser
    seen.set(key, want.pos);
    const requested = podAnnotatedIp(want.pod, cluster, report);
    if (requested && pinnedBy.has(requested)) {
      report('error', `pod ${key} asks for IP ${requested}, already taken by ${pinnedBy.get(requested)}`, 'duplicate-ip');
      continue;
    }
    const prefer = requested && cluster.cni.plugin !== 'calico' ? model.nodes.find((n) => n.podCIDR && cidrContains(parseRange(n.podCIDR), ipv4ToInt(requested)))?.name : undefined;
    const spec = want.pod.spec;
    const placement: Parameters<typeof schedule>[2] = {};
    if (want.boundNode) placement.nodeName = want.boundNode;
    else if (spec.nodeName) placement.nodeName = spec.nodeName;
    if (spec.nodeSelector) placement.nodeSelector = spec.nodeSelector;
    if (prefer) placement.preferNode = prefer;
    const ports = hostPortClaims(spec);
    if (ports) placement.hostPorts = ports;
    const placed = schedule(model.nodes, load, placement);
    if ('error' in placed) {
      report('error', `pod ${key}: ${placed.error}`, spec.nodeName ? 'missing-node' : 'unschedulable');
      continue;
    }
    if ('unschedulable' in placed) {
      // The API server has accepted it: the pod waits Pending with no node (FailedScheduling),
      // holding no host port and no address, and the rest of the cluster is built without it.
      report('warning', `pod ${key}: ${placed.unschedulable}`, 'unschedulable');
      unscheduledPod(model, want, ns, name, placed.unschedulable);
      continue;
    }
    const node = placed.node;
    if (requested && prefer && prefer !== node.name) report('warning', `pod ${key} pins ${requested}, which is in ${prefer}'s range, but runs on ${node.name}: host-local on ${node.name} cannot assign it`, 'pinned-ip-node');
    load.bind(node.name, ports);
    if (requested) pinnedBy.set(requested, key);
    bound.push({ want, ns, name, node, requested });
  }
  // 2. The kubelets create the sandboxes, system pods first (as at bootstrap), then the rest in
  // order; model.pods keeps the scenario's order. A failed sandbox leaves its pod bound, without
  // a netns (model.pendingPods), and the rest of the cluster is built as if it were not there.
  const created: (ModelPod | undefined)[] = new Array<ModelPod | undefined>(bound.length);
  const usedIps = new Map<string, string>();
  const create = (i: number) => {
    const b = bound[i]!;
    ctx.pos = b.want.pos;
    pos = b.want.pos;
    const key = `${b.ns}/${b.name}`;
    if (b.requested && usedIps.has(b.requested)) {
      report('error', `pod ${key} asks for IP ${b.requested}, already taken by ${usedIps.get(b.requested)}`, 'duplicate-ip');
      return;
    }
    const pod = b.want.pod.spec.hostNetwork ? hostNetworkPod(model, b.node, b.want, b.ns, b.name) : sandboxPod(ctx, plugin, b.node, b.want, b.ns, b.name, b.requested, report);
    if (!pod) return;
    usedIps.set(pod.ip, key);
    created[i] = pod;
  };
  for (let i = 0; i < bound.length; i++) if (bound[i]!.ns === SYSTEM_NAMESPACE) create(i);
  for (let i = 0; i < bound.length; i++) if (bound[i]!.ns !== SYSTEM_NAMESPACE) create(i);
  for (const pod of created) if (pod) model.pods.push(pod);
}

function parseRange(text: string) {
  const [a, p] = text.split('/');
  const prefix = Number(p);
  return { text, network: ipv4ToInt(a!), prefix, mask: prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0 };
}

function containersOf(want: DesiredPod): ModelPod['containers'] {
  return want.pod.spec.containers.map((c) => ({
    name: c.name,
    image: c.image ?? '',
    // Written out rather than spreading an optional `name` (an empty object per port otherwise).
    ports: (c.ports ?? []).map((p) => (p.name ? { containerPort: p.containerPort, protocol: p.protocol ?? 'TCP', name: p.name } : { containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })),
  }));
}

function isReady(want: DesiredPod): boolean {
  const cond = want.pod.status?.conditions?.find((c) => c.type === 'Ready');
  return cond ? cond.status === 'True' : true;
}

function sandboxPod(ctx: CniContext, plugin: ReturnType<typeof getNetworkPlugin>, node: ModelNode, want: DesiredPod, ns: string, name: string, requested: string | undefined, report: (s: Severity, m: string, c: string) => void): ModelPod | null {
  const req: SandboxRequest = requested ? { namespace: ns, name, requestedIp: requested } : { namespace: ns, name };
  const maps = hostPortsOf(want);
  if (maps) req.portMappings = maps;
  const sb = runPodSandbox(ctx, plugin, node, req);
  if ('error' in sb) {
    // The kubelet retries; the pod waits in ContainerCreating and the rest of the cluster runs on.
    report('warning', `pod ${ns}/${name} on ${node.name}: ${sb.error}`, 'sandbox-failed');
    pendingPod(ctx.model, want, ns, name, node, sb);
    return null;
  }
  const containers = containersOf(want);
  const opened = containerSockets(containers, containerName);
  if (opened.length) sb.netns.sockets = sb.netns.sockets.length ? sb.netns.sockets.concat(opened) : opened;
  const labels = want.pod.metadata.labels;
  const pod: ModelPod = { namespace: ns, name, node: node.name, ip: sb.ip, netns: sb.netns.id, labels: labels ? { ...labels } : {}, containers, hostNetwork: false, ready: isReady(want) && !crashLooping(containers), containerId: sb.containerId };
  if (want.owner) pod.owner = want.owner;
  if (want.pod.metadata.deletionTimestamp) pod.terminating = true;
  return pod;
}

/** Records a pod no node can take: no node, no netns, no IP (model/types.ts UnscheduledPod). */
function unscheduledPod(model: ClusterModel, want: DesiredPod, ns: string, name: string, why: string): void {
  const labels = want.pod.metadata.labels;
  const pod: UnscheduledPod = { namespace: ns, name, labels: labels ? { ...labels } : {}, containers: containersOf(want), unschedulable: why };
  if (want.owner) pod.owner = want.owner;
  if (want.pod.spec.nodeSelector) pod.nodeSelector = { ...want.pod.spec.nodeSelector };
  (model.pendingPods ??= []).push(pod);
}

/** Records a pod whose sandbox failed: bound to its node, no netns, no IP (model/types.ts PendingPod). */
function pendingPod(model: ClusterModel, want: DesiredPod, ns: string, name: string, node: ModelNode, failed: { error: string; cniError: string }): void {
  const labels = want.pod.metadata.labels;
  const pod: PendingPod = { namespace: ns, name, node: node.name, labels: labels ? { ...labels } : {}, containers: containersOf(want), sandboxError: failed.error, cniError: failed.cniError };
  if (want.owner) pod.owner = want.owner;
  (model.pendingPods ??= []).push(pod);
}

/** The CRI port mappings of a pod's hostPorts (what containerd hands portmap), or undefined. */
function hostPortsOf(want: DesiredPod): PortMapping[] | undefined {
  let out: PortMapping[] | undefined;
  for (const c of want.pod.spec.containers)
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const m: PortMapping = { hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol === 'UDP' ? 'udp' : p.protocol === 'SCTP' ? 'sctp' : 'tcp' };
      if (p.hostIP) m.hostIP = p.hostIP;
      (out ??= []).push(m);
    }
  return out;
}

/** The message of the bind a container loses to an earlier container of its pod (Linux's EADDRINUSE). */
const ADDRESS_IN_USE = 'bind: address already in use';

/**
 * The listening sockets a pod's containers open in their shared namespace. The kubelet starts
 * them in spec order; a container whose port an earlier one already holds fails its bind with
 * EADDRINUSE and exits, holding none of its sockets, and is marked crash-looping. A port a
 * container declares twice is one socket (the declaration is informational; one process binds).
 */
function containerSockets(containers: ModelPod['containers'], owner: (c: ModelPod['containers'][number]) => string): Socket[] {
  // The usual pod: one container with one port at most, its list made at its length.
  const only = containers.length === 1 ? containers[0] : undefined;
  if (only && only.ports.length <= 1) return only.ports.map((p) => socketOf(only, p, owner(only)));
  const holder = new Map<string, string>();
  const opened: Socket[] = [];
  for (const c of containers) {
    const taken = c.ports.find((p) => (holder.get(`${p.protocol}/${p.containerPort}`) ?? c.name) !== c.name);
    if (taken) {
      c.crashLoop = `${ADDRESS_IN_USE} (${taken.containerPort}/${taken.protocol} is held by container ${holder.get(`${taken.protocol}/${taken.containerPort}`)})`;
      continue;
    }
    for (const p of c.ports) {
      const k = `${p.protocol}/${p.containerPort}`;
      if (holder.has(k)) continue;
      holder.set(k, c.name);
      opened.push(socketOf(c, p, owner(c)));
    }
  }
  // Made at its length: a pushed list keeps spare room.
  return opened.slice();
}

function containerName(c: ModelPod['containers'][number]): string {
  return c.name;
}

/** True when a container of the pod keeps crashing: the pod is not Ready. */
function crashLooping(containers: ModelPod['containers']): boolean {
  return containers.some((c) => c.crashLoop !== undefined);
}

/** The listening socket a container port opens in the pod's namespace. */
function socketOf(c: ModelPod['containers'][number], p: ModelPod['containers'][number]['ports'][number], owner: string = c.name): Socket {
  return { protocol: p.protocol === 'UDP' ? 'udp' : p.protocol === 'SCTP' ? 'sctp' : 'tcp', port: p.containerPort, owner };
}

function hostNetworkPod(model: ClusterModel, node: ModelNode, want: DesiredPod, ns: string, name: string): ModelPod {
  const host = model.netns.get(node.netns)!;
  const containers = containersOf(want);
  for (const s of containerSockets(containers, (c) => `${ns}/${name}/${c.name}`)) host.sockets.push(s);
  return { namespace: ns, name, node: node.name, ip: node.ip, netns: node.netns, labels: { ...(want.pod.metadata.labels ?? {}) }, containers, hostNetwork: true, ready: isReady(want) && !crashLooping(containers), containerId: '', ...(want.owner ? { owner: want.owner } : {}), ...(want.pod.metadata.deletionTimestamp ? { terminating: true } : {}) };
}

