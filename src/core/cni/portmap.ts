/**
 * The chained `portmap` plugin (iptables backend): publishes a pod's `hostPort`s on its node.
 * Read first: containernetworking/plugins plugins/meta/portmap/portmap_iptables.go and chain.go.
 *
 * - CNI-HOSTPORT-DNAT, entered from nat PREROUTING and OUTPUT for `--dst-type LOCAL`;
 * - per attachment `CNI-DN-` + 21 hex of SHA-512(network name + container id), entered from
 *   CNI-HOSTPORT-DNAT per protocol with `-m multiport --dports` (15 ports a rule);
 * - with `snat` (the default), hairpin (the pod's own subnet) and 127.0.0.1 sources jump to
 *   CNI-HOSTPORT-SETMARK (mark 0x2000/0x2000, bit 13) and CNI-HOSTPORT-MASQ, first in
 *   POSTROUTING, masquerades marked packets.
 * Its result is its prevResult. DEL removes the attachment's chain and its entry rules only.
 * Rules are written as iptables-save v1.8.9 prints them (checked with the real tool).
 */
import type { Netns } from '../model/types';
import { getChain, restore } from '../netfilter';
import { intToIpv4, ipv4ToInt } from '../util/ip';
import { sha512Hex } from '../util/hash';

/** One CRI port mapping (capability `portMappings`). */
export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  hostIP?: string;
}

const DNAT = 'CNI-HOSTPORT-DNAT';
const SETMARK = 'CNI-HOSTPORT-SETMARK';
const MASQ = 'CNI-HOSTPORT-MASQ';
const MARK = '0x2000/0x2000';

/** utils.MustFormatChainNameWithPrefix(name, id, "DN-"): 28 characters. */
export function portmapChainName(network: string, containerId: string): string {
  return `CNI-DN-${sha512Hex(network + containerId).slice(0, 21)}`;
}

function comment(network: string, containerId: string): string {
  return `"dnat name: \\"${network}\\" id: \\"${containerId}\\""`;
}

/** The entry rules of the attachment's chain in CNI-HOSTPORT-DNAT (one per protocol and 15 ports). */
function entryRules(network: string, containerId: string, maps: readonly PortMapping[]): string[] {
  const chain = portmapChainName(network, containerId);
  const byProto = new Map<string, number[]>();
  for (const m of maps) byProto.set(m.protocol, [...(byProto.get(m.protocol) ?? []), m.hostPort]);
  const out: string[] = [];
  for (const proto of [...byProto.keys()].sort()) {
    const ports = byProto.get(proto)!;
    for (let i = 0; i < ports.length; i += 15) out.push(`-A ${DNAT} -p ${proto} -m comment --comment ${comment(network, containerId)} -m multiport --dports ${ports.slice(i, i + 15).join(',')} -j ${chain}`);
  }
  return out;
}

/** portmap ADD for the pod's IPv4 address `ip`/`prefix` (the result's address on eth0). */
export function portmapAdd(host: Netns, network: string, containerId: string, ip: string, prefix: number, maps: readonly PortMapping[]): void {
  if (!maps.length) return;
  const nf = host.netfilter;
  const lines = ['*nat'];
  if (!getChain(nf, 'nat', SETMARK)) lines.push(`:${SETMARK} - [0:0]`, `-A ${SETMARK} -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark ${MARK}`);
  if (!getChain(nf, 'nat', MASQ)) lines.push(`:${MASQ} - [0:0]`, `-A ${MASQ} -m mark --mark ${MARK} -j MASQUERADE`, `-I POSTROUTING 1 -m comment --comment "CNI portfwd requiring masquerade" -j ${MASQ}`);
  if (!getChain(nf, 'nat', DNAT)) lines.push(`:${DNAT} - [0:0]`, `-A PREROUTING -m addrtype --dst-type LOCAL -j ${DNAT}`, `-A OUTPUT -m addrtype --dst-type LOCAL -j ${DNAT}`);
  const chain = portmapChainName(network, containerId);
  lines.push(`:${chain} - [0:0]`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = `${intToIpv4((ipv4ToInt(ip) & mask) >>> 0)}/${prefix}`;
  for (const m of maps) {
    const dst = m.hostIP && m.hostIP !== '0.0.0.0' ? `-d ${m.hostIP}/32 ` : '';
    const base = `-p ${m.protocol} -m ${m.protocol} --dport ${m.hostPort}`;
    lines.push(`-A ${chain} -s ${net} ${dst}${base} -j ${SETMARK}`, `-A ${chain} -s 127.0.0.1/32 ${dst}${base} -j ${SETMARK}`, `-A ${chain} ${dst}${base} -j DNAT --to-destination ${ip}:${m.containerPort}`);
  }
  lines.push(...entryRules(network, containerId, maps), 'COMMIT', '');
  restore(nf, lines.join('\n'), { noflush: true });
}

/** portmap DEL: the attachment's chain and the rules that enter it; idempotent. */
export function portmapDel(host: Netns, network: string, containerId: string): void {
  const chain = portmapChainName(network, containerId);
  const dnat = getChain(host.netfilter, 'nat', DNAT);
  if (!getChain(host.netfilter, 'nat', chain) || !dnat) return;
  // The entry rules by number, last first (iptables -D keeps the numbers of those before).
  const del: string[] = [];
  dnat.rules.forEach((r, i) => {
    if (r.target?.name === chain) del.unshift(`-D ${DNAT} ${i + 1}`);
  });
  restore(host.netfilter, ['*nat', ...del, `-F ${chain}`, `-X ${chain}`, 'COMMIT', ''].join('\n'), { noflush: true });
}
