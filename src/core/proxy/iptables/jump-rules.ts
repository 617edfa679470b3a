/**
 * The rules kube-proxy keeps in the built-in chains (and the canary chains it watches), which
 * its restore text never contains.
 *
 * Read first: pkg/proxy/iptables/proxier.go (`iptablesJumpChains`, `iptablesKubeletJumpChains`,
 * the `EnsureChain`/`EnsureRule(Prepend, …)` loop of a full sync) and pkg/util/iptables/monitor.go
 * (canaries). kube-proxy inserts each missing jump at position 1, so on a node where nothing
 * created them first they end up in the reverse of the table's order; that final order is what
 * this module writes, with `-A`, because a restore text cannot say "insert if missing".
 */
import { quoted } from './restore-buffer';

/** One jump from a built-in chain into a kube-proxy chain. */
interface JumpRule {
  table: 'filter' | 'nat';
  from: string;
  to: string;
  comment: string;
  /** Words placed before the comment (kube-proxy's `extraArgs`). */
  extra: string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];

/** kube-proxy's table, in its order, then kubelet's KUBE-FIREWALL jumps (which it duplicates). */
const JUMPS: JumpRule[] = [
  {
    table: 'filter',
    from: 'INPUT',
    to: 'KUBE-EXTERNAL-SERVICES',
    comment: 'kubernetes externally-visible service portals',
    extra: NEW,
  },
  {
    table: 'filter',
    from: 'FORWARD',
    to: 'KUBE-EXTERNAL-SERVICES',
    comment: 'kubernetes externally-visible service portals',
    extra: NEW,
  },
  {
    table: 'filter',
    from: 'INPUT',
    to: 'KUBE-NODEPORTS',
    comment: 'kubernetes health check service ports',
    extra: [],
  },
  {
    table: 'filter',
    from: 'FORWARD',
    to: 'KUBE-SERVICES',
    comment: 'kubernetes service portals',
    extra: NEW,
  },
  {
    table: 'filter',
    from: 'OUTPUT',
    to: 'KUBE-SERVICES',
    comment: 'kubernetes service portals',
    extra: NEW,
  },
  {
    table: 'filter',
    from: 'FORWARD',
    to: 'KUBE-FORWARD',
    comment: 'kubernetes forwarding rules',
    extra: [],
  },
  {
    table: 'filter',
    from: 'INPUT',
    to: 'KUBE-PROXY-FIREWALL',
    comment: 'kubernetes load balancer firewall',
    extra: NEW,
  },
  {
    table: 'filter',
    from: 'OUTPUT',
    to: 'KUBE-PROXY-FIREWALL',
    comment: 'kubernetes load balancer firewall',
    extra: NEW,
  },
  {
    table: 'filter',
    from: 'FORWARD',
    to: 'KUBE-PROXY-FIREWALL',
    comment: 'kubernetes load balancer firewall',
    extra: NEW,
  },
  {
    table: 'nat',
    from: 'OUTPUT',
    to: 'KUBE-SERVICES',
    comment: 'kubernetes service portals',
    extra: [],
  },
  {
    table: 'nat',
    from: 'PREROUTING',
    to: 'KUBE-SERVICES',
    comment: 'kubernetes service portals',
    extra: [],
  },
  {
    table: 'nat',
    from: 'POSTROUTING',
    to: 'KUBE-POSTROUTING',
    comment: 'kubernetes postrouting rules',
    extra: [],
  },
  { table: 'filter', from: 'INPUT', to: 'KUBE-FIREWALL', comment: '', extra: [] },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-FIREWALL', comment: '', extra: [] },
];

/** Built-in chains in the order iptables-save lists them. */
const BUILTIN_ORDER = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** The chain kube-proxy's change monitor creates (empty) in mangle, nat and filter. */
export const KUBE_PROXY_CANARY = 'KUBE-PROXY-CANARY';

function ruleText(j: JumpRule): string {
  const comment = j.comment ? ['-m', 'comment', '--comment', quoted(j.comment)] : [];
  return ['-A', j.from, ...j.extra, ...comment, '-j', j.to].join(' ');
}

/** Lines of one table: canary and target chains declared, then the jumps in fresh-node order. */
function tableLines(table: 'filter' | 'nat'): string[] {
  const jumps = JUMPS.filter((j) => j.table === table);
  const targets = [...new Set(jumps.map((j) => j.to))];
  // Prepending each rule leaves them reversed; group per built-in chain as iptables-save does.
  const rules = [...jumps]
    .reverse()
    .sort((a, b) => BUILTIN_ORDER.indexOf(a.from) - BUILTIN_ORDER.indexOf(b.from));
  return [
    `*${table}`,
    ...[KUBE_PROXY_CANARY, ...targets].map((c) => `:${c} - [0:0]`),
    ...rules.map(ruleText),
    'COMMIT',
  ];
}

/**
 * kube-proxy's jump rules as restore text for `iptables-restore --noflush` (the same for both
 * families): `*mangle` (canary only), `*filter`, `*nat`. The chains it declares are created (or
 * flushed), so apply it BEFORE the sync text, as kube-proxy ensures its chains and jumps before
 * running iptables-restore.
 *
 * WARNING: applied after `syncIptablesRules`'s text it would flush KUBE-SERVICES and friends.
 */
export function kubeProxyJumpRules(): string {
  const lines = [
    '*mangle',
    `:${KUBE_PROXY_CANARY} - [0:0]`,
    'COMMIT',
    ...tableLines('filter'),
    ...tableLines('nat'),
  ];
  return `${lines.join('\n')}\n`;
}
