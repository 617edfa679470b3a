/**
 * What a NetworkPolicy means for the pods of a cluster: which pods it selects (and so isolates),
 * which pods a peer stands for, what a named port resolves to on each pod. These are the
 * facts a policy engine (Felix, …) turns into rules; the verdict on a packet is never computed
 * here but by the datapath evaluating those rules.
 *
 * Read first: the NetworkPolicy API reference ("Isolated and non-isolated Pods", "Behavior of
 * to and from selectors").
 */
import type { ModelPod } from '../model/types';
import type { Namespace } from '../k8s/types';
import type { Located } from '../scenario/types';
import type { Policy, PolicyPeer, PolicyProtocol, PolicyState } from './types';
import { NAMESPACE_NAME_LABEL } from './types';
import { matchSelector } from './selectors';

/**
 * Every namespace's labels: the declared Namespaces' own labels, and for every namespace a pod
 * or policy lives in; the apiserver adds `kubernetes.io/metadata.name: <name>` to each.
 */
export function namespaceLabels(
  declared: readonly Located<Namespace>[],
  used: Iterable<string>,
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const ns of ['default', 'kube-system', ...used]) out.set(ns, { [NAMESPACE_NAME_LABEL]: ns });
  for (const d of declared) {
    const name = d.value.metadata?.name;
    if (typeof name !== 'string') continue;
    const labels =
      d.value.metadata.labels && typeof d.value.metadata.labels === 'object'
        ? d.value.metadata.labels
        : {};
    out.set(name, { ...labels, [NAMESPACE_NAME_LABEL]: name });
  }
  return out;
}

/** Pods a policy engine can enforce on: they have their own network namespace and address. */
export function isPolicyPod(pod: ModelPod): boolean {
  return !pod.hostNetwork && pod.ip !== '';
}

/** True when `policy` selects `pod` (same namespace, pod selector matches). */
export function selectsPod(policy: Policy, pod: ModelPod): boolean {
  return (
    pod.namespace === policy.namespace &&
    isPolicyPod(pod) &&
    matchSelector(policy.podSelector, pod.labels)
  );
}

/** The policies that isolate `pod` for one direction, sorted by namespace/name (Calico's order for equal `order`). */
export function policiesFor(
  state: PolicyState,
  pod: ModelPod,
  dir: 'ingress' | 'egress',
): Policy[] {
  return state.policies
    .filter((p) => p[dir] !== undefined && selectsPod(p, pod))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The pods a `pods` peer stands for: a podSelector alone means pods of the policy's namespace;
 * a namespaceSelector alone means every pod of the matching namespaces; both together are
 * ANDed (matching pods in matching namespaces).
 */
export function peerPods(
  state: PolicyState,
  policy: Policy,
  peer: Extract<PolicyPeer, { kind: 'pods' }>,
  pods: readonly ModelPod[],
): ModelPod[] {
  return pods.filter((pod) => {
    if (!isPolicyPod(pod)) return false;
    if (peer.namespaceSelector === undefined) {
      if (pod.namespace !== policy.namespace) return false;
    } else if (!matchSelector(peer.namespaceSelector, state.namespaces.get(pod.namespace) ?? {}))
      return false;
    return matchSelector(peer.podSelector, pod.labels);
  });
}

/** The container port a named port resolves to on `pod` for `protocol` (the first container that declares it). */
export function resolveNamedPort(
  pod: ModelPod,
  name: string,
  protocol: PolicyProtocol,
): number | undefined {
  for (const c of pod.containers)
    for (const p of c.ports) if (p.name === name && p.protocol === protocol) return p.containerPort;
  return undefined;
}
