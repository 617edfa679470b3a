/**
 * tcpdump 4.99's default one-line output (no `-v`), as in fixtures/tool-output/tcpdump-*.txt:
 * `HH:MM:SS.uuuuuu IP 10.9.0.1.57338 > 10.9.0.2.80: Flags [S], seq 1, win 64240, options [mss 1460], length 0`.
 * Ports are named from /etc/services unless `-n`; VXLAN on flannel's port 8472 decodes as OTV
 * (tcpdump's assignment of that port) and the inner frame follows on the next line, as tcpdump
 * prints it. The model's TCP headers carry MSS only, so no other options are shown.
 */
import type { Header, Packet } from '../datapath/packet';
import { packetLength } from '../datapath/packet';
import { formatArp } from '../wire/arp';
import { formatIcmp } from '../wire/icmp';
import { formatTcp } from '../wire/tcp';

const PORT_NAMES: Record<number, string> = { 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https', 179: 'bgp', 8080: 'http-alt', 8472: 'otv', 4789: 'vxlan', 2379: '2379', 6443: '6443' };

function port(p: number, numeric: boolean): string {
  return numeric ? String(p) : (PORT_NAMES[p] ?? String(p));
}

function length(p: Packet, from: number): number {
  let n = packetLength(p, from);
  for (let j = from; j < p.headers.length; j++) {
    const h = p.headers[j]!;
    if (h.kind === 'tcp' && h.mss !== undefined) n += 4;
  }
  return n;
}

/** One IP-level line (and its encapsulated lines) starting at header `i`. */
function formatFrom(p: Packet, i: number, numeric: boolean): string {
  const h = p.headers[i];
  if (!h) return '';
  if (h.kind === 'eth') return formatFrom(p, i + 1, numeric);
  if (h.kind === 'arp') return formatArp(h);
  if (h.kind !== 'ipv4') return '';
  const next: Header | undefined = p.headers[i + 1];
  if (next?.kind === 'tcp') {
    const body = formatTcp(next, p.payload.length).replace(/^\d+ > \d+: /, '');
    return `IP ${h.src}.${port(next.sport, numeric)} > ${h.dst}.${port(next.dport, numeric)}: ${body}`;
  }
  if (next?.kind === 'udp') {
    const inner = p.headers[i + 2];
    if (inner?.kind === 'vxlan') {
      const head = next.dport === 8472 ? `OTV, flags [I] (0x08), overlay 0, instance ${inner.vni}` : `VXLAN, flags [I] (0x08), vni ${inner.vni}`;
      return `IP ${h.src}.${port(next.sport, numeric)} > ${h.dst}.${port(next.dport, numeric)}: ${head}\n${formatFrom(p, i + 3, numeric)}`;
    }
    return `IP ${h.src}.${port(next.sport, numeric)} > ${h.dst}.${port(next.dport, numeric)}: UDP, length ${p.payload.length}`;
  }
  if (next?.kind === 'icmp') return `IP ${h.src} > ${h.dst}: ${formatIcmp(next, length(p, i + 1))}`;
  if (next?.kind === 'ipv4') return `IP ${h.src} > ${h.dst}: ${formatFrom(p, i + 1, numeric)} (ipip-proto-4)`;
  return `IP ${h.src} > ${h.dst}: ip-proto-${h.protocol}`;
}

function linkPrefix(p: Packet): string {
  const eth = p.headers[0];
  if (eth?.kind !== 'eth') return '';
  const type = eth.ethertype === 0x0806 ? 'ARP (0x0806)' : 'IPv4 (0x0800)';
  return `${eth.src} > ${eth.dst}, ethertype ${type}, length ${length(p, 0)}: `;
}

/** `HH:MM:SS.uuuuuu` for a simulated time in microseconds. */
export function formatTimestamp(us: number): string {
  const s = Math.floor(us / 1e6);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(Math.floor(us % 1e6), 6)}`;
}

/** The packet as tcpdump prints it without `-v` (after the timestamp). */
export function formatTcpdumpLine(p: Packet, opts: { numeric: boolean; link: boolean }): string {
  return (opts.link ? linkPrefix(p) : '') + formatFrom(p, 0, opts.numeric);
}
