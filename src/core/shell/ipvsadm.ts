/**
 * `ipvsadm -Ln [-t|-u|--sctp-service ADDRESS:PORT] [--stats] [-c]`: the IPVS table of the namespace (kube-proxy's IPVS mode). The
 * listing is core/render/ipvsadm; `--stats` follows ipvsadm's `FMT_STATS` layout (`%-33s` then
 * ` %8llu` per column). The model keeps connections, not packet counters, so the statistics are
 * counted from its connection table: each connection is one SYN in and, in NAT (Masq) mode, one
 * SYN-ACK out, as the simulated exchanges are.
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { IpvsConn, IpvsService } from '../ipvs/types';
import type { IpvsServiceKey } from '../render/ipvsadm';
import { renderIpvsadm, sameService } from '../render/ipvsadm';
import { err, out } from './output';

const HELP = `ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)
Usage:
  ipvsadm -L|l [virtual-service] [options]
virtual-service:
  --tcp-service|-t  service-address   service-address is host[:port]
  --udp-service|-u  service-address   service-address is host[:port]
  --sctp-service    service-address   service-address is host[:port]
Options:
  --numeric      -n                   numeric output of addresses and ports
  --stats                             output of statistics information
  --connection   -c                   output of current IPVS connections
(hopscope lists the IPVS table; changes are made by kube-proxy from the scenario's Services)
`;

const PKT = 60;

function stats(conns: IpvsConn[], masq: boolean): string {
  const n = conns.length;
  return [n, n, masq ? n : 0, n * PKT, masq ? n * PKT : 0].map((v) => ` ${String(v).padStart(8)}`).join('');
}

function renderStats(services: IpvsService[], conns: IpvsConn[], one: boolean): string {
  let s = `${one ? '' : 'IP Virtual Server version 1.2.1 (size=4096)\n'}Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n`;
  for (const svc of services) {
    const mine = conns.filter((c) => c.protocol === svc.protocol && c.vip.ip === svc.address && c.vip.port === svc.port);
    s += `${`${svc.protocol.toUpperCase()}  ${svc.address}:${svc.port}`.padEnd(33)}${stats(mine, svc.dests.some((d) => d.forward === 'Masq'))}\n`;
    for (const d of svc.dests) {
      const dc = mine.filter((c) => c.dest.ip === d.address && c.dest.port === d.port);
      s += `  -> ${`${d.address}:${d.port}`.padEnd(28)}${stats(dc, d.forward === 'Masq')}\n`;
    }
  }
  return s;
}

function renderConns(ctx: ShellContext, conns: IpvsConn[]): string {
  let s = 'IPVS connection entries\npro expire state       source             virtual            destination\n';
  for (const c of conns) {
    const left = Math.max(0, Math.ceil(c.expires - ctx.now));
    const mmss = `${String(Math.floor(left / 60)).padStart(2, '0')}:${String(left % 60).padStart(2, '0')}`;
    s += `${c.protocol.toUpperCase()} ${mmss}  ${(c.protocol === 'tcp' ? 'SYN_RECV' : 'UDP').padEnd(11)} ${`${c.client.ip}:${c.client.port}`.padEnd(18)} ${`${c.vip.ip}:${c.vip.port}`.padEnd(18)} ${c.dest.ip}:${c.dest.port}\n`;
  }
  return s;
}

/** The options that name a virtual service, by the protocol they select. */
const SERVICE_OPTIONS: Record<string, IpvsServiceKey['protocol']> = { '-t': 'tcp', '--tcp-service': 'tcp', '-u': 'udp', '--udp-service': 'udp', '--sctp-service': 'sctp' };

/** `ADDRESS:PORT` of a service option (numeric IPv4 only: the table holds nothing else). */
function serviceKey(protocol: IpvsServiceKey['protocol'], text: string | undefined): IpvsServiceKey | undefined {
  const m = text === undefined ? null : /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(text);
  // Without a port ipvsadm asks for port 0, which no kube-proxy service has.
  return m ? { protocol, address: m[1]!, port: Number(m[2] ?? 0) } : undefined;
}

function runIpvsadm(ctx: ShellContext, raw: string[]): ShellResult {
  const args = raw.flatMap((a) => (/^-[a-zA-Z]{2,}$/.test(a) ? [...a.slice(1)].map((c) => `-${c}`) : [a]));
  let list = false;
  let withStats = false;
  let connections = false;
  let only: IpvsServiceKey | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const protocol = SERVICE_OPTIONS[a];
    if (protocol) {
      only = serviceKey(protocol, args[++i]);
      if (!only) return err(`ipvsadm: illegal virtual server address[:port] specified\n${HELP}`, 2);
    } else if (a === '-L' || a === '-l' || a === '--list') list = true;
    else if (a === '-n' || a === '--numeric') continue;
    else if (a === '--stats') withStats = true;
    else if (a === '-c' || a === '--connection') connections = true;
    else if (a === '-h' || a === '--help') return out(HELP);
    else if (/^-[ADEaedCRSZ]$/.test(a)) return err(`hopscope: \`ipvsadm ${a}\` would change the IPVS table that kube-proxy owns; this terminal only inspects it`, 2);
    else return err(`ipvsadm: invalid option -- '${a.replace(/^-+/, '')}'\n${HELP}`, 2);
  }
  if (!list && !connections && args.length) return err(HELP, 2);
  const ipvs = ctx.netns.ipvs;
  if (connections) return out(renderConns(ctx, ipvs?.conns ?? []));
  // list_service asks the kernel for that one service; ESRCH reads "No such service".
  if (only && !(ipvs?.services ?? []).some((x) => sameService(x, only))) return err('No such service\n', 1);
  if (!withStats) return out(renderIpvsadm(ipvs, only));
  return out(renderStats((ipvs?.services ?? []).filter((x) => !only || sameService(x, only)), ipvs?.conns ?? [], only !== undefined));
}

/** `ipvsadm`: kube-proxy IPVS mode's virtual services and real servers. */
export const ipvsadmCommand: Command = {
  name: 'ipvsadm',
  summary: 'list IPVS virtual services and real servers (ipvsadm -Ln [--stats])',
  help: HELP,
  run: runIpvsadm,
  complete: () => ['-Ln', '--stats', '-c'],
};
