/**
 * A fast-check arbitrary for one iptables rule's words after `-A CHAIN`, built from the pieces
 * kube-proxy and the CNI plugins write (addresses, interfaces, protocol and port, comment, match
 * modules, target). Restore's property tests draw rules from it; each says which pieces to mix.
 */
import fc from 'fast-check';

export interface RulePieces {
  /** `-i …` / `-o …` options, each possibly negated. */
  ifaces: readonly string[];
  protos: readonly string[];
  /** The comment text (quoted as iptables-restore reads it). */
  comment: fc.Arbitrary<string>;
  /** Whole `-m …` match options, up to two per rule. */
  extras: readonly string[];
  /** `-j …`/`-g …` with its options; '' for a rule without target. */
  targets: readonly string[];
}

const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const cidr = fc.tuple(ip, fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined })).map(([a, p]) => (p === undefined ? a : `${a}/${p}`));
const neg = fc.boolean().map((b) => (b ? '! ' : ''));

export function ruleBodyArbitrary(p: RulePieces): fc.Arbitrary<string> {
  return fc
    .record({
      src: fc.option(fc.tuple(neg, fc.array(cidr, { minLength: 1, maxLength: 2 })), { nil: undefined }),
      dst: fc.option(fc.tuple(neg, cidr), { nil: undefined }),
      iface: fc.option(fc.tuple(neg, fc.constantFrom(...p.ifaces)), { nil: undefined }),
      proto: fc.option(fc.constantFrom(...p.protos), { nil: undefined }),
      comment: fc.option(p.comment, { nil: undefined }),
      port: fc.option(fc.tuple(neg, fc.integer({ min: 1, max: 65535 })), { nil: undefined }),
      extra: fc.subarray([...p.extras], { maxLength: 2 }),
      target: fc.constantFrom(...p.targets),
    })
    .map((r) => {
      const w: string[] = [];
      if (r.comment !== undefined) w.push(`-m comment --comment "${r.comment}"`);
      if (r.src) w.push(`${r.src[0]}-s ${r.src[1].join(',')}`);
      if (r.dst) w.push(`${r.dst[0]}-d ${r.dst[1]}`);
      if (r.iface) w.push(`${r.iface[0]}${r.iface[1]}`);
      // DNAT needs a protocol when it names a port.
      const proto = r.proto ?? (r.target.includes('DNAT') ? 'tcp' : undefined);
      if (proto) w.push(`-p ${proto}`);
      // A port match needs its protocol's module (`-p all` has none).
      if (proto && proto !== 'all' && r.port) w.push(`-m ${proto} ${r.port[0]}--dport ${r.port[1]}`);
      w.push(...r.extra);
      if (r.target) w.push(r.target);
      return w.join(' ');
    });
}
