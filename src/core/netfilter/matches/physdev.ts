/**
 * `-m physdev`: the bridge ports of a bridged frame (br_netfilter). Printed in the order in,
 * out, is-in, is-out, is-bridged (verified). Reads `HookInput.physInIface/physOutIface/bridged`.
 */
import type { MatchModule, PacketField, ParseResult } from '../module';
import { ifaceMatches } from '../iface';

interface Sel {
  negate: boolean;
  name?: string;
}

/** Parsed `-m physdev`. */
export interface PhysdevMatch {
  in?: Sel;
  out?: Sel;
  isIn?: Sel;
  isOut?: Sel;
  isBridged?: Sel;
}

const KEYS: Readonly<Record<string, keyof PhysdevMatch>> = {
  '--physdev-in': 'in',
  '--physdev-out': 'out',
  '--physdev-is-in': 'isIn',
  '--physdev-is-out': 'isOut',
  '--physdev-is-bridged': 'isBridged',
};

function opt(s: Sel | undefined, text: string): string {
  return s ? `${s.negate ? ' !' : ''} ${text}${s.name === undefined ? '' : ` ${s.name}`}` : '';
}

/** The `physdev` match module. */
export const physdevMatch: MatchModule<PhysdevMatch> = {
  name: 'physdev',
  options: { '--physdev-in': 1, '--physdev-out': 1, '--physdev-is-in': 0, '--physdev-is-out': 0, '--physdev-is-bridged': 0 },
  parse(options): ParseResult<PhysdevMatch> {
    const m: PhysdevMatch = {};
    for (const o of options) m[KEYS[o.name]!] = o.args[0] === undefined ? { negate: o.negate } : { negate: o.negate, name: o.args[0] };
    return { ok: true, parsed: m };
  },
  render(m) {
    return (
      opt(m.in, '--physdev-in') +
      opt(m.out, '--physdev-out') +
      opt(m.isIn, '--physdev-is-in') +
      opt(m.isOut, '--physdev-is-out') +
      opt(m.isBridged, '--physdev-is-bridged')
    );
  },
  evaluate(m, ctx) {
    const { physInIface, physOutIface, bridged } = ctx.input;
    const test = (s: Sel | undefined, hit: boolean) => !s || hit !== s.negate;
    return (
      test(m.in, physInIface !== undefined && ifaceMatches(m.in?.name ?? '', physInIface)) &&
      test(m.out, physOutIface !== undefined && ifaceMatches(m.out?.name ?? '', physOutIface)) &&
      test(m.isIn, physInIface !== undefined) &&
      test(m.isOut, physOutIface !== undefined) &&
      test(m.isBridged, !!bridged)
    );
  },
  reads(m) {
    const fields: PacketField[] = [];
    if (m.in || m.isIn) fields.push('physInIface');
    if (m.out || m.isOut) fields.push('physOutIface');
    if (m.isBridged) fields.push('bridged');
    return fields;
  },
};
