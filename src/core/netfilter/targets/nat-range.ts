/**
 * The `ADDR[-ADDR][:PORT[-PORT]]` ranges of DNAT `--to-destination` and SNAT `--to-source`, and
 * the `PORT[-PORT]` of MASQUERADE/REDIRECT `--to-ports`. A port range needs `-p tcp|udp|sctp|dccp`
 * in the rule, as iptables insists ("Need TCP, UDP, SCTP or DCCP with port specification").
 */
import { inetAton } from '../address';
import { intToIpv4 } from '../../util/ip';
import type { ParseResult } from '../module';

/** A parsed NAT range. */
export interface NatRange {
  minIp?: string;
  maxIp?: string;
  ports?: [number, number];
}

const PORT_PROTOCOLS = [6, 17, 132, 33];

/** `s` as a number when it is only decimal digits (at most 15 of them), else undefined. */
function decimal(s: string): number | undefined {
  if (s.length === 0 || s.length > 15) return undefined;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** Parses `PORT[-PORT]`. */
export function parsePortSpec(s: string, protocol: number | undefined): ParseResult<[number, number]> {
  if (protocol === undefined || !PORT_PROTOCOLS.includes(protocol))
    return { ok: false, error: 'Need TCP, UDP, SCTP or DCCP with port specification' };
  const single = decimal(s);
  if (single !== undefined) {
    if (single < 1 || single > 65535) return { ok: false, error: `Port "${s}" not valid` };
    return { ok: true, parsed: [single, single] };
  }
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi > 65535 || lo > hi) return { ok: false, error: `Port "${s}" not valid` };
  return { ok: true, parsed: [lo, hi] };
}

/** Parses `ADDR[-ADDR][:PORT[-PORT]]`. */
export function parseNatRange(s: string, protocol: number | undefined): ParseResult<NatRange> {
  const colon = s.indexOf(':');
  const addrs = colon < 0 ? s : s.slice(0, colon);
  const out: NatRange = {};
  if (colon >= 0) {
    const ports = parsePortSpec(s.slice(colon + 1), protocol);
    if (!ports.ok) return ports;
    out.ports = ports.parsed;
  }
  if (addrs !== '') {
    const [a, b] = addrs.includes('-') ? addrs.split('-') : [addrs, undefined];
    const lo = inetAton(a ?? '');
    const hi = b === undefined ? lo : inetAton(b);
    if (lo === undefined || hi === undefined || hi < lo) return { ok: false, error: `Bad IP address "${addrs}"` };
    out.minIp = intToIpv4(lo);
    // One address (DNAT to an endpoint): the same text for both ends.
    out.maxIp = hi === lo ? out.minIp : intToIpv4(hi);
  }
  return { ok: true, parsed: out };
}

/** As iptables-save prints a range. */
export function renderNatRange(r: NatRange): string {
  let s = r.minIp ?? '';
  if (r.maxIp !== undefined && r.maxIp !== r.minIp) s += `-${r.maxIp}`;
  if (r.ports) s += `:${renderPorts(r.ports)}`;
  return s;
}

/** `80` or `80-90`. */
export function renderPorts(p: readonly [number, number]): string {
  return p[0] === p[1] ? String(p[0]) : `${p[0]}-${p[1]}`;
}
