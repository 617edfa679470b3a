/**
 * The process ids of a node that the container tools show and `nsenter -t PID` takes: for each
 * pod sandbox its containerd-shim, its pause process (which holds the pod's namespaces, spec
 * pod-networking.md §2) and the main process of each app container, which joins the pause
 * process's network namespace (containerd's runtime spec points it at /proc/PAUSE/ns/net).
 *
 * Real PIDs come from the kernel's counter as processes start, so on a node they grow with the
 * order the kubelet started the pods in: here they are laid out in the model's creation order,
 * from a base a booted node has reached, with seeded gaps (the other processes that started in
 * between). Deterministic per scenario and seed; unique per node. PID 1 is the node's init.
 */
import type { ClusterModel, ModelPod } from '../model/types';
import { createRng } from '../util/rng';

/** One process of a node that stands for a pod's sandbox or one of its containers. */
export interface PodProcess {
  pid: number;
  pod: ModelPod;
  /** The app container it runs, or undefined for the pause process. */
  container?: string;
}

/** The node's init: systemd on the kubeadm images the spec follows. */
export const INIT_PID = 1;

/** Where a freshly booted node's counter stands when the kubelet starts the first sandbox. */
const FIRST_PID = 1200;

function layout(model: ClusterModel, node: string): PodProcess[] {
  const rng = createRng(model.seed, 'pids', node);
  const list: PodProcess[] = [];
  let next = FIRST_PID + rng.int(0, 400);
  for (const pod of model.pods) {
    if (pod.node !== node) continue;
    // containerd-shim-runc-v2 first, then runc starts /pause a few PIDs later.
    const shim = next;
    const pause = shim + rng.int(18, 40);
    list.push({ pid: pause, pod });
    let pid = pause;
    for (const c of pod.containers) {
      // The image pull and runc create in between take some PIDs of their own.
      pid += rng.int(40, 160);
      list.push({ pid, pod, container: c.name });
    }
    next = pid + rng.int(30, 120);
  }
  return list;
}

/** The sandbox and container processes of `node`, by increasing PID (computed afresh: the pods may change). */
export function nodeProcesses(model: ClusterModel, node: string): PodProcess[] {
  return layout(model, node);
}

/** The process `pid` of `node`, if it stands for a sandbox or a container. */
export function findProcess(model: ClusterModel, node: string, pid: number): PodProcess | undefined {
  return nodeProcesses(model, node).find((p) => p.pid === pid);
}

/** The PID of a pod's pause process (`container` undefined) or of one of its containers. */
export function pidOf(model: ClusterModel, pod: ModelPod, container?: string): number | undefined {
  return nodeProcesses(model, pod.node).find((p) => p.pod === pod && p.container === container)?.pid;
}
