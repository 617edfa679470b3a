/**
 * `ipvsadm -Ln`, exactly as ipvsadm prints it: services sorted by protocol number, address,
 * port; real servers by address and port; `"  -> %-28s %-7s %-6d %-10u %-10u"` per server
 * (trailing spaces included). Scheduler flags follow the scheduler in parentheses, persistence after them.
 */
import type { IpvsService, IpvsState } from '../ipvs/types';
import { IPVS_SVC_F_SCHED1, IPVS_SVC_F_SCHED2, IPVS_SVC_F_SCHED3 } from '../ipvs/types';
import { ipv4ToInt } from '../util/ip';

const PROTO_NUM = { tcp: 6, udp: 17, sctp: 132 } as const;

/** The names ipvsadm's print_sched_flags gives the scheduler flags: per scheduler for sh and mh. */
const FLAG_NAMES: Record<string, [number, string][]> = {
  sh: [
    [IPVS_SVC_F_SCHED1, 'sh-fallback'],
    [IPVS_SVC_F_SCHED2, 'sh-port'],
  ],
  mh: [
    [IPVS_SVC_F_SCHED1, 'mh-fallback'],
    [IPVS_SVC_F_SCHED2, 'mh-port'],
  ],
};
const GENERIC_FLAGS: [number, string][] = [
  [IPVS_SVC_F_SCHED1, 'flag-1'],
  [IPVS_SVC_F_SCHED2, 'flag-2'],
  [IPVS_SVC_F_SCHED3, 'flag-3'],
];

/** ` (mh-port)` after the scheduler when any scheduler flag is set (sh and mh name no flag 3: ipvsadm then prints ` ()`). */
function schedFlags(svc: IpvsService): string {
  if (!(svc.schedFlags & (IPVS_SVC_F_SCHED1 | IPVS_SVC_F_SCHED2 | IPVS_SVC_F_SCHED3))) return '';
  const names = (FLAG_NAMES[svc.scheduler] ?? GENERIC_FLAGS).filter(([bit]) => svc.schedFlags & bit).map(([, name]) => name);
  return ` (${names.join(',')})`;
}

/** The virtual service `ipvsadm -L -t|-u|--sctp-service ADDRESS:PORT` names. */
export interface IpvsServiceKey {
  protocol: IpvsService['protocol'];
  address: string;
  port: number;
}

export function sameService(svc: IpvsService, key: IpvsServiceKey): boolean {
  return svc.protocol === key.protocol && svc.address === key.address && svc.port === key.port;
}

/** The whole table (list_all), or with `only` that one service under the title alone (list_service: no version line). */
export function renderIpvsadm(s: IpvsState | undefined, only?: IpvsServiceKey): string {
  let out = `${only ? '' : 'IP Virtual Server version 1.2.1 (size=4096)\n'}Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n`;
  if (!s) return out;
  const services = s.services.filter((x) => !only || sameService(x, only)).sort((a, b) => PROTO_NUM[a.protocol] - PROTO_NUM[b.protocol] || ipv4ToInt(a.address) - ipv4ToInt(b.address) || a.port - b.port);
  for (const svc of services) {
    const head = `${svc.protocol.toUpperCase()}  ${svc.address}:${svc.port}`.slice(0, 33);
    out += `${head} ${svc.scheduler}${schedFlags(svc)}${svc.persistent !== undefined ? ` persistent ${svc.persistent}` : ''}\n`;
    const dests = [...svc.dests].sort((a, b) => ipv4ToInt(a.address) - ipv4ToInt(b.address) || a.port - b.port);
    for (const d of dests) {
      out += `  -> ${`${d.address}:${d.port}`.padEnd(28)} ${d.forward.padEnd(7)} ${String(d.weight).padEnd(6)} ${String(d.activeConns).padEnd(10)} ${String(d.inactiveConns).padEnd(10)}\n`;
    }
  }
  return out;
}
