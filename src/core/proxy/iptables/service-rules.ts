/**
 * Everything kube-proxy writes for one service port during a full sync (spec §5): the capture
 * rules in the fixed chains (nat KUBE-SERVICES / KUBE-NODEPORTS, filter KUBE-SERVICES /
 * KUBE-EXTERNAL-SERVICES / KUBE-NODEPORTS / KUBE-PROXY-FIREWALL) and the per-service chains
 * KUBE-SVC, KUBE-SVL, KUBE-EXT, KUBE-FW and KUBE-SEP.
 *
 * Read first: pkg/proxy/iptables/proxier.go, the per-service loop of `syncProxyRules`. The
 * order of writes below is kube-proxy's; only the order within each chain is observable.
 */
import type { IpAddr } from './addr';
import { cidrContains, parseCidr } from './addr';
import { servicePortChainNames } from './chain-names';
import type { KubeProxyOptions } from './config';
import { ifLocal, ifNotLocal } from './config';
import type { CategorizedEndpoints } from './endpoints';
import { writeEndpointChains, writeServiceToEndpointRules } from './endpoint-rules';
import type { RestoreBuffers } from './restore-buffer';
import { commentMatch, declareChain, quoted, writeLine } from './restore-buffer';
import type { ServicePortInfo } from './service-port';
import { isExternallyAccessible, usesClusterEndpoints, usesLocalEndpoints } from './service-port';

/** State shared by every service port of one sync. */
export interface SyncContext {
  opts: KubeProxyOptions;
  buf: RestoreBuffers;
  /** nat chains this sync keeps; anything else of ours in the kernel is stale. */
  activeNatChains: Set<string>;
  /** kube-proxy's primary node IP of its family (for loadBalancerSourceRanges), if known. */
  nodeIP: IpAddr | null;
  /** Localhost NodePorts are in effect (IPv4, enabled, loopback within nodePortAddresses). */
  localhostNodePorts: boolean;
  /** More than 1000 endpoints: per-endpoint comments are left out. */
  largeCluster: boolean;
}

/** A filter verdict for traffic that finds no endpoint: `-m comment … -j TARGET`. */
interface Verdict {
  target: 'REJECT' | 'DROP';
  /** Already quoted. */
  comment: string;
}

/** The decisions kube-proxy makes for a service port before writing anything. */
export interface ServicePortPlan {
  sp: ServicePortInfo;
  /** Lower-case protocol, as in `-m tcp -p tcp`. */
  proto: string;
  eps: CategorizedEndpoints;
  clusterChain: string;
  localChain: string;
  extChain: string;
  fwChain: string;
  usesClusterChain: boolean;
  usesLocalChain: boolean;
  /** Where ClusterIP traffic goes (KUBE-SVL under internalTrafficPolicy Local). */
  internalChain: string;
  hasInternal: boolean;
  /** Where KUBE-EXT finally sends external traffic (KUBE-SVL under externalTrafficPolicy Local). */
  externalPolicyChain: string;
  hasExternal: boolean;
  usesExt: boolean;
  usesFw: boolean;
  /** Where LoadBalancer VIP traffic goes: KUBE-FW with source ranges, else KUBE-EXT. */
  lbChain: string;
  internalVerdict: Verdict | null;
  externalVerdict: Verdict | null;
}

/** Computes which chains a service port uses and where each kind of traffic goes. */
export function planServicePort(sp: ServicePortInfo, eps: CategorizedEndpoints): ServicePortPlan {
  const proto = sp.protocol.toLowerCase();
  const spn = sp.servicePortName;
  const has = eps.hasAnyEndpoints;
  const noLocal = eps.local.length === 0;
  const hasInternal = has && !(sp.internalPolicyLocal && noLocal);
  const hasExternal = has && !(sp.externalPolicyLocal && noLocal);
  const usesFw = has && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
  const names = servicePortChainNames(spn, proto);
  const clusterChain = names['KUBE-SVC'];
  const localChain = names['KUBE-SVL'];
  const extChain = names['KUBE-EXT'];
  const fwChain = names['KUBE-FW'];
  const noLocalVerdict: Verdict = {
    target: 'DROP',
    comment: quoted(`${spn} has no local endpoints`),
  };
  const noneVerdict: Verdict = { target: 'REJECT', comment: quoted(`${spn} has no endpoints`) };
  return {
    sp,
    proto,
    eps,
    clusterChain,
    localChain,
    extChain,
    fwChain,
    usesClusterChain: eps.cluster.length > 0 && usesClusterEndpoints(sp),
    usesLocalChain: eps.local.length > 0 && usesLocalEndpoints(sp),
    internalChain: sp.internalPolicyLocal ? localChain : clusterChain,
    hasInternal,
    externalPolicyChain: sp.externalPolicyLocal ? localChain : clusterChain,
    hasExternal,
    // Needed even without external endpoints, for the LOCAL/pod short-circuit rules.
    usesExt: has && isExternallyAccessible(sp),
    usesFw,
    lbChain: usesFw ? fwChain : extChain,
    internalVerdict: !has ? noneVerdict : hasInternal ? null : noLocalVerdict,
    externalVerdict: !has ? noneVerdict : hasExternal ? null : noLocalVerdict,
  };
}

/** `-m P -p P -d ADDR --dport PORT`, the destination match of capture rules. */
function dest(p: ServicePortPlan, addr: string): string {
  return `-m ${p.proto} -p ${p.proto} -d ${addr} --dport ${p.sp.port}`;
}

/** Steps 1-4: ClusterIP, external IPs and LoadBalancer VIPs in KUBE-SERVICES and the filter chains. */
function writeCaptureRules(ctx: SyncContext, p: ServicePortPlan): void {
  const { nat, filter } = ctx.buf;
  const { sp, internalVerdict: iv, externalVerdict: ev } = p;
  const spn = sp.servicePortName;
  const has = p.eps.hasAnyEndpoints;
  if (p.hasInternal) {
    writeLine(
      nat,
      '-A KUBE-SERVICES',
      commentMatch(quoted(`${spn} cluster IP`)),
      dest(p, sp.clusterIP),
      `-j ${p.internalChain}`,
    );
  } else if (iv) {
    writeLine(
      filter,
      '-A KUBE-SERVICES',
      commentMatch(iv.comment),
      dest(p, sp.clusterIP),
      `-j ${iv.target}`,
    );
  }
  for (const eip of sp.externalIPs) {
    if (has)
      writeLine(
        nat,
        '-A KUBE-SERVICES',
        commentMatch(quoted(`${spn} external IP`)),
        dest(p, eip),
        `-j ${p.extChain}`,
      );
    if (ev)
      writeLine(
        filter,
        '-A KUBE-EXTERNAL-SERVICES',
        commentMatch(ev.comment),
        dest(p, eip),
        `-j ${ev.target}`,
      );
  }
  for (const vip of sp.loadBalancerVIPs) {
    if (has)
      writeLine(
        nat,
        '-A KUBE-SERVICES',
        commentMatch(quoted(`${spn} loadbalancer IP`)),
        dest(p, vip),
        `-j ${p.lbChain}`,
      );
    if (p.usesFw) {
      const comment = quoted(`${spn} traffic not accepted by ${p.fwChain}`);
      writeLine(filter, '-A KUBE-PROXY-FIREWALL', commentMatch(comment), dest(p, vip), '-j DROP');
    }
  }
  if (ev) {
    for (const vip of sp.loadBalancerVIPs) {
      writeLine(
        filter,
        '-A KUBE-EXTERNAL-SERVICES',
        commentMatch(ev.comment),
        dest(p, vip),
        `-j ${ev.target}`,
      );
    }
  }
}

/** Steps 5-6: the NodePort (with its localhost variant) and the health-check port. */
function writeNodePortRules(ctx: SyncContext, p: ServicePortPlan): void {
  const { nat, filter } = ctx.buf;
  const { sp, proto } = p;
  const match = `-m ${proto} -p ${proto}`;
  if (sp.nodePort !== 0) {
    if (p.eps.hasAnyEndpoints) {
      // The localhost variant only exists to count accepted localhost NodePort packets.
      if (ctx.localhostNodePorts && ctx.opts.nfacct) {
        const counter = '-m nfacct --nfacct-name localhost_nps_accepted_pkts';
        writeLine(
          nat,
          '-A KUBE-NODEPORTS',
          commentMatch(sp.servicePortName),
          match,
          `-d 127.0.0.0/8 --dport ${sp.nodePort}`,
          counter,
          `-j ${p.extChain}`,
        );
      }
      writeLine(
        nat,
        '-A KUBE-NODEPORTS',
        commentMatch(sp.servicePortName),
        match,
        `--dport ${sp.nodePort}`,
        `-j ${p.extChain}`,
      );
    }
    const ev = p.externalVerdict;
    if (ev) {
      writeLine(
        filter,
        '-A KUBE-EXTERNAL-SERVICES',
        commentMatch(ev.comment),
        '-m addrtype --dst-type LOCAL',
        match,
        `--dport ${sp.nodePort}`,
        `-j ${ev.target}`,
      );
    }
  }
  if (sp.healthCheckNodePort !== 0) {
    // Accepted whether or not local endpoints exist: the health check must answer either way.
    const comment = quoted(`${sp.servicePortName} health check node port`);
    writeLine(
      filter,
      '-A KUBE-NODEPORTS',
      commentMatch(comment),
      `-m tcp -p tcp --dport ${sp.healthCheckNodePort}`,
      '-j ACCEPT',
    );
  }
}

/** Step 7: mark ClusterIP traffic for SNAT when it does not come from a pod (or always). */
function writeInternalMasquerade(ctx: SyncContext, p: ServicePortPlan): void {
  const det = ctx.opts.localDetector;
  if (!p.hasInternal || (!ctx.opts.masqueradeAll && !det)) return;
  const cond = ctx.opts.masqueradeAll || !det ? undefined : ifNotLocal(det);
  const comment = commentMatch(quoted(`${p.sp.servicePortName} cluster IP`));
  writeLine(
    ctx.buf.nat,
    `-A ${p.internalChain}`,
    comment,
    dest(p, p.sp.clusterIP),
    cond,
    '-j KUBE-MARK-MASQ',
  );
}

/** Step 8: KUBE-EXT, where every external destination lands before its policy chain. */
function writeExternalChain(ctx: SyncContext, p: ServicePortPlan): void {
  if (!p.usesExt) return;
  const nat = ctx.buf.nat;
  const spn = p.sp.servicePortName;
  const head = `-A ${p.extChain}`;
  ctx.activeNatChains.add(p.extChain);
  declareChain(nat, p.extChain);
  if (!p.sp.externalPolicyLocal) {
    // Cluster policy may forward to another node, so the reply must come back through us.
    writeLine(
      nat,
      head,
      commentMatch(quoted(`masquerade traffic for ${spn} external destinations`)),
      '-j KUBE-MARK-MASQ',
    );
  } else {
    const det = ctx.opts.localDetector;
    // Pods reaching an external address act as if they had gone out and come back: Cluster policy.
    if (det)
      writeLine(
        nat,
        head,
        commentMatch(quoted(`pod traffic for ${spn} external destinations`)),
        ifLocal(det),
        `-j ${p.clusterChain}`,
      );
    // The node's own traffic has a local (VIP-like) source address, so it must be SNATed.
    const local = '-m addrtype --src-type LOCAL';
    writeLine(
      nat,
      head,
      commentMatch(quoted(`masquerade LOCAL traffic for ${spn} external destinations`)),
      local,
      '-j KUBE-MARK-MASQ',
    );
    writeLine(
      nat,
      head,
      commentMatch(quoted(`route LOCAL traffic for ${spn} external destinations`)),
      local,
      `-j ${p.clusterChain}`,
    );
  }
  if (p.hasExternal) writeLine(nat, head, `-j ${p.externalPolicyChain}`);
}

/** Step 9: KUBE-FW, the loadBalancerSourceRanges filter in front of KUBE-EXT for LB VIPs. */
function writeFirewallChain(ctx: SyncContext, p: ServicePortPlan): void {
  if (!p.usesFw) return;
  const nat = ctx.buf.nat;
  const spn = p.sp.servicePortName;
  ctx.activeNatChains.add(p.fwChain);
  declareChain(nat, p.fwChain);
  const head = `-A ${p.fwChain} ${commentMatch(quoted(`${spn} loadbalancer IP`))}`;
  let allowFromNode = false;
  for (const range of p.sp.loadBalancerSourceRanges) {
    writeLine(nat, head, `-s ${range}`, `-j ${p.extChain}`);
    const cidr = parseCidr(range);
    if (cidr && ctx.nodeIP && cidrContains(cidr, ctx.nodeIP)) allowFromNode = true;
  }
  // A node reaching its own VIP loops back with the VIP as source: let that through too.
  if (allowFromNode) {
    for (const vip of p.sp.loadBalancerVIPs) writeLine(nat, head, `-s ${vip}`, `-j ${p.extChain}`);
  }
  // No target: what is left is not DNATed and meets filter KUBE-PROXY-FIREWALL's DROP.
  writeLine(
    nat,
    `-A ${p.fwChain}`,
    commentMatch(quoted(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)),
  );
}

/** Steps 10-11: KUBE-SVC, KUBE-SVL and the KUBE-SEP chains. */
function writePolicyChains(ctx: SyncContext, p: ServicePortPlan): void {
  const nat = ctx.buf.nat;
  if (p.usesClusterChain) {
    ctx.activeNatChains.add(p.clusterChain);
    declareChain(nat, p.clusterChain);
    writeServiceToEndpointRules(nat, p.sp, p.clusterChain, p.eps.cluster, ctx.largeCluster);
  }
  if (p.usesLocalChain) {
    ctx.activeNatChains.add(p.localChain);
    declareChain(nat, p.localChain);
    writeServiceToEndpointRules(nat, p.sp, p.localChain, p.eps.local, ctx.largeCluster);
  }
  for (const sep of writeEndpointChains(nat, p.sp, p.eps.reachable, ctx.largeCluster)) {
    ctx.activeNatChains.add(sep);
  }
}

/**
 * Writes all rules and chains of one service port into the sync's buffers, in kube-proxy's
 * order. A port with no usable endpoint gets only filter REJECT rules (and its health-check
 * ACCEPT, if any).
 */
export function writeServicePort(
  ctx: SyncContext,
  sp: ServicePortInfo,
  eps: CategorizedEndpoints,
): void {
  const p = planServicePort(sp, eps);
  writeCaptureRules(ctx, p);
  writeNodePortRules(ctx, p);
  writeInternalMasquerade(ctx, p);
  writeExternalChain(ctx, p);
  writeFirewallChain(ctx, p);
  writePolicyChains(ctx, p);
}
