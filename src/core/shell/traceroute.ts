/**
 * `traceroute [-n] [-m MAX] HOST` (traceroute 2.1): one line per router that decrements the TTL
 * on the way (the trace's forwarding hops), each named by the address it would answer from (its
 * source address toward the client), then the destination; `* * *` for the hops after a silent
 * drop, up to the maximum. Times are deterministic simulated values.
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { Flow, Hop } from '../trace/types';
import { resolveName } from './resolver';
import { runFlow } from './flows';
import { lookupRoute, sourceAddressFor } from '../model/routes';
import { err } from './output';

const HELP = `Usage:
  traceroute [ -n ] [ -m max_ttl ] host
Options:
  -n                          Do not resolve IP addresses to their domain names
  -m max_ttl  --max-hops=max_ttl  Set the max number of hops (max TTL to be reached). Default is 30
`;

function routerAddress(ctx: ShellContext, hop: Hop, client: string): string {
  const ns = ctx.model.netns.get(hop.netns);
  if (!ns) return '*';
  const d = lookupRoute(ns, client);
  const src = d.kind === 'unicast' ? sourceAddressFor(ns, d.route) : undefined;
  return src ?? ns.devices.flatMap((x) => x.addresses).find((a) => a.scope === 'global')?.ip ?? '*';
}

function routers(flow: Flow): Hop[] {
  return flow.hops.filter((h) => h.stage === 'forward' && (h.changed ?? []).includes('ipv4.ttl'));
}

function clientIp(flow: Flow): string {
  const ip = flow.hops[0]?.packet.headers.find((h) => h.kind === 'ipv4');
  return ip && ip.kind === 'ipv4' ? ip.src : '0.0.0.0';
}

function times(n: number): string {
  return [0, 1, 2].map((k) => `  ${(0.045 + n * 0.031 + k * 0.004).toFixed(3)} ms`).join('');
}

function line(ttl: number, ip: string, numeric: boolean): string {
  return `${String(ttl).padStart(2)}  ${numeric ? ip : `${ip} (${ip})`}${times(ttl)}`;
}

function parse(args: string[]): { host: string; numeric: boolean; max: number } | ShellResult {
  let host = '';
  let numeric = false;
  let max = 30;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '-n') numeric = true;
    else if (w === '-m') max = Number(args[++i]);
    else if (w.startsWith('--max-hops=')) max = Number(w.slice(11));
    else if (w === '-I' || w === '-T' || w === '-U') continue;
    else if (w.startsWith('-')) return err(`Bad option \`${w}' (argc ${i + 1})`, 2);
    else host = w;
  }
  if (!host) return err(HELP, 2);
  if (!Number.isInteger(max) || max < 1 || max > 255) return err('max hops cannot be more than 255', 2);
  return { host, numeric, max };
}

function runTraceroute(ctx: ShellContext, args: string[]): ShellResult {
  const a = parse(args);
  if ('exitCode' in a) return a;
  const flows: Flow[] = [];
  const res = resolveName(ctx, a.host);
  if (res.flow) flows.push(res.flow);
  const ip = res.addresses[0];
  if (!ip) return { stdout: '', stderr: `${a.host}: ${res.status === 'nxdomain' ? 'Name or service not known' : 'Temporary failure in name resolution'}\nCannot handle "host" cmdline arg \`${a.host}' on position 1 (argc ${args.indexOf(a.host) + 1})\n`, exitCode: 2, flows };
  const r = runFlow(ctx, ip, 'ICMP');
  if (!r.ok) return { ...err(`traceroute: ${r.error}`, 2), flows };
  flows.push(r.flow);
  let stdout = `traceroute to ${a.host} (${ip}), ${a.max} hops max, 60 byte packets\n`;
  const client = clientIp(r.flow);
  const path = routers(r.flow).map((h) => routerAddress(ctx, h, client));
  let ttl = 1;
  for (const hopIp of path) if (ttl <= a.max) stdout += `${line(ttl++, hopIp, a.numeric)}\n`;
  if (r.flow.verdict === 'delivered' && ttl <= a.max) stdout += `${line(ttl, ip, a.numeric)}\n`;
  else for (; ttl <= a.max; ttl++) stdout += `${String(ttl).padStart(2)}  * * *\n`;
  return { stdout, stderr: '', exitCode: 0, flows };
}

/** `traceroute`: the routers a simulated packet crosses. */
export const tracerouteCommand: Command = {
  name: 'traceroute',
  summary: 'list the routers on the way (traceroute -n IP|NAME)',
  help: HELP,
  run: runTraceroute,
  complete: (ctx) => [...ctx.model.pods.map((p) => p.ip), ...ctx.model.nodes.map((n) => n.ip)],
};
