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
  /**
   * The latest non-zero weight (`dest->last_weight`): a server quiesced to weight 0 keeps its
   * share of mh's lookup table (it takes no new connections, but the table does not reshuffle).
   */
  lastWeight: number;
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
  /**
   * The scheduler flags (`-b`, IP_VS_SVC_F_SCHED1..3), whose meaning depends on the scheduler:
   * sh-fallback/sh-port for sh, mh-fallback/mh-port for mh, flag-1..3 otherwise.
   */
  schedFlags: number;
  /** Real servers in the order they were added; the kernel's list is the reverse (list_add_rcu at the head). */
  dests: IpvsDest[];
  /** Scheduler state (rr/wrr position). */
  cursor: number;
  /** wrr: the current weight in the interleaving. */
  cw: number;
}

/** IP_VS_SVC_F_SCHED1..3 (include/uapi/linux/ip_vs.h). */
export const IPVS_SVC_F_SCHED1 = 0x0008;
export const IPVS_SVC_F_SCHED2 = 0x0010;
export const IPVS_SVC_F_SCHED3 = 0x0020;
/** mh: when the hashed server is unavailable, walk the table for another (ip_vs_mh.c). */
export const IPVS_SVC_F_SCHED_MH_FALLBACK = IPVS_SVC_F_SCHED1;
/** mh: hash the client's source port as well as its address. */
export const IPVS_SVC_F_SCHED_MH_PORT = IPVS_SVC_F_SCHED2;

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
