/**
 * `-m set [!] --match-set NAME FLAGS [--return-nomatch] …`: membership of the packet in an ipset
 * of this netns (`NetfilterState.ipsets`). FLAGS pick, per set dimension, the source or
 * destination address/port: `dst,dst` on a `hash:ip,port` set tests (dst IP, dst port).
 * A set that does not exist never matches.
 */
import type { DerivedField, MatchModule, PacketContext, ParseResult } from '../module';
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

/** The membership `evaluate` tests: true/false, undefined when the set does not exist. */
function membership(name: string, flags: SetMatch['flags'], ctx: PacketContext): boolean | undefined {
  const set = getIpset(ctx.nf, name);
  if (!set) return undefined;
  const p = ctx.packet;
  const probes: IpsetProbe[] = flags.map((f) => ({
    ip: f === 'src' ? p.src : p.dst,
    port: f === 'src' ? p.sport : p.dport,
    protocol: p.protocol,
  }));
  return testIpset(set, probes);
}

/**
 * The membership of the packet in set NAME by FLAGS, as a field the walk cache keys on (read
 * afresh per packet, so members added or removed are seen): one object per name and flags,
 * as the cache tells fields apart by identity (bounded: a dropped one only costs a re-record).
 */
const MEMBERSHIPS = new Map<string, DerivedField>();

function membershipField(name: string, flags: SetMatch['flags']): DerivedField {
  const key = `${name} ${flags.join(',')}`;
  let f = MEMBERSHIPS.get(key);
  if (!f) {
    f = { name: `set ${key}`, read: (ctx) => membership(name, flags, ctx) };
    if (MEMBERSHIPS.size >= 10_000) MEMBERSHIPS.clear();
    MEMBERSHIPS.set(key, f);
  }
  return f;
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
    const member = membership(m.name, m.flags, ctx);
    // A set that does not exist never matches, negated or not.
    return member !== undefined && member !== m.negate;
  },
  reads: (m) => [membershipField(m.name, m.flags)],
};
