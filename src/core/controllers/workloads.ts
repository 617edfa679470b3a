/**
 * The workload controllers: a Deployment creates a ReplicaSet, a ReplicaSet creates
 * `replicas` pods, a DaemonSet one pod per node. Pods are created from the template with
 * generated names and an owner reference, as the controllers do.
 */
import type { DaemonSet, Deployment, Pod, PodTemplateSpec, ReplicaSet } from '../k8s/types';
import type { Located, SourcePos } from '../scenario/types';
import { podTemplateHash, randomSuffix } from './names';
import { copyWith } from '../util/copy-with';

export interface DesiredPod {
  pod: Pod;
  /** Where the object that caused this pod is in the text. */
  pos: SourcePos;
  owner?: string;
  /** DaemonSet pods are bound to a node by the controller. */
  boundNode?: string;
}

function fromTemplate(seed: number, template: PodTemplateSpec, namespace: string, name: string, labels: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    // copyWith rather than spreads: one shape for every replica's metadata (util/copy-with.ts).
    metadata: copyWith(template.metadata, { name, namespace, labels: copyWith(template.metadata?.labels, labels) }),
    spec: JSON.parse(JSON.stringify(template.spec)) as PodTemplateSpec['spec'],
  };
}

function replicaPods(seed: number, rsName: string, namespace: string, replicas: number, template: PodTemplateSpec, extraLabels: Record<string, string>, pos: SourcePos): DesiredPod[] {
  const out: DesiredPod[] = [];
  const used = new Set<string>();
  for (let i = 0; out.length < replicas; i++) {
    const name = `${rsName}-${randomSuffix(seed, 5, namespace, rsName, i)}`;
    if (used.has(name)) continue;
    used.add(name);
    out.push({ pod: fromTemplate(seed, template, namespace, name, extraLabels), pos, owner: `ReplicaSet/${rsName}` });
  }
  return out;
}

function replicasOf(n: number | undefined): number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? Math.min(n, 10000) : 1;
}

export function expandDeployment(seed: number, d: Located<Deployment>): DesiredPod[] {
  const ns = d.value.metadata.namespace ?? 'default';
  const name = d.value.metadata.name ?? 'deployment';
  if (!d.value.spec?.template?.spec) return [];
  const hash = podTemplateHash(seed, d.value.spec.template);
  return replicaPods(seed, `${name}-${hash}`, ns, replicasOf(d.value.spec.replicas), d.value.spec.template, { 'pod-template-hash': hash }, d.pos);
}

export function expandReplicaSet(seed: number, r: Located<ReplicaSet>): DesiredPod[] {
  const ns = r.value.metadata.namespace ?? 'default';
  if (!r.value.spec?.template?.spec) return [];
  return replicaPods(seed, r.value.metadata.name ?? 'replicaset', ns, replicasOf(r.value.spec.replicas), r.value.spec.template, {}, r.pos);
}

export function expandDaemonSet(seed: number, ds: Located<DaemonSet>, nodes: string[]): DesiredPod[] {
  const ns = ds.value.metadata.namespace ?? 'default';
  const name = ds.value.metadata.name ?? 'daemonset';
  if (!ds.value.spec?.template?.spec) return [];
  return nodes.map((node) => ({
    pod: fromTemplate(seed, ds.value.spec.template, ns, `${name}-${randomSuffix(seed, 5, ns, name, node)}`, {}),
    pos: ds.pos,
    owner: `DaemonSet/${name}`,
    boundNode: node,
  }));
}
