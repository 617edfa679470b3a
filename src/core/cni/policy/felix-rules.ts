/**
 * Felix's translation of one Kubernetes NetworkPolicy into an iptables policy chain
 * (`cali-pi-…` for ingress, `cali-po-…` for egress): one allow rule per (peer, port) pair of
 * each Kubernetes rule, each setting the accept mark 0x10000 and followed by a RETURN when
 * the mark is set. Peers become ipsets of pod IPs (`cali40s:…`, kept up to date by Felix
 * from the label selectors) or `-s/-d` CIDR matches with a `! --match-set` for `except`;
 * named ports become `hash:ip,port` sets (`cali40n:…`) of every pod declaring the name.
 *
 * Each chain ends with a counting-only rule `x/web: no ingress rule matched` (not Felix's; it makes
 * the evaluated rules of a hook say where a policy gave up). Every rule carries Felix's `cali:<id>` comment plus a second comment naming the policy and
 * rule (`allow: x/web spec.ingress[0]`), so a trace can say which rule let a packet through.
 *
 * Read first: projectcalico/calico felix/rules/policy.go (ruleToIptablesRules, the accept
 * mark and RETURN pair), libcalico-go's k8s NetworkPolicy conversion (one Calico rule per
 * peer and protocol), felix/ipsets (set naming).
 */
import type { ModelPod } from '../../model/types';
import type { Policy, PolicyPeer, PolicyPort, PolicyRule, PolicyState } from '../../netpol/types';
import { peerPods, resolveNamedPort } from '../../netpol/resolve';
import { sha256Bytes } from '../../util/hash';

/** The accept mark bit Felix uses (`MarkAccept`). */
export const MARK_ACCEPT = '0x10000';

/** An ipset Felix keeps on every node. */
export interface FelixIpset {
  type: 'hash:ip' | 'hash:net' | 'hash:ip,port';
  entries: string[];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Felix-style short hash: base64url of SHA-256, first `n` characters. */
export function felixHash(s: string, n: number): string {
  const bytes = sha256Bytes(s);
  let out = '';
  for (let i = 0; out.length < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(v >> 18) & 63]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + B64[v & 63]!;
  }
  return out.slice(0, n);
}

/** `prefix` + readable name when it fits iptables' 28-character chain names, else `prefix_<hash>`. */
export function chainName(prefix: string, name: string): string {
  const full = prefix + name;
  return full.length <= 28 ? full : `${prefix}_${felixHash(name, 27 - prefix.length)}`;
}

/** The policy chain of `policy` for one direction. */
export function policyChainName(policy: Policy, dir: 'ingress' | 'egress'): string {
  return chainName(dir === 'ingress' ? 'cali-pi-' : 'cali-po-', policy.key);
}

/** Collects the ipsets the rules of one node refer to. */
export class IpsetBook {
  readonly sets = new Map<string, FelixIpset>();

  /** A set of the pod IPs a peer selects, named by the selector it stands for. */
  pods(key: string, pods: readonly ModelPod[]): string {
    const name = `cali40s:${felixHash(key, 22)}`;
    if (!this.sets.has(name))
      this.sets.set(name, {
        type: 'hash:ip',
        entries: [...new Set(pods.map((p) => p.ip))].sort(),
      });
    return name;
  }

  /** A set of networks (ipBlock `except`). */
  nets(cidrs: readonly string[]): string {
    const name = `cali40s:${felixHash(`nets:${cidrs.join(',')}`, 22)}`;
    if (!this.sets.has(name)) this.sets.set(name, { type: 'hash:net', entries: [...cidrs] });
    return name;
  }

  /** A `hash:ip,port` set of every pod's resolution of a named port. */
  namedPort(port: string, protocol: string, pods: readonly ModelPod[]): string {
    const name = `cali40n:${felixHash(`${protocol}:${port}`, 22)}`;
    if (!this.sets.has(name)) {
      const entries: string[] = [];
      for (const pod of pods) {
        const n = resolveNamedPort(pod, port, protocol as PolicyPort['protocol']);
        if (n !== undefined && !pod.hostNetwork)
          entries.push(`${pod.ip},${protocol.toLowerCase()}:${n}`);
      }
      this.sets.set(name, { type: 'hash:ip,port', entries: entries.sort() });
    }
    return name;
  }
}

/** Stable JSON with sorted keys, so equal selectors give equal set names. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

interface RuleContext {
  state: PolicyState;
  policy: Policy;
  dir: 'ingress' | 'egress';
  pods: readonly ModelPod[];
  sets: IpsetBook;
}

/** The match words for one peer (`src` for ingress, `dst` for egress). */
function peerMatch(c: RuleContext, peer: PolicyPeer): string {
  const side = c.dir === 'ingress' ? 'src' : 'dst';
  if (peer.kind === 'ipBlock') {
    const addr = `${side === 'src' ? '-s' : '-d'} ${peer.cidr}`;
    return peer.except.length
      ? `${addr} -m set ! --match-set ${c.sets.nets(peer.except)} ${side}`
      : addr;
  }
  const key = stable({
    ns: peer.namespaceSelector === undefined ? c.policy.namespace : null,
    nsSel: peer.namespaceSelector ?? null,
    podSel: peer.podSelector ?? null,
  });
  return `-m set --match-set ${c.sets.pods(key, peerPods(c.state, c.policy, peer, c.pods))} ${side}`;
}

/** The match words for one port entry. */
function portMatch(c: RuleContext, port: PolicyPort): string {
  const proto = port.protocol.toLowerCase();
  if (port.port === undefined) return `-p ${proto}`;
  if (typeof port.port === 'string')
    return `-p ${proto} -m set --match-set ${c.sets.namedPort(port.port, port.protocol, c.pods)} dst,dst`;
  const range = port.endPort !== undefined ? `${port.port}:${port.endPort}` : String(port.port);
  return `-p ${proto} -m ${proto} --dport ${range}`;
}

/** The text of the second comment of an allow rule: `allow: x/web spec.ingress[0]`. */
export function allowComment(policy: Policy, dir: 'ingress' | 'egress', rule: PolicyRule): string {
  return `allow: ${policy.key} spec.${dir}[${rule.index}]`;
}

/** The rule bodies (without chain and `cali:` id) of one policy chain, in order. */
export function policyChainRules(
  state: PolicyState,
  policy: Policy,
  dir: 'ingress' | 'egress',
  pods: readonly ModelPod[],
  sets: IpsetBook,
): string[] {
  const c: RuleContext = { state, policy, dir, pods, sets };
  const out: string[] = [];
  for (const rule of policy[dir] ?? []) {
    const comment = `-m comment --comment "${allowComment(policy, dir, rule)}"`;
    for (const peer of rule.peers ?? [null]) {
      const pm = peer ? peerMatch(c, peer) : '';
      for (const port of rule.ports ?? [null]) {
        const words = [
          comment,
          pm,
          port ? portMatch(c, port) : '',
          `-j MARK --set-xmark ${MARK_ACCEPT}/${MARK_ACCEPT}`,
        ]
          .filter(Boolean)
          .join(' ');
        out.push(words, `-m mark --mark ${MARK_ACCEPT}/${MARK_ACCEPT} -j RETURN`);
      }
    }
  }
  // Not Felix's: a counting-only last rule, so the rules a hook evaluated show where a policy
  // chain ended without allowing (and an allow rule's RETURN is never the chain's last rule).
  out.push(`-m comment --comment "${noMatchComment(policy, dir)}"`);
  return out;
}

/** The comment of the last rule of a policy chain: `x/web: no ingress rule matched`. */
export function noMatchComment(policy: Policy, dir: 'ingress' | 'egress'): string {
  return `${policy.key}: no ${dir} rule matched`;
}
