/**
 * `kubectl get` tables for the objects the core models, in kubectl's column layout. AGE is
 * `<unknown>`, as kubectl prints it for objects without a creation timestamp: the simulation
 * has no wall clock.
 */
import type { ClusterModel, ModelPod, PendingPod } from '../model/types';
import { renderTable } from './table';

export const KUBELET_VERSION = 'v1.33.1';

export interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  wide?: boolean;
}

function podRow(p: ModelPod | PendingPod, o: GetOptions): string[] {
  // A pod without a sandbox: no container started (READY 0/n), an empty podIP prints as <none>
  // and so does an empty nodeName (kubectl's printPod). STATUS is the waiting containers' reason
  // on a node (ContainerCreating); a pod no node took has no container status, so it shows its
  // phase, Pending.
  const pending = 'sandboxError' in p || 'unschedulable' in p;
  // A crash-looping container is Waiting (CrashLoopBackOff), which printPod shows as the STATUS,
  // and not ready; the others still run.
  const crashing = pending ? 0 : p.containers.filter((c) => c.crashLoop !== undefined).length;
  const readyCount = pending ? 0 : p.ready ? p.containers.length : crashing ? p.containers.length - crashing : 0;
  const ready = `${readyCount}/${p.containers.length}`;
  // A deletionTimestamp overrides the status (printPod: "Terminating") while the grace period runs.
  const status = 'unschedulable' in p ? 'Pending' : pending ? 'ContainerCreating' : p.terminating ? 'Terminating' : crashing ? 'CrashLoopBackOff' : 'Running';
  // RESTARTS sums the containers' restart counts (printPod). A real kubectl appends "(13s ago)"
  // from the last run's end; that needs a "now", which the simulation lacks, like AGE.
  let restarts = 0;
  if (!pending) for (const c of p.containers) restarts += c.restartCount ?? 0;
  const row = [p.name, ready, status, String(restarts), '<unknown>'];
  if (o.wide) row.push(pending ? '<none>' : p.ip, p.node ?? '<none>', '<none>', '<none>');
  return o.allNamespaces ? [p.namespace, ...row] : row;
}

export function renderGetPods(model: ClusterModel, o: GetOptions = {}): string {
  const ns = o.namespace ?? 'default';
  const all: (ModelPod | PendingPod)[] = model.pendingPods?.length ? [...model.pods, ...model.pendingPods] : model.pods;
  const pods = all.filter((p) => o.allNamespaces || p.namespace === ns).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  if (!pods.length) return o.allNamespaces ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(o.wide ? ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] : [])];
  return renderTable(o.allNamespaces ? ['NAMESPACE', ...header] : header, pods.map((p) => podRow(p, o)));
}

export function renderGetNodes(model: ClusterModel, o: GetOptions = {}): string {
  const header = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(o.wide ? ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'] : [])];
  const rows = model.nodes.map((n) => [n.name, n.ready ? 'Ready' : 'NotReady', '<none>', '<unknown>', KUBELET_VERSION, ...(o.wide ? [n.ip, '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-hopscope', 'containerd://1.7.24'] : [])]);
  return renderTable(header, rows);
}
