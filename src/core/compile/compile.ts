/**
 * compile: Scenario → ClusterModel (DESIGN §1). Runs what a real cluster runs, in order:
 * the underlay and the nodes, the node IPAM controller (podCIDRs), the network plugin's node
 * agent, the workload controllers and the scheduler, the runtime creating each pod sandbox
 * through CNI, then the plugin learning its peers. Every problem is a diagnostic with a
 * position; nothing here throws on bad input.
 */
import type { ClusterModel, ModelNode, ModelPod, PendingPod, Socket, UnscheduledPod } from '../model/types';
import type { Diagnostic, Scenario, Severity, SourcePos } from '../scenario/types';
import type { NetworkPlugin } from '../cni/types';
import type { DesiredPod } from '../controllers/workloads';
import type { ResolvedCluster } from './resolved';
import { resolveCluster } from './resolved';
import { addCloudRoute, buildNodeNetns, buildUnderlay } from './underlay';
import { allocateNodeCIDRs } from '../controllers/node-cidrs';
import { expandDaemonSet, expandDeployment, expandReplicaSet } from '../controllers/workloads';
import { crashLoopStatus } from '../controllers/container-status';
import { hostPortClaims, NodeLoad, schedule } from '../controllers/scheduler';
import type { ContainerRequest, PodRequest, PortRequest } from './pod-request';
import { podRequest } from './pod-request';
import { objectList } from '../util/object-list';
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
    const node: ModelNode = { name: n.name, ip: n.ip, labels: n.labels, netns: ns.id, ready: true, subnet: n.subnet, blocks: objectList<string>() };
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
  want: PodRequest;
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

/**
 * One compile's pod creation: admission and binding, then the sandboxes. A class whose methods
 * handle one pod each, rather than closures made per compile: a closure called per pod is a new
 * call target in every compile, and the optimised loop calling it was thrown away on the first
 * pod of the next compile. Its reports go to the pod being handled (`pos`).
 */
class PodCreation {
  readonly ctx: CompileContext;
  readonly plugin: NetworkPlugin;
  readonly diagnostics: Diagnostic[];
  readonly load: NodeLoad;
  readonly seen: Map<string, SourcePos>;
  readonly pinnedBy: Map<string, string>;
  readonly usedIps: Map<string, string>;
  readonly bound: BoundPod[];
  pos: SourcePos;
  /** The reporter handed to per-pod helpers (made once per compile; called only on a problem). */
  readonly report: (severity: Severity, message: string, code: string) => void;

  constructor(ctx: CompileContext, plugin: NetworkPlugin, diagnostics: Diagnostic[]) {
    this.ctx = ctx;
    this.plugin = plugin;
    this.diagnostics = diagnostics;
    this.load = new NodeLoad(ctx.model.nodes);
    this.seen = new Map();
    this.pinnedBy = new Map();
    this.usedIps = new Map();
    this.bound = objectList();
    this.pos = ORIGIN;
    this.report = (severity, message, code) => this.add(severity, message, code);
  }

  add(severity: Severity, message: string, code: string): void {
    this.diagnostics.push({ severity, message, code, pos: this.pos });
  }

  /** 1. The API server admits the pod and the scheduler binds it. */
  admit(want: PodRequest): void {
    const { model, cluster } = this.ctx;
    this.ctx.pos = want.pos;
    this.pos = want.pos;
    const ns = want.namespace ?? 'default';
    const name = want.name;
    const key = `${ns}/${name}`;
    if (this.seen.has(key)) return; // duplicate: reported by the parser
    this.seen.set(key, want.pos);
    const requested = podAnnotatedIp(want.annotations, name, cluster, this.report);
    if (requested && this.pinnedBy.has(requested)) {
      this.add('error', `pod ${key} asks for IP ${requested}, already taken by ${this.pinnedBy.get(requested)}`, 'duplicate-ip');
      return;
    }
    const prefer = requested && cluster.cni.plugin !== 'calico' ? model.nodes.find((n) => n.podCIDR && cidrContains(parseRange(n.podCIDR), ipv4ToInt(requested)))?.name : undefined;
    const spec = want.spec;
    const placement: Parameters<typeof schedule>[2] = {};
    if (want.boundNode) placement.daemonNode = want.boundNode;
    else if (spec.nodeName) placement.nodeName = spec.nodeName;
    if (spec.nodeSelector) placement.nodeSelector = spec.nodeSelector;
    if (prefer) placement.preferNode = prefer;
    const ports = hostPortClaims(spec);
    if (ports) placement.hostPorts = ports;
    const placed = schedule(model.nodes, this.load, placement);
    if ('error' in placed) {
      this.add('error', `pod ${key}: ${placed.error}`, spec.nodeName ? 'missing-node' : 'unschedulable');
      return;
    }
    if ('unschedulable' in placed) {
      // The API server has accepted it: the pod waits Pending with no node (FailedScheduling),
      // holding no host port and no address, and the rest of the cluster is built without it.
      this.add('warning', `pod ${key}: ${placed.unschedulable}`, 'unschedulable');
      unscheduledPod(model, want, ns, name, placed.unschedulable);
      return;
    }
    const node = placed.node;
    if (requested && prefer && prefer !== node.name) this.add('warning', `pod ${key} pins ${requested}, which is in ${prefer}'s range, but runs on ${node.name}: host-local on ${node.name} cannot assign it`, 'pinned-ip-node');
    this.load.bind(node.name, ports);
    if (requested) this.pinnedBy.set(requested, key);
    this.bound.push({ want, ns, name, node, requested });
  }

  /** 2. The kubelet creates the sandbox of bound pod `b`: the pod, or undefined when it has none. */
  create(b: BoundPod): ModelPod | undefined {
    this.ctx.pos = b.want.pos;
    this.pos = b.want.pos;
    const key = `${b.ns}/${b.name}`;
    if (b.requested && this.usedIps.has(b.requested)) {
      this.add('error', `pod ${key} asks for IP ${b.requested}, already taken by ${this.usedIps.get(b.requested)}`, 'duplicate-ip');
      return undefined;
    }
    // The address is noted where it is known, not read back off the pod: the add-on pods (owned,
    // created first) are ModelPods of another shape, and reading one here threw this method away.
    if (b.want.spec.hostNetwork) {
      this.usedIps.set(b.node.ip, key);
      return hostNetworkPod(this.ctx.model, b.node, b.want, b.ns, b.name);
    }
    return sandboxPod(this, b.node, b.want, b.ns, b.name, b.requested) ?? undefined;
  }
}

function createPods(ctx: CompileContext, scenario: Scenario, diagnostics: Diagnostic[]): void {
  const { model, cluster } = ctx;
  const run = new PodCreation(ctx, getNetworkPlugin(cluster.cni.plugin), diagnostics);
  // 1. The API server admits each pod and the scheduler binds it, in the scenario's order.
  for (const want of desiredPods(scenario, cluster.seed, model.nodes.map((n) => n.name))) {
    const req = podRequest(want);
    if (req) run.admit(req); // else the parser reported it
  }
  // 2. The kubelets create the sandboxes, system pods first (as at bootstrap), then the rest in
  // order; model.pods keeps the scenario's order. A failed sandbox leaves its pod bound, without
  // a netns (model.pendingPods), and the rest of the cluster is built as if it were not there.
  const bound = run.bound;
  const created = new Array<ModelPod | undefined>(bound.length);
  for (let i = 0; i < bound.length; i++) if (bound[i]!.ns === SYSTEM_NAMESPACE) created[i] = run.create(bound[i]!);
  for (let i = 0; i < bound.length; i++) if (bound[i]!.ns !== SYSTEM_NAMESPACE) created[i] = run.create(bound[i]!);
  for (const pod of created) if (pod) model.pods.push(pod);
}

function parseRange(text: string) {
  const [a, p] = text.split('/');
  const prefix = Number(p);
  return { text, network: ipv4ToInt(a!), prefix, mask: prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0 };
}

/** The model's containers of a pod (ports with their protocol, and their name when they have one). */
function containersOf(want: PodRequest): ModelPod['containers'] {
  const out: ModelPod['containers'] = [];
  for (const c of want.spec.containers) {
    // Written out rather than spreading an optional `name` (an empty object per port otherwise).
    const ports: ModelPod['containers'][number]['ports'] = [];
    for (const p of c.ports) {
      const port: ModelPod['containers'][number]['ports'][number] = p.name ? { containerPort: p.containerPort, protocol: p.protocol ?? 'TCP', name: p.name } : { containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' };
      if (p.hostPort) port.hostPort = p.hostPort;
      ports.push(port);
    }
    out.push({ name: c.name, image: c.image ?? '', ports });
  }
  return out;
}

/** The pod's sandbox and the pod, its address noted as taken in `run`; null when the sandbox failed. */
function sandboxPod(run: PodCreation, node: ModelNode, want: PodRequest, ns: string, name: string, requested: string | undefined): ModelPod | null {
  const { ctx, plugin, report } = run;
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
  run.usedIps.set(sb.ip, `${ns}/${name}`);
  const containers = containersOf(want);
  // Sockets are read off the request's ports (one class for every pod) rather than the model's,
  // whose ports have two shapes (with and without a name).
  const opened = containerSockets(want.spec.containers, containers, containerName);
  if (opened.length) sb.netns.sockets = sb.netns.sockets.length ? sb.netns.sockets.concat(opened) : opened;
  const labels = want.labels;
  const pod: ModelPod = { namespace: ns, name, node: node.name, ip: sb.ip, netns: sb.netns.id, labels: labels ? { ...labels } : {}, containers, hostNetwork: false, ready: want.ready && !crashLooping(containers), containerId: sb.containerId };
  if (want.owner) pod.owner = want.owner;
  if (want.terminating) pod.terminating = true;
  return pod;
}

/** Records a pod no node can take: no node, no netns, no IP (model/types.ts UnscheduledPod). */
function unscheduledPod(model: ClusterModel, want: PodRequest, ns: string, name: string, why: string): void {
  const labels = want.labels;
  const pod: UnscheduledPod = { namespace: ns, name, labels: labels ? { ...labels } : {}, containers: containersOf(want), unschedulable: why };
  if (want.owner) pod.owner = want.owner;
  if (want.spec.nodeSelector) pod.nodeSelector = { ...want.spec.nodeSelector };
  (model.pendingPods ??= []).push(pod);
}

/** Records a pod whose sandbox failed: bound to its node, no netns, no IP (model/types.ts PendingPod). */
function pendingPod(model: ClusterModel, want: PodRequest, ns: string, name: string, node: ModelNode, failed: { error: string; cniError: string }): void {
  const labels = want.labels;
  const pod: PendingPod = { namespace: ns, name, node: node.name, labels: labels ? { ...labels } : {}, containers: containersOf(want), sandboxError: failed.error, cniError: failed.cniError };
  if (want.owner) pod.owner = want.owner;
  (model.pendingPods ??= []).push(pod);
}

/** The CRI port mappings of a pod's hostPorts (what containerd hands portmap), or undefined. */
function hostPortsOf(want: PodRequest): PortMapping[] | undefined {
  let out: PortMapping[] | undefined;
  for (const c of want.spec.containers)
    for (const p of c.ports) {
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
 * EADDRINUSE and exits, holding none of its sockets, and is marked crash-looping (on `model`,
 * its container in the model, same index). A port a container declares twice is one socket (the
 * declaration is informational; one process binds).
 */
function containerSockets(spec: ContainerRequest[], model: ModelPod['containers'], owner: (name: string) => string): Socket[] {
  // The usual pod: one container with one port at most, its list made at its length.
  const only = spec.length === 1 ? spec[0] : undefined;
  if (only && only.ports.length <= 1) return only.ports.length ? [socketOf(owner(only.name), only.ports[0]!)] : [];
  const holder = new Map<string, string>();
  const opened: Socket[] = [];
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    const taken = c.ports.find((p) => (holder.get(portKey(p)) ?? c.name) !== c.name);
    if (taken) {
      const crashed = model[i]!;
      crashed.crashLoop = `${ADDRESS_IN_USE} (${taken.containerPort}/${taken.protocol ?? 'TCP'} is held by container ${holder.get(portKey(taken))})`;
      Object.assign(crashed, crashLoopStatus());
      continue;
    }
    for (const p of c.ports) {
      const k = portKey(p);
      if (holder.has(k)) continue;
      holder.set(k, c.name);
      opened.push(socketOf(owner(c.name), p));
    }
  }
  // Made at its length: a pushed list keeps spare room.
  return opened.slice();
}

function portKey(p: PortRequest): string {
  return `${p.protocol ?? 'TCP'}/${p.containerPort}`;
}

function containerName(name: string): string {
  return name;
}

/** True when a container of the pod keeps crashing: the pod is not Ready. */
function crashLooping(containers: ModelPod['containers']): boolean {
  return containers.some((c) => c.crashLoop !== undefined);
}

/** The listening socket a container port opens in the pod's namespace (owned by container `owner`). */
function socketOf(owner: string, p: PortRequest): Socket {
  return { protocol: p.protocol === 'UDP' ? 'udp' : p.protocol === 'SCTP' ? 'sctp' : 'tcp', port: p.containerPort, owner };
}

function hostNetworkPod(model: ClusterModel, node: ModelNode, want: PodRequest, ns: string, name: string): ModelPod {
  const host = model.netns.get(node.netns)!;
  const containers = containersOf(want);
  for (const s of containerSockets(want.spec.containers, containers, (c) => `${ns}/${name}/${c}`)) host.sockets.push(s);
  return { namespace: ns, name, node: node.name, ip: node.ip, netns: node.netns, labels: { ...(want.labels ?? {}) }, containers, hostNetwork: true, ready: want.ready && !crashLooping(containers), containerId: '', ...(want.owner ? { owner: want.owner } : {}), ...(want.terminating ? { terminating: true } : {}) };
}
