/**
 * IPVS as the kernel holds it (`ipvsadm -Ln`): virtual services keyed by protocol, address and
 * port, each with a scheduler and real servers; a connection table remembers which real server
 * a client connection went to, so later packets and replies follow it.
 * Read first: net/netfilter/ipvs/ip_vs_core.c (ip_vs_in, ip_vs_out), ip_vs_xmit.c, ipvsadm(8).
 */

export type IpvsProtocol = 'tcp' | 'udp' | 'sctp';
/** Forwarding methods as ipvsadm prints them: NAT, direct routing, IPIP tunnel. */
export type IpvsForward = 'Masq' | 'Route' | 'Tunnel';

export interface IpvsDest {
  address: string;
  port: number;
  forward: IpvsForward;
  weight: number;
  activeConns: number;
  inactiveConns: number;
}

export interface IpvsService {
  protocol: IpvsProtocol;
  address: string;
  port: number;
  scheduler: string;
  /** `persistent N`: a client keeps its real server for N seconds (sessionAffinity: ClientIP). */
  persistent?: number;
  dests: IpvsDest[];
  /** Scheduler state (rr/wrr position). */
  cursor: number;
  /** wrr: the current weight in the interleaving. */
  cw: number;
}

export interface IpvsConn {
  protocol: IpvsProtocol;
  client: { ip: string; port: number };
  vip: { ip: string; port: number };
  dest: { ip: string; port: number };
  forward: IpvsForward;
  /** Simulated time (s) the entry expires. */
  expires: number;
}

/** A persistence template: client IP → real server, for persistent services. */
export interface IpvsTemplate {
  service: string;
  client: string;
  dest: { ip: string; port: number };
  expires: number;
}

export interface IpvsState {
  services: IpvsService[];
  conns: IpvsConn[];
  templates: IpvsTemplate[];
}
