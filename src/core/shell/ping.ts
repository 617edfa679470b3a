/**
 * `ping [-c N] [-t TTL] HOST` (iputils): one ICMP echo flow per packet; each reply line shows the
 * TTL of the reply as it was delivered, a deterministic simulated time, and the iputils summary
 * (fixtures/tool-output/ping-*.txt). ICMP errors become iputils' "From IP icmp_seq=N …" lines.
 * Without `-c`, four packets are sent (a terminal here cannot be interrupted with Ctrl-C).
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { Flow } from '../trace/types';
import { resolveName } from './resolver';
import { netnsAddress, runFlow, simulatedRtt, lastHop } from './flows';
import { err } from './output';
import { findLocalAddress } from '../model/netns';
import { ipv4ToInt } from '../util/ip';
import { lookupRoute, sourceAddressFor } from '../model/routes';

const HELP = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -c <count>         stop after <count> replies
  -q                 quiet output
  -t <ttl>           define time to live
(hopscope: without -c, 4 packets are sent)
`;

interface PingArgs {
  host: string;
  count: number;
  quiet: boolean;
  /** `-t`: the echo requests' IP TTL (IP_TTL on the socket); 64 when not given. */
  ttl?: number;
}

function parseArgs(args: string[]): PingArgs | ShellResult {
  const a: PingArgs = { host: '', count: 4, quiet: false };
  args = args.flatMap((w) => (/^-[cWits]\d+$/.test(w) ? [w.slice(0, 2), w.slice(2)] : [w]));
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '-c' || w === '-W' || w === '-i' || w === '-t' || w === '-s') {
      const v = args[++i];
      if (v === undefined) return err(`ping: option requires an argument -- '${w[1]}'\n${HELP}`, 2);
      if (w === '-c') {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 100) return err(`ping: invalid argument: '${v}': out of range: 1 <= value <= 100 (hopscope's limit)`, 1);
        a.count = n;
      } else if (w === '-t') {
        // iputils: strtol_or_err(optarg, "invalid argument", 0, 255); then IP_TTL refuses 0.
        if (!/^\d+$/.test(v)) return err(`ping: invalid argument: '${v}'`, 1);
        const n = Number(v);
        if (n > 255) return err(`ping: invalid argument: '${v}': out of range: 0 <= value <= 255`, 1);
        if (n === 0) return err('ping: cannot set unicast time-to-live: Invalid argument', 2);
        a.ttl = n;
      } else if (w === '-s' && v !== '56') {
        // Sizes are not modelled (every echo carries 56 bytes; no fragmentation or PMTU): an
        // ignored -s would let a 1472-byte ping cross a 1450-byte VXLAN path as if it fit.
        return err(`hopscope: ping -s ${v} is not simulated: echo requests carry the default 56 data bytes, and packet sizes, fragmentation and path MTU are not modelled`, 2);
      }
    } else if (w === '-q') a.quiet = true;
    else if (w === '-n' || w === '-4') continue;
    else if (w.startsWith('-')) return err(`ping: invalid option -- '${w.replace(/^-+/, '')[0]}'\n${HELP}`, 2);
    else a.host = w;
  }
  if (!a.host) return err('ping: usage error: Destination address required', 1);
  return a;
}

function replyTtl(flow: Flow): number {
  const hops = flow.reply?.hops ?? [];
  const ip = hops[hops.length - 1]?.packet.headers.find((h) => h.kind === 'ipv4');
  return ip && ip.kind === 'ipv4' ? ip.ttl : 64;
}

/**
 * The source of the ICMP error (icmp.c __icmp_send): the offending packet's destination when
 * that is an address of the namespace that answers (a local delivery, e.g. a REJECT at INPUT);
 * otherwise (a forwarded packet, saddr left 0) the source the namespace's route back to the
 * client picks, e.g. a flannel node's flannel.1 address, as traceroute names the same router.
 */
function errorSource(ctx: ShellContext, flow: Flow, hop: Flow['hops'][number]): string {
  const ns = ctx.model.netns.get(hop.netns);
  const ip = hop.packet.headers.find((h) => h.kind === 'ipv4');
  if (ns && ip?.kind === 'ipv4' && findLocalAddress(ns, ipv4ToInt(ip.dst))) return ip.dst;
  const first = flow.hops[0]?.packet.headers.find((h) => h.kind === 'ipv4');
  if (ns && first && first.kind === 'ipv4') {
    const d = lookupRoute(ns, first.src);
    const src = d.kind === 'unicast' ? sourceAddressFor(ns, d.route) : undefined;
    if (src) return src;
  }
  return netnsAddress(ctx, hop.netns);
}

function errorLine(ctx: ShellContext, flow: Flow, seq: number): string | undefined {
  const reason = flow.reason ?? '';
  const hop = lastHop(flow);
  const from = hop ? errorSource(ctx, flow, hop) : '0.0.0.0';
  if (reason === 'ttl-exceeded') return `From ${from} icmp_seq=${seq} Time to live exceeded`;
  if (reason === 'arp-failed') return `From ${from} icmp_seq=${seq} Destination Host Unreachable`;
  if (/port-unreachable|reject|no-endpoints/.test(reason)) return `From ${from} icmp_seq=${seq} Destination Port Unreachable`;
  // A blackhole route drops silently: the kernel's ip_error() sends nothing for its -EINVAL.
  if (reason === 'no-route' && hop?.rule?.kind === 'route' && hop.rule.text.startsWith('blackhole')) return undefined;
  if (reason === 'no-route' && hop && hop.netns !== flow.hops[0]?.netns) return `From ${from} icmp_seq=${seq} Destination Net Unreachable`;
  return undefined;
}

/**
 * The statistics. iputils prints `pipe N` only when more than one probe was outstanding at
 * once (ping_common.c finish: pipesize > 1): an unanswered ARP holds each echo for seconds
 * before "Destination Host Unreachable", while a router's TTL-exceeded or unreachable error
 * comes back before the next echo leaves, so those keep the pipe at 1 and print none.
 */
function summary(host: string, sent: number, rtts: number[], errors: number, delayed: number): string {
  const got = rtts.length;
  const loss = Math.round(((sent - got) / sent) * 100);
  let s = `\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${got} received${errors ? `, +${errors} errors` : ''}, ${loss}% packet loss, time ${(sent - 1) * 1000 + sent - 1}ms\n`;
  if (got) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((x, y) => x + y, 0) / got;
    const mdev = Math.sqrt(rtts.reduce((x, y) => x + (y - avg) ** 2, 0) / got);
    s += `rtt min/avg/max/mdev = ${[min, avg, max, mdev].map((v) => v.toFixed(3)).join('/')} ms\n`;
  } else if (Math.min(delayed, sent) > 1) s += `pipe ${Math.min(delayed, sent)}\n`;
  return s;
}

function runPing(ctx: ShellContext, args: string[]): ShellResult {
  const a = parseArgs(args);
  if ('exitCode' in a) return a;
  const flows: Flow[] = [];
  const res = resolveName(ctx, a.host);
  if (res.flow) flows.push(res.flow);
  const ip = res.addresses[0];
  if (!ip) return { stdout: '', stderr: `ping: ${a.host}: ${res.status === 'nxdomain' ? 'Name or service not known' : 'Temporary failure in name resolution'}\n`, exitCode: 2, flows };
  const label = ip === a.host ? ip : `${res.fqdn ?? a.host} (${ip})`;
  let stdout = `PING ${a.host} (${ip}) 56(84) bytes of data.\n`;
  const rtts: number[] = [];
  let errors = 0;
  let delayed = 0;
  for (let seq = 1; seq <= a.count; seq++) {
    const r = runFlow(ctx, ip, 'ICMP', undefined, a.ttl);
    if (!r.ok) return { stdout: '', stderr: `ping: ${r.error}\n`, exitCode: 2, flows };
    flows.push(r.flow);
    if (seq === 1 && r.flow.reason === 'no-route' && r.flow.hops.length <= 1) return { stdout: '', stderr: 'ping: connect: Network is unreachable\n', exitCode: 2, flows };
    if (r.flow.verdict === 'delivered') {
      const rtt = simulatedRtt(r.flow, seq);
      rtts.push(rtt);
      if (!a.quiet) stdout += `64 bytes from ${label}: icmp_seq=${seq} ttl=${replyTtl(r.flow)} time=${rtt.toFixed(3)} ms\n`;
      continue;
    }
    const line = errorLine(ctx, r.flow, seq);
    if (line) {
      errors++;
      if (r.flow.reason === 'arp-failed') delayed++;
      if (!a.quiet) stdout += `${line}\n`;
    }
  }
  stdout += summary(a.host, a.count, rtts, errors, delayed);
  return { stdout, stderr: '', exitCode: rtts.length ? 0 : 1, flows };
}

/** `ping`: ICMP echo over simulated flows. */
export const pingCommand: Command = {
  name: 'ping',
  summary: 'ICMP echo over simulated flows (ping -c 3 IP|NAME)',
  help: HELP,
  run: runPing,
  complete: (ctx) => [...ctx.model.pods.map((p) => p.ip), ...ctx.model.nodes.map((n) => n.ip)],
};
