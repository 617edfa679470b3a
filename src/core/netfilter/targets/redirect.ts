/**
 * `-j REDIRECT [--to-ports P[-P]] [--random]`: DNAT to this host — the primary address of the
 * incoming interface in PREROUTING, 127.0.0.1 in OUTPUT (locally generated packets).
 */
import type { TargetModule } from '../module';
import { parsePortSpec, renderPorts } from './nat-range';

/** Parsed REDIRECT. */
export interface RedirectTarget {
  ports?: [number, number];
  random: boolean;
}

/** The `REDIRECT` target. */
export const redirectTarget: TargetModule<RedirectTarget> = {
  name: 'REDIRECT',
  options: { '--to-ports': 1, '--random': 0 },
  parse(options, rule) {
    const t: RedirectTarget = { random: false };
    for (const o of options) {
      if (o.name === '--random') t.random = true;
      else {
        const p = parsePortSpec(o.args[0] ?? '', rule.protocol);
        if (!p.ok) return p;
        t.ports = p.parsed;
      }
    }
    return { ok: true, parsed: t };
  },
  render: (t) => `${t.ports ? ` --to-ports ${renderPorts(t.ports)}` : ''}${t.random ? ' --random' : ''}`,
  apply(t, ctx) {
    const local = ctx.input.hook === 'OUTPUT';
    const ip = local ? '127.0.0.1' : ctx.input.inIface === undefined ? undefined : ctx.env.primaryAddress(ctx.input.inIface);
    if (ip === undefined) return { kind: 'verdict', verdict: 'DROP' };
    return { kind: 'nat', request: { kind: 'REDIRECT', minIp: ip, maxIp: ip, ...(t.ports ? { ports: t.ports } : {}) } };
  },
  // DROP without an address, NAT with one: either ends the walk, and a replay asks again.
  replayAs: 'ends',
};
