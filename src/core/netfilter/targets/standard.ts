/**
 * The standard verdicts: ACCEPT, DROP and RETURN. They take no options. (Jumps and gotos to
 * user chains are not modules: the evaluator follows them, see `../traverse.ts`.)
 */
import type { TargetModule, TargetOutcome } from '../module';

function verdict(name: 'ACCEPT' | 'DROP' | 'RETURN'): TargetModule<null> {
  const outcome: TargetOutcome = name === 'RETURN' ? { kind: 'return' } : { kind: 'verdict', verdict: name };
  return {
    name,
    options: {},
    parse: () => ({ ok: true, parsed: null }),
    render: () => '',
    apply: () => outcome,
    replayAs: name === 'RETURN' ? 'return' : 'ends',
  };
}

/** `-j ACCEPT`: stop traversing this table; the packet goes on to the next table or hook. */
export const acceptTarget = verdict('ACCEPT');
/** `-j DROP`: the packet is discarded silently. */
export const dropTarget = verdict('DROP');
/** `-j RETURN`: back to the calling chain; at a built-in chain's top level, its policy applies. */
export const returnTarget = verdict('RETURN');
