/**
 * kube-proxy's nftables mode (GA in v1.33) programming a node of the model: one `ip kube-proxy`
 * table, replaced as a whole by each sync (kube-proxy's `nft -f` transaction flushes and
 * rewrites everything it owns, so a re-sync leaves exactly what a fresh sync would). iptables
 * is untouched: other agents' rules stay.
 *
 * Read first: pkg/proxy/nftables/proxier.go; the table itself is built in ./nftables/table.ts.
 * The walker evaluates the table (src/core/nftables/evaluate.ts) at its hooks together with
 * whatever iptables rules the CNI plugin wrote; kube-proxy itself writes no iptables rules in
 * this mode. Elements the packet path added to affinity sets survive a re-sync, as they do in
 * the kernel (kube-proxy's transaction re-adds those sets without flushing them).
 */
import type { EndpointSlice, Node, Service } from '../k8s/types';
import type { ModelNode, Netns } from '../model/types';
import type { ProxyContext, ProxyMode } from './mode';
import { hostAddressesFrom, kubeProxyNodeName, kubeProxyOptionsFrom } from './iptables/index';
import { parseCidr, parseIp, cidrContains } from './iptables/addr';
import { buildKubeProxyTable } from './nftables/table';

/** Node annotation: the ServiceCIDRs kube-proxy reads from ServiceCIDR objects (scenarios without a Cluster). */
export const ANNOTATION_SERVICE_CIDRS = 'hopscope.dev/oracle-service-cidrs';

function nodeObjectFor(ctx: ProxyContext, node: ModelNode): Node {
  return ctx.nodeObject(node.name) ?? { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name }, status: { addresses: [{ type: 'InternalIP', address: node.ip }] } };
}

/** `nodePortAddresses` in nftables mode: default (and `primary`) is the node's primary IP. */
function nodePortIPs(entries: string[], primary: string, ns: Netns): string[] {
  const cidrs = entries.filter((e) => e.trim() !== 'primary').map((e) => parseCidr(e)).filter((c) => c !== null && c.family === 'IPv4');
  if (cidrs.length === 0) return primary ? [primary] : [];
  const own = ns.devices.flatMap((d) => d.addresses.map((a) => a.ip)).filter((ip) => !ip.startsWith('127.'));
  const out = own.filter((ip) => cidrs.some((c) => cidrContains(c!, parseIp(ip)!)));
  if (entries.some((e) => e.trim() === 'primary') && primary && !out.includes(primary)) out.unshift(primary);
  return out;
}

function programNode(ctx: ProxyContext, node: ModelNode, ns: Netns, services: Service[], slices: EndpointSlice[]): void {
  const nodeObj = nodeObjectFor(ctx, node);
  const config = kubeProxyOptionsFrom(ctx.config, nodeObj);
  if (config.ipFamily !== 'IPv4') {
    ctx.report('info', `kube-proxy on ${node.name} runs an ${config.ipFamily} nftables proxier (table ip6 kube-proxy), which is not modelled`, 'proxy-ipv6');
    return;
  }
  const primary = hostAddressesFrom(nodeObj).nodeIPs.find((ip) => parseIp(ip)?.family === 'IPv4') ?? node.ip;
  const annotated = nodeObj.metadata.annotations?.[ANNOTATION_SERVICE_CIDRS];
  const serviceCIDRs = annotated !== undefined ? annotated.split(',').map((s) => s.trim()).filter(Boolean) : ctx.model.serviceCIDR ? [ctx.model.serviceCIDR] : [];
  const table = buildKubeProxyTable({ nodeName: kubeProxyNodeName(ctx.config, nodeObj), nodePortIPs: nodePortIPs(ctx.config?.nodePortAddresses ?? [], primary, ns), nodeIP: primary, serviceCIDRs, services, endpointSlices: slices, config });
  const old = ns.nftables?.find((t) => t.family === 'ip' && t.name === 'kube-proxy');
  for (const s of table.sets) {
    const dynamic = old?.sets.find((o) => o.name === s.name)?.dynamic;
    if (dynamic?.size) s.dynamic = dynamic;
  }
  ns.nftables = [...(ns.nftables ?? []).filter((t) => t !== old), table];
}

/** nftables mode. */
export const nftablesMode: ProxyMode = { name: 'nftables', programNode };
