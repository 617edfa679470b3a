/** The header stack at a hop, field by field, with what changed since the previous hop. */
import type { Hop } from '../../core/index';

type Header = Hop['packet']['headers'][number];

export interface FieldRow {
  name: string;
  value: string;
  /** The previous hop's value, when it differs. */
  before?: string;
  changed: boolean;
}

export interface HeaderBlock {
  title: string;
  kind: string;
  outer: boolean;
  fields: FieldRow[];
}

const TITLES: Record<string, string> = { eth: 'Ethernet', arp: 'ARP', ipv4: 'IPv4', tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', vxlan: 'VXLAN' };

function fmt(v: unknown): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The same header (kind, counted from the innermost) in another stack. */
function counterpart(stack: readonly Header[] | undefined, kind: string, fromEnd: number): Header | undefined {
  if (!stack) return undefined;
  const same = stack.filter((h) => h.kind === kind);
  return same[same.length - 1 - fromEnd];
}

export function headerBlocks(hop: Hop, prev?: Hop): HeaderBlock[] {
  const hs = hop.packet.headers;
  const changed = new Set(hop.changed ?? []);
  const ips = hs.filter((h) => h.kind === 'ipv4').length;
  const vx = hs.findIndex((h) => h.kind === 'vxlan');
  // Everything up to the VXLAN header (or the outer IP of IPIP) is the envelope.
  const cut = ips >= 2 ? (vx >= 0 ? vx : hs.findIndex((h) => h.kind === 'ipv4')) : -1;
  return hs.map((h, i) => {
    const fromEnd = hs.slice(i + 1).filter((x) => x.kind === h.kind).length;
    const outer = i <= cut;
    const before = counterpart(prev?.packet.headers, h.kind, fromEnd) as Record<string, unknown> | undefined;
    const fields = Object.entries(h)
      .filter(([k]) => k !== 'kind')
      .map(([k, v]) => {
        const b = before && k in before ? fmt(before[k]) : undefined;
        const value = fmt(v);
        const diff = b !== undefined && b !== value;
        const row: FieldRow = { name: k, value, changed: diff || changed.has(`${h.kind}.${k}`) || (outer && changed.has('outer')) };
        if (diff) row.before = b;
        return row;
      });
    return { title: `${outer ? 'outer ' : ''}${TITLES[h.kind] ?? h.kind}`, kind: h.kind, outer, fields };
  });
}
