/**
 * `-j MASQUERADE [--to-ports P[-P]] [--random] [--random-fully]`: SNAT to the primary address of
 * the outgoing interface (`env.primaryAddress(outIface)`); dropped when it has none, as the kernel
 * does. kube-proxy's KUBE-POSTROUTING ends with it.
 */
import type { TargetModule } from '../module';
import { parsePortSpec, renderPorts } from './nat-range';

/** Parsed MASQUERADE. */
export interface MasqueradeTarget {
  ports?: [number, number];
  random: boolean;
  randomFully: boolean;
}

/** The `MASQUERADE` target. */
export const masqueradeTarget: TargetModule<MasqueradeTarget> = {
  name: 'MASQUERADE',
  options: { '--to-ports': 1, '--random': 0, '--random-fully': 0 },
  parse(options, rule) {
    const t: MasqueradeTarget = { random: false, randomFully: false };
    for (const o of options) {
      if (o.name === '--to-ports') {
        const p = parsePortSpec(o.args[0] ?? '', rule.protocol);
        if (!p.ok) return p;
        t.ports = p.parsed;
      } else if (o.name === '--random') t.random = true;
      else t.randomFully = true;
    }
    return { ok: true, parsed: t };
  },
  render: (t) => `${t.ports ? ` --to-ports ${renderPorts(t.ports)}` : ''}${t.random ? ' --random' : ''}${t.randomFully ? ' --random-fully' : ''}`,
  apply(t, ctx) {
    const ip = ctx.input.outIface === undefined ? undefined : ctx.env.primaryAddress(ctx.input.outIface);
    if (ip === undefined) return { kind: 'verdict', verdict: 'DROP' };
    return { kind: 'nat', request: { kind: 'MASQUERADE', minIp: ip, maxIp: ip, ...(t.ports ? { ports: t.ports } : {}), randomFully: t.randomFully } };
  },
  // DROP without an address, NAT with one: either ends the walk, and a replay asks again.
  replayAs: 'ends',
};
