/**
 * A static tracer over kube-proxy's restore text, the one upstream's packet-flow tests use
 * (proxier_test.go `tracePacket`; README of the oracle fixtures, "Packet flows"). It checks what
 * the rules mean without a datapath: no conntrack, routing or hooks, nat KUBE-SERVICES then the
 * filter chains, every endpoint a random choice could pick. It is a semantic oracle for tests
 * and lessons, not a packet walker: the netfilter engine is the real evaluator.
 */
import { cidrContains, parseCidr, parseIp } from './addr';
import type { ParsedTable } from './restore-text';
import { findChain, parseRestoreText, splitRuleWords } from './restore-text';

/** The packet to trace. */
export interface FlowQuery {
  sourceIP: string;
  /** `TCP`, `UDP`, `SCTP` (any case). */
  protocol: string;
  destIP: string;
  destPort: number;
}

/** What the rules do with it. */
export interface FlowTrace {
  /** DNAT destinations and verdicts in order, joined by `", "` ('' when nothing matched). */
  output: string;
  /** KUBE-MARK-MASQ was reached on some walked path. */
  masq: boolean;
  /** Every matching rule with a target, in walk order (for debugging). */
  matched: string[];
}

/** The parts of a rule the tracer looks at. */
interface RuleView {
  src?: { value: string; negated: boolean };
  dst?: { value: string; negated: boolean };
  proto?: string;
  dport?: string;
  srcType?: { value: string; negated: boolean };
  dstType?: { value: string; negated: boolean };
  jump?: string;
  dnatTo?: string;
  probability: boolean;
  /** `--rcheck`, `--mark` or `--ctstate`: history the tracer cannot know, so never matches. */
  stateful: boolean;
}

/** Options that take no value (everything else starting with `-` takes one). */
const NO_VALUE_FLAGS = new Set([
  '--set',
  '--rcheck',
  '--reap',
  '--update',
  '--remove',
  '--rsource',
  '--rdest',
  '--random-fully',
  '--random',
]);

function viewRule(rule: string): RuleView {
  const v: RuleView = { probability: false, stateful: false };
  const w = splitRuleWords(rule).slice(2); // drop `-A CHAIN`
  for (let i = 0, negated = false; i < w.length; i++) {
    const opt = w[i] ?? '';
    if (opt === '!') {
      negated = true;
      continue;
    }
    const val = NO_VALUE_FLAGS.has(opt) ? '' : (w[++i] ?? '');
    if (opt === '-s') v.src = { value: val, negated };
    else if (opt === '-d') v.dst = { value: val, negated };
    else if (opt === '-p') v.proto = val;
    else if (opt === '--dport') v.dport = val;
    else if (opt === '--src-type') v.srcType = { value: val, negated };
    else if (opt === '--dst-type') v.dstType = { value: val, negated };
    else if (opt === '-j') v.jump = val;
    else if (opt === '--to-destination') v.dnatTo = val;
    else if (opt === '--probability') v.probability = true;
    else if (opt === '--rcheck' || opt === '--mark' || opt === '--ctstate') v.stateful = true;
    negated = false;
  }
  return v;
}

function addressMatches(ipText: string, sel: { value: string; negated: boolean }): boolean {
  const ip = parseIp(ipText);
  let matches = false;
  if (ip && sel.value.includes('/')) {
    const cidr = parseCidr(sel.value);
    matches = cidr !== null && cidrContains(cidr, ip);
  } else if (ip) {
    matches = parseIp(sel.value)?.text === ip.text;
  }
  return matches !== sel.negated;
}

interface Walk {
  tables: ParsedTable[];
  local: Set<string>;
  q: FlowQuery & { protocol: string };
  outputs: string[];
  matched: string[];
  masq: boolean;
}

function typeMatches(
  walk: Walk,
  ipText: string,
  sel: { value: string; negated: boolean },
): boolean {
  const kind = walk.local.has(parseIp(ipText)?.text ?? ipText) ? 'LOCAL' : 'not-matched';
  return (kind === sel.value) !== sel.negated;
}

function ruleMatches(walk: Walk, r: RuleView, destIP: string): boolean {
  const q = walk.q;
  if (r.src && !addressMatches(q.sourceIP, r.src)) return false;
  if (r.srcType && !typeMatches(walk, q.sourceIP, r.srcType)) return false;
  if (r.proto !== undefined && r.proto !== q.protocol) return false;
  if (r.dst && !addressMatches(destIP, r.dst)) return false;
  if (r.dstType && !typeMatches(walk, destIP, r.dstType)) return false;
  if (r.dport !== undefined && r.dport !== String(q.destPort)) return false;
  return !r.stateful;
}

/** Walks one chain; true if it ended on a recorded verdict or DNAT. */
function runChain(walk: Walk, table: string, chain: string, destIP: string): boolean {
  for (const rule of findChain(walk.tables, table, chain)?.rules ?? []) {
    const r = viewRule(rule);
    if (!r.jump || !ruleMatches(walk, r, destIP)) continue;
    walk.matched.push(rule);
    if (r.jump === 'KUBE-MARK-MASQ') {
      walk.masq = true;
    } else if (r.jump === 'ACCEPT' || r.jump === 'REJECT' || r.jump === 'DROP') {
      walk.outputs.push(r.jump);
      return true;
    } else if (r.jump === 'DNAT') {
      walk.outputs.push(r.dnatTo ?? '');
      return true;
    } else if (runChain(walk, table, r.jump, destIP) && !r.probability) {
      // A probabilistic jump goes on, so that every endpoint the dice could pick is recorded.
      return true;
    }
  }
  return false;
}

/** The IP part of a DNAT destination (`10.180.0.1:80` → `10.180.0.1`, `[fd00::1]:80` → `fd00::1`). */
function hostOf(destination: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(destination);
  if (bracketed) return bracketed[1] ?? '';
  return destination.split(':')[0] ?? '';
}

/**
 * Traces a packet through kube-proxy's rules statically. `nodeIPs` (plus 127.0.0.1 and ::1) are
 * the LOCAL addresses. Never throws; unknown chains are simply empty.
 */
export function traceFlow(restoreText: string, nodeIPs: string[], query: FlowQuery): FlowTrace {
  const local = new Set(['127.0.0.1', '::1', ...nodeIPs].map((a) => parseIp(a)?.text ?? a));
  const walk: Walk = {
    tables: parseRestoreText(restoreText),
    local,
    q: { ...query, protocol: query.protocol.toLowerCase() },
    outputs: [],
    matched: [],
    masq: false,
  };
  runChain(walk, 'nat', 'KUBE-SERVICES', query.destIP);
  const first = walk.outputs[0];
  const destIP = first === undefined ? query.destIP : hostOf(first);
  for (const chain of [
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
  ]) {
    runChain(walk, 'filter', chain, destIP);
  }
  return { output: walk.outputs.join(', '), masq: walk.masq, matched: walk.matched };
}
