/**
 * `kubectl describe pod|node NAME` in kubectl's layout (pkg/describe/describe.go: field order,
 * a tabwriter with padding 2, `<none>` for empty maps, Events last). Dates are on the scenario's
 * timeline (k8s/timeline.ts: pods start at second 0, the Unix epoch); ages are `<unknown>`, as
 * the simulation has no "now".
 */
import type { ClusterModel, ModelContainer, ModelPod, PendingPod, UnscheduledPod } from '../model/types';
import { rfc1123z } from '../k8s/timeline';
import { tabwrite } from '../render/kubectl-services';
import { KUBELET_VERSION } from '../render/kubectl';

function labelLines(title: string, m: Record<string, string>): string[] {
  const keys = Object.keys(m).sort();
  if (!keys.length) return [`${title}:\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${title}:` : ''}\t${k}=${m[k]}`);
}

/**
 * describe.go describeContainerPorts / describeContainerHostPorts: `port/protocol`, the port's
 * name in brackets after it, joined by ", "; a port without a hostPort shows 0/TCP. The label is
 * plural when the text has a comma.
 */
function portLines(c: ModelContainer, hostNetwork: boolean): string[] {
  if (!c.ports.length) return ['    Port:\t<none>', '    Host Port:\t<none>'];
  const named = (port: number, p: ModelContainer['ports'][number]) => `${port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`;
  const ports = c.ports.map((p) => named(p.containerPort, p)).join(', ');
  // A hostNetwork pod's hostPorts default to its containerPorts (core/v1 defaults.go).
  const hostPorts = c.ports.map((p) => named(p.hostPort ?? (hostNetwork ? p.containerPort : 0), p)).join(', ');
  return [`    ${ports.includes(',') ? 'Ports' : 'Port'}:\t${ports}`, `    ${hostPorts.includes(',') ? 'Host Ports' : 'Host Port'}:\t${hostPorts}`];
}

/**
 * A started container's state lines (describe.go describeContainerState): a running one with
 * its start; a crash-looping one Waiting in CrashLoopBackOff, its previous run under Last State
 * (reason, exit code, start and end on the scenario's timeline), not Ready, and its restarts.
 */
function stateLines(c: ModelContainer, ready: boolean): string[] {
  if (c.crashLoop === undefined) return ['    State:\tRunning', `      Started:\t${rfc1123z(0)}`, `    Ready:\t${ready ? 'True' : 'False'}`, `    Restart Count:\t${c.restartCount ?? 0}`];
  const out = ['    State:\tWaiting', '      Reason:\tCrashLoopBackOff'];
  const last = c.lastTerminated;
  if (last) out.push('    Last State:\tTerminated', `      Reason:\t${last.reason}`, `      Exit Code:\t${last.exitCode}`, `      Started:\t${rfc1123z(last.startedAt)}`, `      Finished:\t${rfc1123z(last.finishedAt)}`);
  out.push('    Ready:\tFalse', `    Restart Count:\t${c.restartCount ?? 0}`);
  return out;
}

/**
 * Each container's lines. describe.go prints the State, Ready and Restart Count lines only for a
 * container with a status: a pod no node took has none (`unscheduled`), as no kubelet saw it.
 */
function containerLines(p: ModelPod | PendingPod, pending: boolean, unscheduled: boolean): string[] {
  const out = ['Containers:'];
  // A pod kept from Ready only by a crash-looping container still has its other containers ready.
  const othersReady = !pending && ((p as ModelPod).ready || p.containers.some((c) => c.crashLoop !== undefined));
  for (const c of p.containers) {
    out.push(`  ${c.name}:`, `    Image:\t${c.image}`, ...portLines(c, 'hostNetwork' in p && p.hostNetwork));
    if (unscheduled) out.push('    Environment:\t<none>');
    else {
      // describe.go describeContainerState: a waiting container's reason on the next level.
      if (pending) out.push('    State:\tWaiting', '      Reason:\tContainerCreating', '    Ready:\tFalse', '    Restart Count:\t0');
      else out.push(...stateLines(c, othersReady));
      out.push('    Environment:\t<none>');
    }
  }
  return out;
}

/** The not-ready and unreachable tolerations the DefaultTolerationSeconds admission adds to every pod. */
const TOLERATIONS = ['Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s', '\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s'];

const EVENTS_HEAD = ['Events:', '  Type\tReason\tAge\tFrom\tMessage', '  ----\t------\t----\t----\t-------'];

/**
 * `kubectl describe pod NAME`; null when there is no such pod. A pod whose sandbox failed is
 * Pending with no IP (IPs: <none>), its containers waiting in ContainerCreating, and the
 * kubelet's FailedCreatePodSandBox event under Events (describe.go DescribeEvents). A pod no node
 * took is Pending with `Node: <none>` and no Start Time (no kubelet started it), its only
 * condition PodScheduled False, and the scheduler's FailedScheduling event.
 */
export function renderDescribePod(model: ClusterModel, name: string, namespace: string): string | null {
  const p: ModelPod | PendingPod | undefined = model.pods.find((x) => x.name === name && x.namespace === namespace) ?? model.pendingPods?.find((x) => x.name === name && x.namespace === namespace);
  if (!p) return null;
  if ('unschedulable' in p) return describeUnscheduled(p);
  const pending = 'sandboxError' in p;
  const node = model.nodes.find((n) => n.name === p.node);
  const ready = !pending && p.ready ? 'True' : 'False';
  const lines = [`Name:\t${p.name}`, `Namespace:\t${p.namespace}`, 'Priority:\t0', 'Service Account:\tdefault', `Node:\t${p.node}/${node?.ip ?? ''}`, `Start Time:\t${rfc1123z(0)}`, ...labelLines('Labels', p.labels), 'Annotations:\t<none>'];
  if (pending) lines.push('Status:\tPending', 'IP:\t', 'IPs:\t<none>');
  else lines.push('Status:\tRunning', `IP:\t${p.ip}`, 'IPs:', `  IP:\t${p.ip}`);
  if (p.owner) lines.push(`Controlled By:\t${p.owner}`);
  lines.push(...containerLines(p, pending, false));
  lines.push('Conditions:', '  Type\tStatus', `  PodReadyToStartContainers \t${pending ? 'False' : 'True'} `, '  Initialized \tTrue ', `  Ready \t${ready} `, `  ContainersReady \t${ready} `, '  PodScheduled \tTrue ');
  lines.push('QoS Class:\tBestEffort', 'Node-Selectors:\t<none>', ...TOLERATIONS);
  if (pending) lines.push(...EVENTS_HEAD, `  Warning\tFailedCreatePodSandBox\t<unknown>\tkubelet\t${p.sandboxError}`);
  else lines.push('Events:\t<none>');
  return tabwrite(lines);
}

function describeUnscheduled(p: UnscheduledPod): string {
  const lines = [`Name:\t${p.name}`, `Namespace:\t${p.namespace}`, 'Priority:\t0', 'Service Account:\tdefault', 'Node:\t<none>', ...labelLines('Labels', p.labels), 'Annotations:\t<none>'];
  lines.push('Status:\tPending', 'IP:\t', 'IPs:\t<none>');
  if (p.owner) lines.push(`Controlled By:\t${p.owner}`);
  lines.push(...containerLines(p, true, true));
  lines.push('Conditions:', '  Type\tStatus', '  PodScheduled \tFalse ');
  lines.push('QoS Class:\tBestEffort', ...labelLines('Node-Selectors', p.nodeSelector ?? {}), ...TOLERATIONS);
  lines.push(...EVENTS_HEAD, `  Warning\tFailedScheduling\t<unknown>\tdefault-scheduler\t${p.unschedulable}`);
  return tabwrite(lines);
}

/** `kubectl describe node NAME`; null when there is no such node. */
export function renderDescribeNode(model: ClusterModel, name: string): string | null {
  const n = model.nodes.find((x) => x.name === name);
  if (!n) return null;
  const labels = { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...n.labels };
  // Non-terminated pods: those waiting for a sandbox count too.
  const pods: (ModelPod | PendingPod)[] = model.pods.filter((p) => p.node === n.name);
  for (const p of model.pendingPods ?? []) if (p.node === n.name) pods.push(p);
  const lines = [`Name:\t${n.name}`, 'Roles:\t<none>', ...labelLines('Labels', labels), 'CreationTimestamp:\t<unknown>', 'Taints:\t<none>', 'Unschedulable:\tfalse'];
  lines.push('Conditions:', '  Type\tStatus\tReason\tMessage', '  ----\t------\t------\t-------', `  Ready\t${n.ready ? 'True' : 'Unknown'}\t${n.ready ? 'KubeletReady' : 'NodeStatusUnknown'}\t${n.ready ? 'kubelet is posting ready status' : 'Kubelet stopped posting node status.'}`);
  lines.push('Addresses:', `  InternalIP:\t${n.ip}`, `  Hostname:\t${n.name}`, 'System Info:', '  Kernel Version:\t6.1.0-hopscope', '  OS Image:\tDebian GNU/Linux 12 (bookworm)', '  Container Runtime Version:\tcontainerd://1.7.24', `  Kubelet Version:\t${KUBELET_VERSION}`);
  if (n.podCIDR) lines.push(`PodCIDR:\t${n.podCIDR}`, `PodCIDRs:\t${n.podCIDR}`);
  lines.push(`Non-terminated Pods:\t(${pods.length} in total)`, '  Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge', '  ---------\t----\t------------\t----------\t---------------\t-------------\t---');
  for (const p of pods) lines.push(`  ${p.namespace}\t${p.name}\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t<unknown>`);
  lines.push('Events:\t<none>');
  return tabwrite(lines);
}
