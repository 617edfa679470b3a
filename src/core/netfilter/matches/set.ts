/**
 * `-m set [!] --match-set NAME FLAGS [--return-nomatch] …`: membership of the packet in an ipset
 * of this netns (`NetfilterState.ipsets`). FLAGS pick, per set dimension, the source or
 * destination address/port: `dst,dst` on a `hash:ip,port` set tests (dst IP, dst port).
 * A set that does not exist never matches.
 */
import type { MatchModule, ParseResult } from '../module';
import { getIpset, testIpset } from '../ipset';
import type { IpsetProbe } from '../ipset';

/** Parsed `-m set`. */
export interface SetMatch {
  name: string;
  flags: ('src' | 'dst')[];
  negate: boolean;
  /** Other options (`--return-nomatch`, `--packets-gt` …) kept for rendering only. */
  extra: string;
}

/** The `set` match module. */
export const setMatch: MatchModule<SetMatch> = {
  name: 'set',
  options: { '--match-set': 2, '--set': 2, '--return-nomatch': 0, '--update-counters': 0, '--update-subcounters': 0, '--packets-gt': 1, '--bytes-gt': 1 },
  parse(options): ParseResult<SetMatch> {
    const o = options.find((x) => x.name === '--match-set' || x.name === '--set');
    if (!o) return { ok: false, error: 'set: You must specify `--match-set\' with proper arguments' };
    const flags = (o.args[1] ?? '').split(',');
    if (!flags.every((f) => f === 'src' || f === 'dst')) return { ok: false, error: `set: bad flags "${o.args[1] ?? ''}"` };
    const extra = options
      .filter((x) => x !== o)
      .map((x) => `${x.negate ? ' !' : ''} ${x.name}${x.args.map((a) => ` ${a}`).join('')}`)
      .join('');
    return { ok: true, parsed: { name: o.args[0] ?? '', flags: flags as SetMatch['flags'], negate: o.negate, extra } };
  },
  render(m) {
    return `${m.negate ? ' !' : ''} --match-set ${m.name} ${m.flags.join(',')}${m.extra}`;
  },
  evaluate(m, ctx) {
    const set = getIpset(ctx.nf, m.name);
    if (!set) return false;
    const p = ctx.packet;
    const probes: IpsetProbe[] = m.flags.map((f) => ({
      ip: f === 'src' ? p.src : p.dst,
      port: f === 'src' ? p.sport : p.dport,
      protocol: p.protocol,
    }));
    return testIpset(set, probes) !== m.negate;
  },
};
