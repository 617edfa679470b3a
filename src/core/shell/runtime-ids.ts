/**
 * The ids containerd gives what it runs, as crictl and `crictl inspect` print them: a pod's
 * sandbox id (the CNI_CONTAINERID its plugin got), each container's id, and the image id (the
 * sha256 digest the kubelet passes on). Derived from the seed, so stable per scenario.
 */
import type { ClusterModel, ModelContainer, ModelPod } from '../model/types';
import { hexId } from '../util/rng';

/** The sandbox id: the one CNI got as CNI_CONTAINERID (hostNetwork pods get one too, without CNI). */
export function sandboxId(model: ClusterModel, pod: ModelPod): string {
  return pod.containerId || hexId(model.seed, 64, 'sandbox', `${pod.namespace}/${pod.name}`);
}

/** An app container's id. */
export function containerId(model: ClusterModel, pod: ModelPod, container: string): string {
  return hexId(model.seed, 64, 'container', `${pod.namespace}/${pod.name}`, container);
}

/** The image's id (a sha256 digest's hex). */
export function imageId(model: ClusterModel, container: ModelContainer): string {
  return hexId(model.seed, 64, 'image', container.image);
}
