/**
 * Felix, Calico's policy agent, programming a node's filter table from the NetworkPolicies:
 *
 *   FORWARD ─▶ cali-FORWARD ─▶ cali-from-wl-dispatch ─(-i caliX)─▶ cali-fw-caliX  (egress of the sender)
 *                           └▶ cali-to-wl-dispatch  ─(-o caliY)─▶ cali-tw-caliY  (ingress of the receiver)
 *   INPUT   ─▶ cali-INPUT ─(-i cali+)─▶ cali-wl-to-host ─▶ cali-from-wl-dispatch, then ACCEPT
 *
 * A workload chain accepts ESTABLISHED/RELATED first (replies of allowed connections pass via
 * conntrack), drops INVALID, clears the accept mark, then jumps to the policies that select the
 * pod for that direction, returning as soon as one sets the accept mark; when none does,
 * "Drop if no policies passed packet" — Kubernetes' default deny for isolated pods. A pod no
 * policy selects goes to its namespace profile (`cali-pri-kns.NS`/`cali-pro-kns.NS`), which
 * allows everything. Packets a workload chain passed are accepted at the end of FORWARD by
 * the accept mark ("Policy explicitly accepted packet"), after kube-proxy's chains.
 *
 * Canal (flannel + `policy: calico`): pods hang off a bridge, not cali interfaces. For a frame
 * bridged between two pods the kernel sets `-i`/`-o` to the bridge (the ports are only visible to
 * `-m physdev`), and for a packet routed *into* the bridge the outgoing port is not known in
 * FORWARD at all. So the dispatch chains key on the pod's address instead (`-s IP/32` from a
 * workload, `-d IP/32` to it), which holds for bridged and routed packets alike; the workload
 * chains are still named after the host-side veth.
 *
 * kube-proxy's IPVS mode gets Felix's IPVS support (see `ipvsChains`; Calico mode only).
 *
 * Traffic from the host to its own pods (kubelet probes, hostNetwork pods) is not policed, as
 * with Felix: it leaves by OUTPUT, where only IPVS-forwarded workload traffic is checked.
 *
 * Felix also programs the chains when no policy exists; the model does so only once a policy
 * exists (or has existed), which keeps traces of policy-free clusters free of rules that change
 * nothing.
 *
 * Read first: projectcalico/calico felix/rules/static.go (cali-FORWARD, cali-INPUT,
 * cali-wl-to-host), felix/rules/endpoints.go (workload chains, "Drop if no policies passed
 * packet"), felix/rules/dispatch.go.
 */
import type { ClusterModel, ModelNode, ModelPod, Netns } from '../../model/types';
import type { Rule } from '../../netfilter/types';
import type { Policy, PolicyState } from '../../netpol/types';
import { isPolicyPod, policiesFor } from '../../netpol/resolve';
import { restore } from '../../netfilter/restore';
import { setIpset } from '../../netfilter/ipset';
import { getTable } from '../../netfilter/state';
import {
  IpsetBook,
  MARK_ACCEPT,
  chainName,
  felixHash,
  policyChainName,
  policyChainRules,
} from './felix-rules';

/** How workload traffic is recognised: by cali interface (Calico) or by pod address (Canal's bridge). */
export type FelixMode = 'calico' | 'canal';

/** A pod on this node and its host-side interface. */
export interface Workload {
  pod: ModelPod;
  iface: string;
  /** The bridge the interface is a port of (Canal). */
  bridge?: string;
}

/** The comment of the drop rule at the end of an isolated workload chain. */
export const DEFAULT_DENY = 'default deny: no policy allows it';

class ChainWriter {
  readonly order: string[] = [];
  private readonly rules = new Map<string, string[]>();
  readonly head: string[] = [];

  chain(name: string): void {
    if (!this.rules.has(name)) {
      this.rules.set(name, []);
      this.order.push(name);
    }
  }

  has(name: string): boolean {
    return this.rules.has(name);
  }

  /** Appends a rule with its `cali:` id (derived from chain, position and content, as Felix hashes). */
  add(chain: string, body: string, iface = ''): void {
    this.chain(chain);
    const list = this.rules.get(chain)!;
    const id = felixHash(`${chain}|${list.length}|${iface}${body}`, 16);
    list.push(`-A ${chain} ${iface ? `${iface} ` : ''}-m comment --comment "cali:${id}" ${body}`);
  }

  text(): string {
    const lines = ['*filter', ...this.order.map((c) => `:${c} - [0:0]`), ...this.head];
    for (const c of this.order) lines.push(...this.rules.get(c)!);
    lines.push('COMMIT', '');
    return lines.join('\n');
  }
}

/** The pods of `node` with their host-side veth (the peer of the pod's eth0). */
export function localWorkloads(model: ClusterModel, node: ModelNode, host: Netns): Workload[] {
  const byNetns = new Map<string, ModelPod>();
  for (const p of model.pods) if (p.node === node.name && isPolicyPod(p)) byNetns.set(p.netns, p);
  const out: Workload[] = [];
  for (const d of host.devices) {
    if (d.kind !== 'veth') continue;
    const pod = byNetns.get(d.peer.netns);
    if (pod)
      out.push({
        pod,
        iface: d.name,
        ...(d.master ? { bridge: d.master } : {}),
      });
  }
  return out.sort((a, b) => (a.iface < b.iface ? -1 : 1));
}

/** Felix's "packet came from a workload and is being forwarded by IPVS" mark (`MarkEndpoint` stand-in). */
export const MARK_FROM_WORKLOAD_IPVS = '0x40000';

/**
 * kube-proxy IPVS mode: the service address is local (kube-ipvs0), so a workload's packet to a
 * Service enters INPUT still addressed to the ClusterIP, and IPVS sends it on to the backend
 * from the OUTPUT path — FORWARD never sees it. As Felix does with KubeIPVSSupportEnabled, the
 * egress check is deferred: INPUT marks such packets and lets IPVS have them (see
 * `staticChains`); OUTPUT runs the sender's egress chain (found by source address) and the
 * receiver's ingress chain on the marked packet, now addressed to the backend.
 */
function ipvsChains(w: ChainWriter, workloads: readonly Workload[]): void {
  const mark = `${MARK_FROM_WORKLOAD_IPVS}/${MARK_FROM_WORKLOAD_IPVS}`;
  w.head.push('-I OUTPUT 1 -m comment --comment "cali:tVnHkvAo15HuiPy0" -j cali-OUTPUT');
  w.add('cali-OUTPUT', `-m mark --mark ${mark} -j cali-forward-endpoint-mark`);
  w.add('cali-forward-endpoint-mark', `-j MARK --set-xmark 0x0/${MARK_FROM_WORKLOAD_IPVS}`);
  for (const wl of workloads)
    w.add(
      'cali-forward-endpoint-mark',
      `-g cali-from-ipvs-${wl.iface.slice(4)}`,
      `-s ${wl.pod.ip}/32`,
    );
  for (const wl of workloads) {
    const chain = `cali-from-ipvs-${wl.iface.slice(4)}`;
    w.add(chain, `-j ${chainName('cali-fw-', wl.iface)}`);
    w.add(chain, '-j cali-to-wl-dispatch', '-o cali+');
    w.add(
      chain,
      `-m mark --mark ${MARK_ACCEPT}/${MARK_ACCEPT} -m comment --comment "Policy explicitly accepted packet." -j ACCEPT`,
    );
  }
}

function staticChains(
  w: ChainWriter,
  mode: FelixMode,
  bridge: string | undefined,
  ipvsServiceCIDR?: string,
): void {
  w.head.push(`-I FORWARD 1 -m comment --comment "cali:wUHhoiAYhphO9Mso" -j cali-FORWARD`);
  w.head.push(
    `-A FORWARD -m comment --comment "cali:S93hcgKJrXEqnTfs" -m comment --comment "Policy explicitly accepted packet." -m mark --mark ${MARK_ACCEPT}/${MARK_ACCEPT} -j ACCEPT`,
  );
  w.head.push(`-I INPUT 1 -m comment --comment "cali:Cz_u1IQiXIMmKD4c" -j cali-INPUT`);
  w.add('cali-FORWARD', '-j MARK --set-xmark 0x0/0xe0000');
  w.add('cali-FORWARD', '-j cali-from-wl-dispatch', mode === 'calico' ? '-i cali+' : '');
  w.add('cali-FORWARD', '-j cali-to-wl-dispatch', mode === 'calico' ? '-o cali+' : '');
  w.chain('cali-INPUT');
  if (mode === 'calico') w.add('cali-INPUT', '-g cali-wl-to-host', '-i cali+');
  else if (bridge) w.add('cali-INPUT', '-g cali-wl-to-host', `-i ${bridge}`);
  if (ipvsServiceCIDR) {
    const mark = `${MARK_FROM_WORKLOAD_IPVS}/${MARK_FROM_WORKLOAD_IPVS}`;
    w.add(
      'cali-wl-to-host',
      `-m comment --comment "To a Service: IPVS forwards it, policy is checked in OUTPUT" -j MARK --set-xmark ${mark}`,
      `-d ${ipvsServiceCIDR}`,
    );
    w.add('cali-wl-to-host', `-m mark --mark ${mark} -j ACCEPT`);
  }
  w.add('cali-wl-to-host', '-j cali-from-wl-dispatch');
  w.add(
    'cali-wl-to-host',
    '-m comment --comment "Configured DefaultEndpointToHostAction" -j ACCEPT',
  );
  w.chain('cali-from-wl-dispatch');
  w.chain('cali-to-wl-dispatch');
}

function profileChain(w: ChainWriter, namespace: string, dir: 'ingress' | 'egress'): string {
  const name = chainName(dir === 'ingress' ? 'cali-pri-' : 'cali-pro-', `kns.${namespace}`);
  if (!w.has(name)) {
    w.add(name, `-j MARK --set-xmark ${MARK_ACCEPT}/${MARK_ACCEPT}`);
    w.add(name, `-m mark --mark ${MARK_ACCEPT}/${MARK_ACCEPT} -j RETURN`);
  }
  return name;
}

interface NodeContext {
  w: ChainWriter;
  state: PolicyState;
  pods: readonly ModelPod[];
  sets: IpsetBook;
}

function policyChain(c: NodeContext, policy: Policy, dir: 'ingress' | 'egress'): string {
  const name = policyChainName(policy, dir);
  if (!c.w.has(name)) {
    c.w.chain(name);
    for (const body of policyChainRules(c.state, policy, dir, c.pods, c.sets)) c.w.add(name, body);
  }
  return name;
}

/** One workload chain: conntrack first, then the policies selecting the pod, else its profile. */
function workloadChain(c: NodeContext, wl: Workload, dir: 'ingress' | 'egress'): void {
  const name = chainName(dir === 'ingress' ? 'cali-tw-' : 'cali-fw-', wl.iface);
  const w = c.w;
  w.add(name, '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  w.add(name, '-m conntrack --ctstate INVALID -j DROP');
  w.add(name, `-j MARK --set-xmark 0x0/${MARK_ACCEPT}`);
  const policies = policiesFor(c.state, wl.pod, dir);
  const accepted = `-m mark --mark ${MARK_ACCEPT}/${MARK_ACCEPT}`;
  if (policies.length) {
    for (const p of policies) {
      w.add(name, `-j ${policyChain(c, p, dir)}`);
      w.add(name, `${accepted} -m comment --comment "Return if policy accepted" -j RETURN`);
    }
    const who = `${dir} ${dir === 'ingress' ? 'to' : 'from'} ${wl.pod.namespace}/${wl.pod.name}`;
    const why = isolationComment(who, policies);
    w.add(
      name,
      `-m comment --comment "Drop if no policies passed packet" -m comment --comment "${why}" -j DROP`,
    );
  } else {
    w.add(name, `-j ${profileChain(w, wl.pod.namespace, dir)}`);
    w.add(name, `${accepted} -m comment --comment "Return if profile accepted" -j RETURN`);
    w.add(name, '-m comment --comment "Drop if no profiles matched" -j DROP');
  }
}

/** `default deny: no policy allows it; ingress to x/a is isolated by x/p1 x/p2` (≤ 256 characters, iptables' limit). */
function isolationComment(who: string, policies: readonly Policy[]): string {
  const head = `${DEFAULT_DENY}; ${who} is isolated by`;
  let text = head;
  for (let i = 0; i < policies.length; i++) {
    const next = `${text} ${policies[i]!.key}`;
    if (next.length > 240) return `${text} +${policies.length - i} more`;
    text = next;
  }
  return text === head ? `${head} nothing` : text;
}

/** Workloads per dispatch chain before Felix splits it into a tree by interface-name prefix. */
const DISPATCH_FANOUT = 8;

/**
 * `cali-from-wl-dispatch` / `cali-to-wl-dispatch`: one goto per interface, split by the first hex
 * digit after `cali` into `cali-from-wl-dispatch-<d>` sub-chains once there are many, as Felix's
 * dispatch tree does, so a packet walks a few rules instead of one per pod on the node.
 */
function dispatchByInterface(
  w: ChainWriter,
  dir: 'from' | 'to',
  workloads: readonly Workload[],
): void {
  const root = `cali-${dir}-wl-dispatch`;
  const flag = dir === 'from' ? '-i' : '-o';
  const target = (wl: Workload) =>
    `-g ${chainName(dir === 'from' ? 'cali-fw-' : 'cali-tw-', wl.iface)}`;
  const unknown = '-m comment --comment "Unknown interface" -j DROP';
  if (workloads.length <= DISPATCH_FANOUT) {
    for (const wl of workloads) w.add(root, target(wl), `${flag} ${wl.iface}`);
    w.add(root, unknown);
    return;
  }
  const groups = new Map<string, Workload[]>();
  for (const wl of workloads) {
    const key = wl.iface.slice(4, 5);
    groups.set(key, [...(groups.get(key) ?? []), wl]);
  }
  for (const [key, members] of groups) {
    const sub = `${root}-${key}`;
    w.add(root, `-g ${sub}`, `${flag} cali${key}+`);
    for (const wl of members) w.add(sub, target(wl), `${flag} ${wl.iface}`);
    w.add(sub, unknown);
  }
  w.add(root, unknown);
}

/** Removes what Felix programmed earlier in the filter table and its selector ipsets. */
export function clearFelix(ns: Netns): void {
  const filter = getTable(ns.netfilter, 'filter');
  const ours = (r: Rule) =>
    r.target?.name.startsWith('cali-') ||
    r.matches.some((m) => m.module === 'comment' && m.options[0]?.[1]?.startsWith('cali:'));
  for (const [name, chain] of [...filter.chains]) {
    if (name.startsWith('cali-')) filter.chains.delete(name);
    else if (chain.rules.some(ours)) chain.rules = chain.rules.filter((r) => !ours(r));
  }
  for (const name of [...(ns.netfilter.ipsets?.keys() ?? [])])
    if (name.startsWith('cali40s:') || name.startsWith('cali40n:'))
      ns.netfilter.ipsets?.delete(name);
}

/** Programs one node; returns the restore error, if any (a bug, never bad input). */
export function programFelixNode(
  model: ClusterModel,
  node: ModelNode,
  state: PolicyState,
  mode: FelixMode,
): string | undefined {
  const host = model.netns.get(node.netns);
  if (!host) return undefined;
  clearFelix(host);
  const workloads = localWorkloads(model, node, host);
  const c: NodeContext = {
    w: new ChainWriter(),
    state,
    pods: model.pods,
    sets: new IpsetBook(),
  };
  staticChains(
    c.w,
    mode,
    workloads.find((x) => x.bridge)?.bridge,
    host.ipvs && mode === 'calico' ? model.serviceCIDR : undefined,
  );
  if (host.ipvs && mode === 'calico') ipvsChains(c.w, workloads);
  for (const wl of workloads) {
    workloadChain(c, wl, 'egress');
    workloadChain(c, wl, 'ingress');
  }
  if (mode === 'calico') {
    dispatchByInterface(c.w, 'from', workloads);
    dispatchByInterface(c.w, 'to', workloads);
  } else
    for (const wl of workloads) {
      c.w.add(
        'cali-from-wl-dispatch',
        `-g ${chainName('cali-fw-', wl.iface)}`,
        `-s ${wl.pod.ip}/32`,
      );
      c.w.add('cali-to-wl-dispatch', `-g ${chainName('cali-tw-', wl.iface)}`, `-d ${wl.pod.ip}/32`);
    }
  for (const [name, set] of c.sets.sets) setIpset(host.netfilter, name, set.type, set.entries);
  const r = restore(host.netfilter, c.w.text(), { noflush: true });
  return r.ok ? undefined : `line ${r.line}: ${r.error}`;
}

/** Programs every node of the cluster. */
export function programFelix(model: ClusterModel, state: PolicyState, mode: FelixMode): string[] {
  const errors: string[] = [];
  for (const node of model.nodes) {
    const e = programFelixNode(model, node, state, mode);
    if (e) errors.push(`${node.name}: ${e}`);
  }
  return errors;
}
