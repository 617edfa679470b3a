/**
 * `ipvsadm -Ln`, exactly as ipvsadm prints it: services sorted by protocol number, address,
 * port; real servers by address and port; `"  -> %-28s %-7s %-6d %-10u %-10u"` per server
 * (trailing spaces included).
 */
import type { IpvsState } from '../ipvs/types';
import { ipv4ToInt } from '../util/ip';

const PROTO_NUM = { tcp: 6, udp: 17, sctp: 132 } as const;

export function renderIpvsadm(s: IpvsState | undefined): string {
  let out = 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
  if (!s) return out;
  const services = [...s.services].sort((a, b) => PROTO_NUM[a.protocol] - PROTO_NUM[b.protocol] || ipv4ToInt(a.address) - ipv4ToInt(b.address) || a.port - b.port);
  for (const svc of services) {
    const head = `${svc.protocol.toUpperCase()}  ${svc.address}:${svc.port}`.slice(0, 33);
    out += `${head} ${svc.scheduler}${svc.persistent !== undefined ? ` persistent ${svc.persistent}` : ''}\n`;
    const dests = [...svc.dests].sort((a, b) => ipv4ToInt(a.address) - ipv4ToInt(b.address) || a.port - b.port);
    for (const d of dests) {
      out += `  -> ${`${d.address}:${d.port}`.padEnd(28)} ${d.forward.padEnd(7)} ${String(d.weight).padEnd(6)} ${String(d.activeConns).padEnd(10)} ${String(d.inactiveConns).padEnd(10)}\n`;
    }
  }
  return out;
}
