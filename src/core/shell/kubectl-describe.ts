/**
 * `kubectl describe pod|node NAME` in kubectl's layout (pkg/describe/describe.go: field order,
 * a tabwriter with padding 2, `<none>` for empty maps, Events last). Times are `<unknown>`: the
 * simulation has no wall clock.
 */
import type { ClusterModel, ModelPod, PendingPod, UnscheduledPod } from '../model/types';
import { tabwrite } from '../render/kubectl-services';
import { KUBELET_VERSION } from '../render/kubectl';

function labelLines(title: string, m: Record<string, string>): string[] {
  const keys = Object.keys(m).sort();
  if (!keys.length) return [`${title}:\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${title}:` : ''}\t${k}=${m[k]}`);
}

/**
 * Each container's lines. describe.go prints the State, Ready and Restart Count lines only for a
 * container with a status: a pod no node took has none (`unscheduled`), as no kubelet saw it.
 */
function containerLines(p: ModelPod | PendingPod, pending: boolean, unscheduled: boolean): string[] {
  const out = ['Containers:'];
  for (const c of p.containers) {
    out.push(`  ${c.name}:`, `    Image:\t${c.image}`);
    if (c.ports.length) out.push(`    Port${c.ports.length > 1 ? 's' : ''}:\t${c.ports.map((x) => `${x.containerPort}/${x.protocol}`).join(', ')}`, `    Host Port${c.ports.length > 1 ? 's' : ''}:\t${c.ports.map((x) => `0/${x.protocol}`).join(', ')}`);
    else out.push('    Port:\t<none>', '    Host Port:\t<none>');
    // describe.go describeContainerState: a waiting container's reason on the next level.
    if (unscheduled) out.push('    Environment:\t<none>');
    else {
      if (pending) out.push('    State:\tWaiting', '      Reason:\tContainerCreating', '    Ready:\tFalse');
      else out.push('    State:\tRunning', `    Ready:\t${(p as ModelPod).ready ? 'True' : 'False'}`);
      out.push('    Restart Count:\t0', '    Environment:\t<none>');
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
  const lines = [`Name:\t${p.name}`, `Namespace:\t${p.namespace}`, 'Priority:\t0', 'Service Account:\tdefault', `Node:\t${p.node}/${node?.ip ?? ''}`, 'Start Time:\t<unknown>', ...labelLines('Labels', p.labels), 'Annotations:\t<none>'];
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
