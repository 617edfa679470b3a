/**
 * `tcpdump -i IFACE [-n] [-e] [-c N]`: arms a capture on an interface of the namespace the
 * terminal stands in. Like a tcpdump left running in another window, it prints the packets of the
 * next flow that crosses the interface (run `curl`/`ping` next, or on the same line after `&`),
 * then its "packets captured" summary. A packet is seen where it enters and where it leaves the
 * interface (before and after the namespace's NAT), and ARP exchanges appear as request + reply.
 */
import type { Command, ShellContext, ShellResult, Capture } from './types';
import type { Flow, Hop } from '../trace/types';
import type { Packet } from '../datapath/packet';
import { formatTcpdumpLine, formatTimestamp } from './tcpdump-format';
import { err } from './output';

const HELP = `tcpdump version 4.99.3
Usage: tcpdump [-enD] [ -c count ] [ -i interface ]
(hopscope: the capture shows the packets of the next flow that crosses the interface)
`;

function arpRequest(h: Hop): Packet | undefined {
  const arp = h.packet.headers.find((x) => x.kind === 'arp');
  if (!arp || arp.kind !== 'arp') return undefined;
  const req = { kind: 'arp' as const, op: 'request' as const, senderMac: arp.targetMac, senderIp: arp.targetIp, targetMac: '00:00:00:00:00:00', targetIp: arp.senderIp };
  const eth = { kind: 'eth' as const, src: arp.targetMac, dst: 'ff:ff:ff:ff:ff:ff', ethertype: 0x0806 };
  return { headers: [eth, req], payload: { length: 0, summary: '' } };
}

/** Stages where a packet arrives on the hop's device (tcpdump sees it before any NAT here). */
const RX = new Set(['veth', 'bridge', 'decap', 'wire', 'nic']);
/** Stages after which the packet leaves by the hop's device (tcpdump sees it after POSTROUTING). */
function isTx(stage: string): boolean {
  return stage === 'route' || stage === 'forward' || stage === 'encap' || stage === 'bridge' || stage === 'ipvs' || stage.startsWith('netfilter:');
}

/**
 * What a tunnel device transmits: the frame or packet it was handed, before the encapsulation
 * the encap hop records (the outer headers are the underlay device's, not the tunnel's): after
 * the VXLAN header the inner Ethernet frame, after IPIP's outer IP header the inner packet.
 */
function beforeEncap(p: Packet): Packet {
  const vx = p.headers.findIndex((x) => x.kind === 'vxlan');
  if (vx >= 0) return { ...p, headers: p.headers.slice(vx + 1) };
  if (p.headers[0]?.kind === 'ipv4' && p.headers[1]?.kind === 'ipv4') return { ...p, headers: p.headers.slice(1) };
  return p;
}

/** The packets of one walk that cross `dev` in netns `netns`, in order. */
export function packetsOn(hops: Hop[], netns: string, dev: string): Packet[] {
  const seen: Packet[] = [];
  let run: Hop[] = [];
  let arrived = false;
  // A packet held while ARP resolves its next hop leaves right after the reply.
  let pending: Packet | undefined;
  const flush = (transmitted: boolean) => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first && arrived) seen.push(first.packet);
    if (transmitted && last && isTx(last.stage) && (last !== first || !arrived || last.stage === 'bridge')) seen.push(last.stage === 'encap' ? beforeEncap(last.packet) : last.packet);
    run = [];
    arrived = false;
  };
  hops.forEach((h, i) => {
    const here = h.netns === netns && (dev === 'any' || h.device === dev);
    if (here && h.stage === 'arp') {
      const last = run[run.length - 1];
      if (last && isTx(last.stage)) pending = last.packet;
      flush(false);
      const req = arpRequest(h);
      if (req) seen.push(req);
      seen.push(h.packet);
    } else if (here && h.stage !== 'drop') {
      pending = undefined;
      if (!run.length) arrived = RX.has(h.stage) || (i > 0 && hops[i - 1]!.netns !== netns);
      run.push(h);
    } else if (h.stage !== 'arp') {
      flush(true);
      if (pending) seen.push(pending);
      pending = undefined;
    }
  });
  flush(true);
  if (pending) seen.push(pending);
  return seen;
}

/** tcpdump's lines for the flows walked while the capture was armed. */
export function captureOutput(c: Capture, netns: string, flows: Flow[], startSeconds: number): { stdout: string; stderr: string } {
  const lines: string[] = [];
  flows.forEach((f, i) => {
    const walks = [f.hops, f.reply?.hops ?? []];
    let us = (startSeconds + i) * 1e6;
    for (const w of walks) {
      let prev = '';
      for (const p of packetsOn(w, c.netns ?? netns, c.iface)) {
        const text = formatTcpdumpLine(p, { numeric: c.numeric > 0, link: c.link });
        if (text && text !== prev) lines.push(`${formatTimestamp((us += 17))} ${text}`);
        prev = text;
      }
    }
  });
  const shown = c.count !== undefined ? lines.slice(0, c.count) : lines;
  const n = shown.length;
  return { stdout: shown.map((l) => `${l}\n`).join(''), stderr: `${n} packet${n === 1 ? '' : 's'} captured\n${n} packet${n === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n` };
}

function listInterfaces(ctx: ShellContext): ShellResult {
  const devs = [...ctx.netns.devices].sort((a, b) => a.ifindex - b.ifindex);
  const lines = devs.map((d, i) => `${i + 1}.${d.name} [${d.up ? 'Up, Running' : 'Down'}${d.kind === 'loopback' ? ', Loopback' : ''}]`);
  lines.push(`${devs.length + 1}.any (Pseudo-device that captures on all interfaces) [Up, Running]`);
  return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0 };
}

function parse(ctx: ShellContext, raw: string[]): Capture | ShellResult {
  const args = raw.flatMap((a) => (/^-[nevD]{2,}$/.test(a) ? [...a.slice(1)].map((c) => `-${c}`) : [a]));
  const c: Capture = { iface: '', numeric: 0, link: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-i' || a === '--interface') c.iface = args[++i] ?? '';
    else if (a.startsWith('-i') && a.length > 2) c.iface = a.slice(2);
    else if (a === '-n') c.numeric = c.numeric === 0 ? 1 : 2;
    else if (a === '-nn') c.numeric = 2;
    else if (a === '-e') c.link = true;
    else if (a === '-v' || a === '-l') continue;
    else if (a === '-D' || a === '--list-interfaces') return listInterfaces(ctx);
    else if (a === '-c') {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n <= 0) return err(`tcpdump: invalid packet count ${args[i] ?? ''}`, 1);
      c.count = n;
    } else if (a.startsWith('-')) return err(`tcpdump: invalid option -- '${a.replace(/^-+/, '')[0]}'\n${HELP}`, 1);
    else return err(`tcpdump: hopscope captures whole interfaces; filter expressions ("${args.slice(i).join(' ')}") are not supported`, 1);
  }
  if (!c.iface) c.iface = ctx.netns.devices.find((d) => d.kind !== 'loopback' && d.up)?.name ?? 'lo';
  if (c.iface !== 'any' && !ctx.netns.devices.some((d) => d.name === c.iface)) return err(`tcpdump: ${c.iface}: No such device exists\n(SIOCGIFHWADDR: No such device)`, 1);
  return c;
}

/** `tcpdump`: arms a capture for the next flow. */
export const tcpdumpCommand: Command = {
  name: 'tcpdump',
  summary: 'capture the packets of the next flow on an interface (tcpdump -i IFACE -n)',
  help: HELP,
  run(ctx, args) {
    const c = parse(ctx, args);
    if ('exitCode' in c) return c;
    // Bound to the namespace it was armed in: under `ip netns exec` that is the pod's, not the terminal's.
    ctx.capture = { ...c, netns: ctx.netns.id };
    // libpcap's map_arphrd_to_dlt: an IPIP tunnel (ARPHRD_TUNNEL) has no link header: DLT_RAW.
    const raw = ctx.netns.devices.find((d) => d.name === c.iface)?.kind === 'ipip';
    const iface = c.iface === 'any' ? 'any, link-type LINUX_SLL2 (Linux cooked v2)' : `${c.iface}, link-type ${raw ? 'RAW (Raw IP)' : 'EN10MB (Ethernet)'}`;
    return { stdout: '', stderr: `tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on ${iface}, snapshot length 262144 bytes\n`, exitCode: 0 };
  },
  complete: (ctx, args) => (args[args.length - 2] === '-i' ? [...ctx.netns.devices.map((d) => d.name), 'any'] : ['-i', '-n', '-e', '-c', '-D']),
};
