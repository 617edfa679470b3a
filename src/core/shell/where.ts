/**
 * Turns "where the user stands" into a network namespace, the way `kubectl exec` and
 * `kubectl debug node/NAME` find theirs, with their NotFound errors for a name that is not there.
 */
import type { ClusterModel, Netns } from '../model/types';
import type { Where } from './types';

export interface Place {
  netns: Netns;
  hostname: string;
  source: string;
}

export type PlaceResult = { ok: true; place: Place } | { ok: false; error: string };

/** Resolves `where`; the error is kubectl's text for a missing pod, container or node. */
export function resolveWhere(model: ClusterModel, where: Where): PlaceResult {
  if (where.kind === 'node') {
    const node = model.nodes.find((n) => n.name === where.name);
    const netns = node && model.netns.get(node.netns);
    if (!node || !netns) return { ok: false, error: `Error from server (NotFound): nodes "${where.name}" not found` };
    return { ok: true, place: { netns, hostname: node.name, source: `node/${node.name}` } };
  }
  const pod = model.pods.find((p) => p.namespace === where.namespace && p.name === where.name);
  const netns = pod && model.netns.get(pod.netns);
  if (!pod || !netns) return { ok: false, error: `Error from server (NotFound): pods "${where.name}" not found` };
  if (where.container && !pod.containers.some((c) => c.name === where.container)) {
    return { ok: false, error: `error: unable to upgrade connection: container not found ("${where.container}")` };
  }
  const source = `pod/${pod.namespace}/${pod.name}${where.container ? `/${where.container}` : ''}`;
  return { ok: true, place: { netns, hostname: pod.name, source } };
}

/** Parses `node/NAME`, `pod/NAME`, `pod/NS/NAME` or `pod/NS/NAME/CONTAINER`; undefined if malformed. */
export function parseWhere(ref: string): Where | undefined {
  const parts = ref.split('/');
  if (parts.some((p) => p === '')) return undefined;
  if (parts[0] === 'node' && parts.length === 2) return { kind: 'node', name: parts[1]! };
  if (parts[0] !== 'pod') return undefined;
  if (parts.length === 2) return { kind: 'pod', namespace: 'default', name: parts[1]! };
  if (parts.length === 3) return { kind: 'pod', namespace: parts[1]!, name: parts[2]! };
  if (parts.length === 4) return { kind: 'pod', namespace: parts[1]!, name: parts[2]!, container: parts[3]! };
  return undefined;
}

/** Every place a terminal can stand, for pickers: nodes first, then each pod's containers. */
export function listPlaces(model: ClusterModel): { label: string; where: Where }[] {
  const list: { label: string; where: Where }[] = model.nodes.map((n) => ({ label: `node/${n.name}`, where: { kind: 'node', name: n.name } }));
  for (const p of model.pods) {
    if (p.hostNetwork) continue;
    for (const c of p.containers) list.push({ label: `pod/${p.namespace}/${p.name}/${c.name}`, where: { kind: 'pod', namespace: p.namespace, name: p.name, container: c.name } });
  }
  return list;
}
