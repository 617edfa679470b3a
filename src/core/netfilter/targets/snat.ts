/**
 * `-j SNAT --to-source ADDR[-ADDR][:PORT[-PORT]] [--random] [--random-fully] [--persistent]`:
 * rewrite the source of a new connection (nat POSTROUTING/INPUT); the port is kept unless the
 * resulting tuple is already taken (see `../nat.ts`).
 */
import type { TargetModule } from '../module';
import { parseNatRange, renderNatRange } from './nat-range';
import type { NatRange } from './nat-range';

/** Parsed SNAT. */
export interface SnatTarget {
  range: NatRange;
  flags: string[];
}

/** The `SNAT` target. */
export const snatTarget: TargetModule<SnatTarget> = {
  name: 'SNAT',
  options: { '--to-source': 1, '--random': 0, '--random-fully': 0, '--persistent': 0 },
  parse(options, rule) {
    const to = options.find((o) => o.name === '--to-source');
    if (!to) return { ok: false, error: 'SNAT: you must specify --to-source' };
    const range = parseNatRange(to.args[0] ?? '', rule.protocol);
    if (!range.ok) return range;
    return { ok: true, parsed: { range: range.parsed, flags: options.filter((o) => o !== to).map((o) => o.name) } };
  },
  render: (t) => ` --to-source ${renderNatRange(t.range)}${t.flags.map((f) => ` ${f}`).join('')}`,
  apply: (t, ctx) => ({
    kind: 'nat',
    request: {
      kind: 'SNAT',
      minIp: t.range.minIp ?? ctx.packet.src,
      maxIp: t.range.maxIp ?? ctx.packet.src,
      ...(t.range.ports ? { ports: t.range.ports } : {}),
      randomFully: t.flags.includes('--random-fully'),
    },
  }),
  replayAs: 'ends',
};
