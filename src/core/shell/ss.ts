/**
 * `ss [-tuSlanp46] ` (iproute2 6.1): the sockets of the namespace the terminal stands in, as
 * `kubectl exec POD -- ss -tlnp` prints them. Without a terminal on stdout ss renders its
 * columns compactly (misc/ss.c render_calc_width: each column as wide as its widest field,
 * header included, plus its left delimiter), which is the layout kept here; checked against
 * the real ss in a scratch namespace.
 *
 * The model keeps listening sockets only (a flow is over when it is traced), so `ss` without
 * `-l` or `-a` prints the header alone, and only TCP, UDP and SCTP sockets exist (no netlink
 * or unix rows). `-p` keeps the Process column empty: the processes are in the containers' PID
 * namespaces, which a shell beside them (as with `kubectl debug`) does not see.
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { Netns, Socket } from '../model/types';
import { listenBacklog } from '../model/listen-backlog';

const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -n, --numeric       don't resolve service names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -p, --processes     show process using socket
   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -t, --tcp           display only TCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
(hopscope: only TCP, UDP and SCTP sockets are modelled, and only listening ones; -p shows no process)
`;

type Proto = Socket['protocol'];

interface SsArgs {
  protos: Set<Proto>;
  listening: boolean;
  all: boolean;
  numeric: boolean;
  v6only: boolean;
}

const LONG: Record<string, string> = { '--tcp': 't', '--udp': 'u', '--sctp': 'S', '--listening': 'l', '--all': 'a', '--numeric': 'n', '--processes': 'p', '--ipv4': '4', '--ipv6': '6', '--help': 'h' };

function usageError(first: string): ShellResult {
  return { stdout: '', stderr: `${first}\n${USAGE}`, exitCode: 255 };
}

function parse(args: string[]): SsArgs | ShellResult {
  const a: SsArgs = { protos: new Set(), listening: false, all: false, numeric: false, v6only: false };
  for (const w of args) {
    let letters: string;
    if (w.startsWith('--')) {
      const l = LONG[w];
      if (!l) return usageError(`ss: unrecognized option '${w}'`);
      letters = l;
    } else if (w.startsWith('-') && w.length > 1) letters = w.slice(1);
    else return { stdout: '', stderr: `hopscope: ss filters ("${w}") are not simulated; pipe the listing into grep\n`, exitCode: 1 };
    for (const c of letters) {
      if (c === 't') a.protos.add('tcp');
      else if (c === 'u') a.protos.add('udp');
      else if (c === 'S') a.protos.add('sctp');
      else if (c === 'l') a.listening = true;
      else if (c === 'a') a.all = true;
      else if (c === 'n') a.numeric = true;
      else if (c === 'p') continue; // the Process column stays empty (see above)
      else if (c === '6') a.v6only = true;
      else if (c === '4') a.v6only = false;
      else if (c === 'h') return { stdout: USAGE, stderr: '', exitCode: 0 };
      else return usageError(`ss: invalid option -- '${c}'`);
    }
  }
  if (!a.protos.size) for (const p of ['tcp', 'udp', 'sctp'] as const) a.protos.add(p);
  return a;
}

/** /etc/services (Debian netbase) for the ports the model's sockets use, per protocol. */
const SERVICES: Record<Proto, Record<number, string>> = {
  tcp: { 22: 'ssh', 53: 'domain', 80: 'http', 179: 'bgp', 443: 'https', 8080: 'http-alt' },
  udp: { 53: 'domain', 443: 'https', 5353: 'mdns' },
  sctp: {},
};

/**
 * The UDP sockets the kernel itself opens: a VXLAN device that is up listens on its dstport at
 * the wildcard address (drivers/net/vxlan vxlan_open → vxlan_sock_add, bound to INADDR_ANY even
 * with `local` set), one socket shared by the devices with the same port. No process owns it.
 */
function kernelSockets(ns: Netns): Socket[] {
  const out: Socket[] = [];
  for (const d of ns.devices)
    if (d.kind === 'vxlan' && d.up && !out.some((s) => s.port === d.dstport)) out.push({ protocol: 'udp', port: d.dstport, owner: 'kernel' });
  return out;
}

/** ss's column layout: header, alignment, left delimiter (misc/ss.c `columns`). */
const COLUMNS = [
  { header: 'Netid', right: false, ldelim: '' },
  { header: 'State', right: false, ldelim: ' ' },
  { header: 'Recv-Q', right: false, ldelim: ' ' },
  { header: 'Send-Q', right: false, ldelim: ' ' },
  { header: 'Local Address:', right: true, ldelim: ' ' },
  { header: 'Port', right: false, ldelim: '' },
  { header: 'Peer Address:', right: true, ldelim: ' ' },
  { header: 'Port', right: false, ldelim: '' },
  { header: 'Process', right: false, ldelim: '' },
] as const;

/**
 * The compact rendering: a column is its widest field plus its delimiter (none for the first
 * shown), right-aligned columns padded on the left, the others on the right; the Process
 * column is padded too, as the empty extension column after it is the last one.
 */
function render(rows: string[][], netid: boolean): string {
  const shown = COLUMNS.map((_, i) => i).filter((i) => netid || i !== 0);
  const lines = [COLUMNS.map((c) => c.header as string), ...rows];
  const width = new Map<number, number>();
  shown.forEach((i, k) => {
    const max = Math.max(...lines.map((l) => l[i]!.length));
    width.set(i, max && k > 0 ? max + COLUMNS[i]!.ldelim.length : max);
  });
  return lines
    .map((l) =>
      shown
        .map((i, k) => {
          const c = COLUMNS[i]!;
          const text = (k > 0 ? c.ldelim : '') + (c.right ? ' '.repeat(Math.max(0, width.get(i)! - l[i]!.length - (k > 0 ? c.ldelim.length : 0))) : '') + l[i]!;
          return c.right ? text : text.padEnd(width.get(i)!);
        })
        .join(''),
    )
    .map((s) => `${s}\n`)
    .join('');
}

function runSs(ctx: ShellContext, args: string[]): ShellResult {
  const a = parse(args);
  if ('exitCode' in a) return a;
  const rows: string[][] = [];
  // ss dumps UDP before TCP, SCTP last (main(): udp_show, tcp_show, sctp_show).
  for (const proto of ['udp', 'tcp', 'sctp'] as const) {
    if (!a.protos.has(proto) || a.v6only) continue;
    // Every modelled socket listens: shown with -l or -a (a bound UDP socket is UNCONN, state CLOSE).
    if (!a.listening && !a.all) continue;
    for (const s of [...ctx.netns.sockets, ...kernelSockets(ctx.netns)]) {
      if (s.protocol !== proto) continue;
      const port = a.numeric ? String(s.port) : (SERVICES[proto][s.port] ?? String(s.port));
      const state = proto === 'udp' ? 'UNCONN' : 'LISTEN';
      rows.push([proto, state, '0', proto === 'udp' ? '0' : String(listenBacklog(ctx.model, ctx.netns, s)), `${s.address ?? '0.0.0.0'}:`, port, '0.0.0.0:', '*', '']);
    }
  }
  return { stdout: render(rows, a.protos.size > 1), stderr: '', exitCode: 0 };
}

/** `ss`: the namespace's sockets. */
export const ssCommand: Command = {
  name: 'ss',
  summary: 'sockets of this namespace (ss -tlnp, ss -uln)',
  help: USAGE,
  run: runSs,
};
