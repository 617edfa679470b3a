/**
 * The reachability matrix (issue 8): every pod to every pod on one port and protocol, each cell
 * a real flow traced through the model (`traceFlow`) — the policy engine's rules decide, not a
 * separate evaluator. A cell is allowed when the request is delivered to a socket and the reply
 * gets back to the client.
 *
 * Probes are fresh connections: the walk runs against empty conntrack tables (so an earlier
 * probe or trace cannot make a new one ESTABLISHED), which are put back afterwards. Counters,
 * learned FDB entries and neighbours change as real traffic would change them.
 *
 * The diagonal is a pod reaching its own IP, which never leaves its network namespace: always
 * allowed (upstream's e2e suite does not grade it either).
 *
 * Rows and columns are the pods of every namespace but `kube-system` (where the cluster's add-ons
 * such as CoreDNS run) unless namespaces are named. DNS is probed apart: when the cluster has the
 * `kube-system/kube-dns` Service, each row pod also sends a UDP/53 datagram to its ClusterIP
 * (through kube-proxy, as a lookup does), so an egress policy that forgets DNS shows up.
 */
import type { ClusterModel, ModelPod } from '../model/types';
import type { Flow, Hop } from '../trace/types';
import { traceFlow } from './flow';
import type { ConntrackTable } from '../netfilter/conntrack';
import { explainPolicyDrop, ruleComments } from '../netpol/explain';

export interface ReachOptions {
  /** Destination port (not used for ICMP). Default 80. */
  port?: number;
  /** Default TCP. */
  protocol?: 'TCP' | 'UDP' | 'ICMP' | 'SCTP';
  /** Only pods of these namespaces (rows and columns). Default: every namespace. */
  namespaces?: readonly string[];
  /** Overrides the cluster's seed. */
  seed?: number;
  /** Probe UDP/53 to the kube-dns Service from every row pod (default true when it exists). */
  dns?: boolean;
}

/**
 * How a probe ended. Only `policy` is what a NetworkPolicy truth table calls blocked; a port
 * nothing listens on is `refused` (the kernel answers, so the client fails at once), and any
 * other loss is `dropped` (the client hears nothing and times out).
 */
export type ReachOutcome = 'allowed' | 'policy' | 'refused' | 'dropped';

/** The mark `hopscope reach` prints for each outcome and the legend line that explains it. */
export const REACH_MARKS: Readonly<Record<ReachOutcome, { mark: string; legend: string }>> = {
  allowed: { mark: '.', legend: 'allowed: the request reached a listening socket and the reply came back' },
  policy: { mark: 'X', legend: 'denied by a NetworkPolicy (the policy engine dropped it)' },
  refused: { mark: 'R', legend: 'refused: nothing listens on that port (TCP RST, SCTP ABORT or ICMP port unreachable)' },
  dropped: { mark: '-', legend: 'dropped for another reason (no route, a rule other than a policy, a lost reply): the client times out' },
};

export interface ReachCell {
  allowed: boolean;
  outcome: ReachOutcome;
  /** Why a denied cell failed: `filtered`, `connection-refused`, `port-unreachable`, `no-route`, `reply: …`. */
  reason?: string;
  /** For a policy drop: which policy engine rule and why (see `explainPolicyDrop`). */
  explain?: string;
}

export interface ReachMatrix {
  /** `namespace/name` of rows and columns, sorted by namespace then name. */
  pods: string[];
  port: number;
  protocol: 'TCP' | 'UDP' | 'ICMP' | 'SCTP';
  /** `cells[row][column]`: row = source (client), column = destination (server). */
  cells: ReachCell[][];
  /** Each row pod's UDP/53 probe of the cluster DNS Service, when there is one. */
  dns?: { target: string; cells: ReachCell[] };
}

export type ReachResult = { ok: true; matrix: ReachMatrix } | { ok: false; error: string };

function byName(a: ModelPod, b: ModelPod): number {
  return a.namespace < b.namespace
    ? -1
    : a.namespace > b.namespace
      ? 1
      : a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0;
}

const SYSTEM_NAMESPACE = 'kube-system';

/** The ClusterIP of `kube-system/kube-dns`, if the cluster runs DNS. */
function clusterDnsIp(model: ClusterModel): string | undefined {
  const svc = model.services.find(
    (s) => s.metadata.name === 'kube-dns' && s.metadata.namespace === SYSTEM_NAMESPACE,
  );
  const ip = svc?.spec?.clusterIP;
  return ip && ip !== 'None' ? ip : undefined;
}

/**
 * The policy engine's sentence for the hop that dropped a walk, and whether that rule is the
 * default deny of a pod a NetworkPolicy isolates (Felix's "Drop if no policies passed packet")
 * rather than another drop of the engine's (an unmanaged interface, INVALID, no profile).
 */
function dropExplain(hops: readonly Hop[]): { explain: string; networkPolicy: boolean } | undefined {
  for (let i = hops.length - 1; i >= 0; i--) {
    const rule = hops[i]!.rule;
    const explain = explainPolicyDrop(rule);
    if (explain) return { explain, networkPolicy: ruleComments(rule!.text).includes('Drop if no policies passed packet') };
  }
  return undefined;
}

const REFUSED: ReadonlySet<string> = new Set(['connection-refused', 'port-unreachable']);

function cellOf(f: Flow): ReachCell {
  if (f.verdict === 'delivered') return { allowed: true, outcome: 'allowed' };
  const drop = dropExplain(f.reply?.verdict === 'dropped' ? f.reply.hops : f.hops);
  const outcome: ReachOutcome = drop?.networkPolicy ? 'policy' : f.reason && REFUSED.has(f.reason) ? 'refused' : 'dropped';
  return {
    allowed: false,
    outcome,
    ...(f.reason ? { reason: f.reason } : {}),
    ...(drop ? { explain: drop.explain } : {}),
  };
}

/** Traces every ordered pair of pods; never throws. */
export function computeReachability(model: ClusterModel, opts: ReachOptions = {}): ReachResult {
  const port = opts.port ?? 80;
  const protocol = opts.protocol ?? 'TCP';
  if (protocol !== 'ICMP' && (!Number.isInteger(port) || port < 1 || port > 65535))
    return { ok: false, error: `port ${port} is not between 1 and 65535` };
  const wanted = opts.namespaces?.length ? new Set(opts.namespaces) : undefined;
  const pods = model.pods
    .filter((p) => p.ip && (wanted ? wanted.has(p.namespace) : p.namespace !== SYSTEM_NAMESPACE))
    .sort(byName);
  const dnsIp = opts.dns === false ? undefined : clusterDnsIp(model);
  // Every netns starts the matrix with no connections (a fresh table is created on first use).
  const saved = new Map<string, ConntrackTable | undefined>();
  for (const ns of model.netns.values()) {
    saved.set(ns.id, ns.conntrack);
    delete ns.conntrack;
  }
  try {
    const cells: ReachCell[][] = [];
    let index = 0;
    for (const src of pods) {
      const row: ReachCell[] = [];
      for (const dst of pods) {
        const to =
          protocol === 'ICMP'
            ? `pod/${dst.namespace}/${dst.name}`
            : `pod/${dst.namespace}/${dst.name}:${port}`;
        const r = traceFlow(
          model,
          { from: `pod/${src.namespace}/${src.name}`, to, protocol },
          {
            index: index++,
            ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          },
        );
        row.push(r.ok ? cellOf(r.flow) : { allowed: false, outcome: 'dropped', reason: r.error });
      }
      cells.push(row);
    }
    const matrix: ReachMatrix = {
      pods: pods.map((p) => `${p.namespace}/${p.name}`),
      port,
      protocol,
      cells,
    };
    if (dnsIp) {
      const target = `${dnsIp}:53`;
      const dns = pods.map((src) => {
        const r = traceFlow(
          model,
          {
            from: `pod/${src.namespace}/${src.name}`,
            to: target,
            protocol: 'UDP',
          },
          {
            index: index++,
            ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          },
        );
        return r.ok ? cellOf(r.flow) : { allowed: false, outcome: 'dropped' as const, reason: r.error };
      });
      matrix.dns = { target: `${target}/UDP`, cells: dns };
    }
    return { ok: true, matrix };
  } finally {
    for (const ns of model.netns.values()) {
      const ct = saved.get(ns.id);
      if (ct) ns.conntrack = ct;
      else if (saved.has(ns.id)) delete ns.conntrack;
    }
  }
}

/**
 * The matrix as text: a header naming the columns, then one line per source pod — its
 * `namespace/name`, then one mark per column (REACH_MARKS: `.` allowed, `X` denied by a
 * NetworkPolicy, `R` refused, `-` dropped otherwise), separated by spaces. Where only policy
 * decides, this is the `.`/`X` truth table of upstream's NetworkPolicy e2e tests.
 */
export function renderReachMatrix(m: ReachMatrix): string {
  const lines = [m.pods.join(' ')];
  m.cells.forEach((row, i) =>
    lines.push(`${m.pods[i]!} ${row.map((c) => REACH_MARKS[c.outcome].mark).join(' ')}`),
  );
  return lines.join('\n') + '\n';
}

/** One `MARK  meaning` line per outcome, in REACH_MARKS order: the key to the matrix. */
export function renderReachLegend(): string {
  return (Object.values(REACH_MARKS) as { mark: string; legend: string }[]).map((x) => `${x.mark}  ${x.legend}\n`).join('');
}

/** One line about DNS: every row pod reaches the DNS Service, or which do not and why; undefined without DNS. */
export function renderReachDns(m: ReachMatrix): string | undefined {
  if (!m.dns) return undefined;
  const denied = m.dns.cells.map((c, i) => ({ c, pod: m.pods[i]! })).filter((x) => !x.c.allowed);
  if (!denied.length) return `dns: every pod reaches kube-dns ${m.dns.target}`;
  const why = (denied[0]!.c.explain ?? denied[0]!.c.reason ?? 'dropped').replace(/\.$/, '');
  return `dns: ${denied.length} of ${m.pods.length} pods cannot reach kube-dns ${m.dns.target}, so their name lookups fail: ${denied.map((x) => x.pod).join(' ')} (first: ${why})`;
}
