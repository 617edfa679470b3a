/**
 * `-j NOTRACK` and `-j CT --notrack` (raw table): the packet skips conntrack (ctstate
 * UNTRACKED, no NAT). Other CT options are not modelled and fall back to the generic target.
 */
import type { TargetModule } from '../module';

function notrack(name: string, options: Record<string, number>, text: string): TargetModule<null> {
  return {
    name,
    options,
    parse: (opts) => (opts.every((o) => o.name === '--notrack') ? { ok: true, parsed: null } : { ok: false, error: 'unmodelled' }),
    render: () => text,
    apply(_t, ctx) {
      ctx.untracked = true;
      return { kind: 'continue' };
    },
    replayAs: 'continue',
  };
}

/** `-j NOTRACK`. */
export const notrackTarget = notrack('NOTRACK', {}, '');
/** `-j CT --notrack`. */
export const ctTarget = notrack('CT', { '--notrack': 0 }, ' --notrack');
