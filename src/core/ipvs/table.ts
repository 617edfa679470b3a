/**
 * The IPVS table: adding services and real servers (what `ipvsadm -A/-a` and kube-proxy's
 * netlink calls do), looking a packet up, scheduling a new connection, finding the connection
 * a reply belongs to.
 */
import type { IpvsConn, IpvsDest, IpvsForward, IpvsProtocol, IpvsService, IpvsState } from './types';
import type { Rng } from '../util/rng';
import { getScheduler } from './schedulers/registry';

export function createIpvs(): IpvsState {
  return { services: [], conns: [], templates: [] };
}

/** `ipvsadm -A -t|-u ADDR:PORT -s SCHED [-p TIMEOUT]`; replaces an existing service's settings. */
export function addService(s: IpvsState, svc: { protocol: IpvsProtocol; address: string; port: number; scheduler?: string; persistent?: number; schedFlags?: number }): IpvsService {
  let found = lookupService(s, svc.protocol, svc.address, svc.port);
  if (!found) {
    found = { protocol: svc.protocol, address: svc.address, port: svc.port, scheduler: svc.scheduler ?? 'rr', schedFlags: 0, dests: [], cursor: -1, cw: 0 };
    s.services.push(found);
  }
  found.scheduler = svc.scheduler ?? found.scheduler;
  found.schedFlags = svc.schedFlags ?? 0;
  if (svc.persistent !== undefined) found.persistent = svc.persistent;
  else delete found.persistent;
  return found;
}

/**
 * `ipvsadm -a|-e … -r ADDR:PORT -m|-g|-i -w WEIGHT`. As __ip_vs_update_dest, a new server's
 * weight and any later non-zero weight become its last weight; setting weight 0 keeps it.
 */
export function addDest(svc: IpvsService, d: { address: string; port: number; forward?: IpvsForward; weight?: number }): IpvsDest {
  let dest = svc.dests.find((x) => x.address === d.address && x.port === d.port);
  if (!dest) {
    const weight = d.weight ?? 1;
    dest = { address: d.address, port: d.port, forward: d.forward ?? 'Masq', weight, lastWeight: weight, activeConns: 0, inactiveConns: 0 };
    svc.dests.push(dest);
  }
  dest.forward = d.forward ?? dest.forward;
  dest.weight = d.weight ?? dest.weight;
  if (dest.weight !== 0) dest.lastWeight = dest.weight;
  return dest;
}

export function lookupService(s: IpvsState, protocol: IpvsProtocol, address: string, port: number): IpvsService | undefined {
  for (const svc of s.services) if (svc.protocol === protocol && svc.address === address && svc.port === port) return svc;
  return undefined;
}

/** An existing connection for this client packet (original direction). */
export function lookupConn(s: IpvsState, protocol: IpvsProtocol, src: string, sport: number, dst: string, dport: number, now: number): IpvsConn | undefined {
  for (const c of s.conns) if (c.expires > now && c.protocol === protocol && c.client.ip === src && c.client.port === sport && c.vip.ip === dst && c.vip.port === dport) return c;
  return undefined;
}

/** The connection a packet from a real server back to a client belongs to (ip_vs_out). */
export function lookupReplyConn(s: IpvsState, protocol: IpvsProtocol, src: string, sport: number, dst: string, dport: number, now: number): IpvsConn | undefined {
  for (const c of s.conns) if (c.expires > now && c.protocol === protocol && c.dest.ip === src && c.dest.port === sport && c.client.ip === dst && c.client.port === dport) return c;
  return undefined;
}

/** Default connection timeouts (ipvsadm -L --timeout): tcp 900 s established, udp 300 s. */
const TIMEOUT: Record<IpvsProtocol, number> = { tcp: 900, udp: 300, sctp: 900 };

/**
 * Picks a real server for a new connection: the persistence template first (persistent
 * services), else the scheduler. Weight-0 servers are never chosen. Returns undefined when no
 * server is available (the kernel then lets the packet continue to the local stack).
 */
export function scheduleConn(s: IpvsState, svc: IpvsService, client: { ip: string; port: number }, rng: Rng, now: number): IpvsConn | undefined {
  const key = `${svc.protocol}/${svc.address}:${svc.port}`;
  let dest: IpvsDest | undefined;
  if (svc.persistent !== undefined) {
    const t = s.templates.find((x) => x.service === key && x.client === client.ip && x.expires > now);
    if (t) dest = svc.dests.find((d) => d.address === t.dest.ip && d.port === t.dest.port && d.weight > 0);
  }
  if (!dest) dest = getScheduler(svc.scheduler)(svc, { client: client.ip, clientPort: client.port, rng });
  if (!dest) return undefined;
  if (svc.persistent !== undefined) {
    s.templates = s.templates.filter((x) => !(x.service === key && x.client === client.ip));
    s.templates.push({ service: key, client: client.ip, dest: { ip: dest.address, port: dest.port }, expires: now + svc.persistent });
  }
  dest.activeConns++;
  const conn: IpvsConn = { protocol: svc.protocol, client, vip: { ip: svc.address, port: svc.port }, dest: { ip: dest.address, port: dest.port }, forward: dest.forward, expires: now + TIMEOUT[svc.protocol] };
  s.conns.push(conn);
  return conn;
}
