/**
 * `-j DNAT --to-destination ADDR[-ADDR][:PORT[-PORT]] [--random] [--persistent]`: rewrite the
 * destination of the first packet of a connection (nat PREROUTING/OUTPUT); conntrack applies it
 * to the rest and reverses it on replies.
 */
import type { TargetModule } from '../module';
import { parseNatRange, renderNatRange } from './nat-range';
import type { NatRange } from './nat-range';

/** Parsed DNAT. */
export interface DnatTarget {
  range: NatRange;
  flags: string[];
}

/** The `DNAT` target. */
export const dnatTarget: TargetModule<DnatTarget> = {
  name: 'DNAT',
  options: { '--to-destination': 1, '--random': 0, '--persistent': 0 },
  parse(options, rule) {
    const to = options.find((o) => o.name === '--to-destination');
    if (!to) return { ok: false, error: 'DNAT: you must specify --to-destination' };
    const range = parseNatRange(to.args[0] ?? '', rule.protocol);
    if (!range.ok) return range;
    return { ok: true, parsed: { range: range.parsed, flags: options.length === 1 ? [] : options.filter((o) => o !== to).map((o) => o.name) } };
  },
  render: (t) => (t.flags.length ? ` --to-destination ${renderNatRange(t.range)}${t.flags.map((f) => ` ${f}`).join('')}` : ` --to-destination ${renderNatRange(t.range)}`),
  apply: (t, ctx) => ({
    kind: 'nat',
    request: {
      kind: 'DNAT',
      minIp: t.range.minIp ?? ctx.packet.dst,
      maxIp: t.range.maxIp ?? ctx.packet.dst,
      ...(t.range.ports ? { ports: t.range.ports } : {}),
    },
  }),
  replayAs: 'ends',
};
