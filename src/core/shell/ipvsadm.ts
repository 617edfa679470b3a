/**
 * `ipvsadm -Ln [--stats] [-c]`: the IPVS table of the namespace (kube-proxy's IPVS mode). The
 * listing is core/render/ipvsadm; `--stats` follows ipvsadm's `FMT_STATS` layout (`%-33s` then
 * ` %8llu` per column). The model keeps connections, not packet counters, so the statistics are
 * counted from its connection table: each connection is one SYN in and, in NAT (Masq) mode, one
 * SYN-ACK out, as the simulated exchanges are.
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { IpvsConn, IpvsService } from '../ipvs/types';
import { renderIpvsadm } from '../render/ipvsadm';
import { err, out } from './output';

const HELP = `ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)
Usage:
  ipvsadm -L|l [virtual-service] [options]
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

function renderStats(services: IpvsService[], conns: IpvsConn[]): string {
  let s = 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n';
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

function runIpvsadm(ctx: ShellContext, raw: string[]): ShellResult {
  const args = raw.flatMap((a) => (/^-[a-zA-Z]{2,}$/.test(a) ? [...a.slice(1)].map((c) => `-${c}`) : [a]));
  let list = false;
  let withStats = false;
  let connections = false;
  for (const a of args) {
    if (a === '-L' || a === '-l' || a === '--list') list = true;
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
  return out(withStats ? renderStats(ipvs?.services ?? [], ipvs?.conns ?? []) : renderIpvsadm(ipvs));
}

/** `ipvsadm`: kube-proxy IPVS mode's virtual services and real servers. */
export const ipvsadmCommand: Command = {
  name: 'ipvsadm',
  summary: 'list IPVS virtual services and real servers (ipvsadm -Ln [--stats])',
  help: HELP,
  run: runIpvsadm,
  complete: () => ['-Ln', '--stats', '-c'],
};
