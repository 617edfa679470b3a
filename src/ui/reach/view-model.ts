/**
 * The Reachability view's pure logic (issue 8): the worker's `ReachMatrix` as rows of labelled
 * cells, the trace request that re-walks one cell exactly as the matrix probed it, the hop that
 * decided a flow's fate, and which NetworkPolicies select each pod (the canvas shields).
 *
 * No React, no store: everything here is a function of worker results, tested beside it.
 */
import type { Hop, ModelSummary } from '../../core/index';
import type { ReachCell, ReachMatrix } from '../../core/simulate/reach';
import type { PolicySummary } from '../../core/view/summary';
import { explainPolicyDrop } from '../../core/netpol/explain';
import type { TraceRequest } from '../../worker/protocol';

/** A cell's column: a pod's index, or the row pod's probe of the cluster DNS Service. */
export type ReachCol = number | 'dns';

export interface CellView {
  row: number;
  col: ReachCol;
  allowed: boolean;
  /** `.` or `X`, as `hopscope reach` prints it. */
  symbol: '.' | 'X';
  /** The accessible name: "default/a to default/b: allowed". */
  label: string;
  /** Why a denied cell failed (the policy sentence when a policy dropped it). */
  why?: string;
}

export interface RowView {
  pod: string;
  namespace: string;
  name: string;
  cells: CellView[];
  /** The row pod's DNS probe, when the cluster runs DNS. */
  dns?: CellView;
}

export interface ReachView {
  /** Column pods in matrix order (sorted by namespace, then name). */
  columns: { pod: string; namespace: string; name: string }[];
  /** Runs of columns sharing a namespace, for a grouped header. */
  groups: { namespace: string; span: number }[];
  rows: RowView[];
  /** `10.96.0.10:53/UDP`, when the rows carry DNS probes. */
  dnsTarget?: string;
  denied: number;
  total: number;
}

function split(pod: string): { namespace: string; name: string } {
  const i = pod.indexOf('/');
  return { namespace: pod.slice(0, i), name: pod.slice(i + 1) };
}

function why(c: ReachCell): string | undefined {
  if (c.allowed) return undefined;
  return c.explain ?? (c.reason === 'filtered' ? 'dropped on the way' : c.reason);
}

function cellView(c: ReachCell, row: number, col: ReachCol, from: string, to: string): CellView {
  const w = why(c);
  return { row, col, allowed: c.allowed, symbol: c.allowed ? '.' : 'X', label: `${from} to ${to}: ${c.allowed ? 'allowed' : 'denied'}`, ...(w ? { why: w } : {}) };
}

/** Column namespace runs: `[{default, 3}, {x, 2}]`. */
function groupsOf(columns: { namespace: string }[]): { namespace: string; span: number }[] {
  const out: { namespace: string; span: number }[] = [];
  for (const c of columns) {
    const last = out[out.length - 1];
    if (last?.namespace === c.namespace) last.span++;
    else out.push({ namespace: c.namespace, span: 1 });
  }
  return out;
}

/** The matrix as the view draws it; rows and columns keep the worker's (CLI's) order. */
export function reachView(m: ReachMatrix): ReachView {
  const columns = m.pods.map((pod) => ({ pod, ...split(pod) }));
  const dnsName = m.dns ? `kube-dns ${m.dns.target}` : '';
  let denied = 0;
  let total = 0;
  const rows = m.pods.map((pod, r) => {
    const cells = (m.cells[r] ?? []).map((c, k) => cellView(c, r, k, pod, m.pods[k]!));
    const d = m.dns?.cells[r];
    const dns = d ? cellView(d, r, 'dns', pod, dnsName) : undefined;
    for (const c of dns ? [...cells, dns] : cells) {
      total++;
      if (!c.allowed) denied++;
    }
    return { pod, ...split(pod), cells, ...(dns ? { dns } : {}) };
  });
  return { columns, groups: groupsOf(columns), rows, ...(m.dns ? { dnsTarget: m.dns.target } : {}), denied, total };
}

/**
 * The request that walks one cell again exactly as the matrix probed it: same endpoints,
 * protocol and flow index (`computeReachability` numbers probes row by row, then the DNS
 * probes after every pair), so the same ports and picks.
 */
export function probeRequest(m: ReachMatrix, row: number, col: ReachCol): TraceRequest | undefined {
  const from = m.pods[row];
  if (from === undefined) return undefined;
  const n = m.pods.length;
  if (col === 'dns') {
    if (!m.dns) return undefined;
    const target = m.dns.target.replace(/\/UDP$/, '');
    return { from: `pod/${from}`, to: target, protocol: 'UDP', index: n * n + row };
  }
  const to = m.pods[col];
  if (to === undefined) return undefined;
  return { from: `pod/${from}`, to: m.protocol === 'ICMP' ? `pod/${to}` : `pod/${to}:${m.port}`, protocol: m.protocol, index: row * n + col };
}

const DROPS = /-j (DROP|REJECT)\b/;

/**
 * The hop that decided a flow (an index into request hops followed by reply hops): the last
 * policy drop, else the last hop whose rule drops or rejects, else the last hop. -1 for none.
 */
export function decidingHop(hops: readonly Hop[]): number {
  for (let i = hops.length - 1; i >= 0; i--) if (explainPolicyDrop(hops[i]!.rule)) return i;
  for (let i = hops.length - 1; i >= 0; i--) {
    const r = hops[i]!.rule;
    if (r && DROPS.test(r.text)) return i;
  }
  return hops.length - 1;
}

export interface Shield {
  /** `namespace/name` of each policy selecting the pod. */
  policies: string[];
  /** Tooltip and accessible name. */
  label: string;
}

const shieldCache = new WeakMap<PolicySummary[], Map<string, Shield>>();

function shieldLabel(list: PolicySummary[], enforced: boolean): string {
  const names = list.map((p) => `${p.namespace}/${p.name} (${p.types.join(', ').toLowerCase()})`);
  const head = `Selected by NetworkPolicy ${names.join(', ')}`;
  return enforced ? head : `${head} — not enforced: this CNI runs no policy engine`;
}

/** Pod `NS/NAME` → its shield, for every pod at least one NetworkPolicy selects. Memoised per summary. */
export function shieldIndex(summary: Pick<ModelSummary, 'policies' | 'policyEngine'> | null): Map<string, Shield> | undefined {
  const policies = summary?.policies;
  if (!policies?.length) return undefined;
  let index = shieldCache.get(policies);
  if (index) return index;
  const byPod = new Map<string, PolicySummary[]>();
  for (const p of policies) for (const pod of p.selects) byPod.set(pod, [...(byPod.get(pod) ?? []), p]);
  const enforced = summary?.policyEngine !== 'none';
  index = new Map([...byPod].map(([pod, list]) => [pod, { policies: list.map((p) => `${p.namespace}/${p.name}`), label: shieldLabel(list, enforced) }]));
  shieldCache.set(policies, index);
  return index;
}
