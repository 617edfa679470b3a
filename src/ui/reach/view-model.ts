/**
 * The Reachability view's pure logic (issue 8): the worker's `ReachMatrix` as rows of labelled
 * cells, the trace request that re-walks one cell exactly as the matrix probed it, the hop that
 * decided a flow's fate, and which NetworkPolicies select each pod (the canvas shields).
 *
 * No React, no store: everything here is a function of worker results, tested beside it.
 */
import type { Hop, ModelSummary } from '../../core/index';
import type { ReachCell, ReachMatrix, ReachOutcome } from '../../core/simulate/reach';
import { REACH_MARKS } from '../../core/simulate/reach';
import type { PolicySummary } from '../../core/view/summary';
import type { DropReason } from '../../core/trace/types';
import { explainPolicyDrop } from '../../core/netpol/explain';
import type { TraceRequest } from '../../worker/protocol';

/** A cell's column: a pod's index, or the row pod's probe of the cluster DNS Service. */
export type ReachCol = number | 'dns';

export interface CellView {
  row: number;
  col: ReachCol;
  allowed: boolean;
  outcome: ReachOutcome;
  /** The mark `hopscope reach` prints: `.`, `X`, `R` or `-`. */
  symbol: string;
  /** The accessible name, naming the outcome: "default/a to default/b: denied by a NetworkPolicy". */
  label: string;
  /** Why a cell that is not allowed failed (the policy sentence when a policy dropped it). */
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
  /** Cells not allowed, whatever the cause. */
  denied: number;
  /** Cells per outcome. */
  counts: Record<ReachOutcome, number>;
  total: number;
}

function split(pod: string): { namespace: string; name: string } {
  const i = pod.indexOf('/');
  return { namespace: pod.slice(0, i), name: pod.slice(i + 1) };
}

/**
 * A drop reason in words. Typed over every DropReason but the three the reach cell words
 * itself (policy, and the two refusals), so a new reason in the walker cannot reach the grid
 * as a bare code.
 */
const DROP_REASONS: Record<Exclude<DropReason, 'policy' | 'port-unreachable' | 'connection-refused'>, string> = {
  filtered: 'a netfilter rule dropped it',
  reject: 'a netfilter rule rejected it',
  'no-route': 'no route to the destination',
  'arp-failed': 'the next hop did not answer ARP',
  'ttl-exceeded': 'the TTL ran out (a routing loop?)',
  loop: 'the packet went round in a loop',
  unreachable: 'the destination is unreachable',
  'forwarding-disabled': 'IP forwarding is off on the way',
  'mtu-exceeded': 'too big for the path MTU',
  'no-endpoints': 'the Service has no endpoints',
  'not-for-us': 'no host on the way accepts the address',
  'martian-source': 'it came back to a host with its own address as the source (a martian)',
};

/** What a refusal looks like on the wire, by the probe's protocol. */
function refusal(c: ReachCell, protocol: string): string {
  if (c.reason === 'port-unreachable') return 'nothing listens on that port: the kernel answers ICMP port unreachable';
  if (protocol === 'SCTP') return 'nothing listens on that port: the kernel answers the INIT with an ABORT';
  return 'nothing listens on that port: the kernel answers with a TCP RST';
}

function dropText(c: ReachCell): string {
  return (c.reason && (DROP_REASONS as Record<string, string>)[c.reason]) ?? c.reason ?? 'dropped on the way';
}

/** The accessible name's verdict: what happened, with the reason a plain drop had. */
function outcomeText(c: ReachCell): string {
  switch (c.outcome) {
    case 'allowed':
      return 'allowed';
    case 'policy':
      return 'denied by a NetworkPolicy';
    case 'refused':
      return 'refused, nothing listens';
    case 'dropped':
      return `dropped (${dropText(c)})`;
  }
}

function why(c: ReachCell, protocol: string): string | undefined {
  if (c.outcome === 'allowed') return undefined;
  if (c.outcome === 'refused') return refusal(c, protocol);
  return c.explain ?? dropText(c);
}

function cellView(c: ReachCell, row: number, col: ReachCol, from: string, to: string, protocol: string): CellView {
  const w = why(c, protocol);
  return { row, col, allowed: c.allowed, outcome: c.outcome, symbol: REACH_MARKS[c.outcome].mark, label: `${from} to ${to}: ${outcomeText(c)}`, ...(w ? { why: w } : {}) };
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
  const counts: Record<ReachOutcome, number> = { allowed: 0, policy: 0, refused: 0, dropped: 0 };
  const rows = m.pods.map((pod, r) => {
    const cells = (m.cells[r] ?? []).map((c, k) => cellView(c, r, k, pod, m.pods[k]!, m.protocol));
    const d = m.dns?.cells[r];
    const dns = d ? cellView(d, r, 'dns', pod, dnsName, 'UDP') : undefined;
    for (const c of dns ? [...cells, dns] : cells) {
      total++;
      counts[c.outcome]++;
      if (!c.allowed) denied++;
    }
    return { pod, ...split(pod), cells, ...(dns ? { dns } : {}) };
  });
  return { columns, groups: groupsOf(columns), rows, ...(m.dns ? { dnsTarget: m.dns.target } : {}), denied, counts, total };
}

/** "5 of 12 denied", then the refused and dropped cells when there are any: "· 3 refused · 1 dropped". */
export function outcomeCounts(v: Pick<ReachView, 'counts' | 'total'>): string {
  const { policy, refused, dropped } = v.counts;
  return `${policy} of ${v.total} denied${refused ? ` · ${refused} refused` : ''}${dropped ? ` · ${dropped} dropped` : ''}`;
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
