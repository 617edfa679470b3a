// hasRules decides whether a namespace's hooks run at all (conntrack included): it finds a
// built-in chain with rules through the hook view, and must still see rules that sit only in
// user chains, and rules added or removed between walks.
import { describe, expect, it } from 'vitest';
import { createNetns } from '../model/netns';
import { restore } from '../netfilter/restore';
import { ensureChain, getChain } from '../netfilter/state';
import { hasRules } from './netfilter-hook';

describe('hasRules', () => {
  it('sees rules in built-in chains and in user chains alone, as they come and go', () => {
    const ns = createNetns('node-a', 'host', 'node-a', 'node-a');
    expect(hasRules(ns)).toBe(false);
    expect(restore(ns.netfilter, '*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n')).toEqual({ ok: true });
    expect(hasRules(ns)).toBe(false);
    expect(restore(ns.netfilter, '*filter\n:X - [0:0]\n-A X -j ACCEPT\nCOMMIT\n')).toEqual({ ok: true });
    expect(hasRules(ns)).toBe(true);
    const x = getChain(ns.netfilter, 'filter', 'X')!;
    const forward = getChain(ns.netfilter, 'filter', 'FORWARD')!;
    forward.rules.push(x.rules.pop()!);
    expect(hasRules(ns)).toBe(true);
    ensureChain(ns.netfilter, 'nat', 'Y').rules.push(forward.rules.pop()!);
    expect(hasRules(ns)).toBe(true);
    getChain(ns.netfilter, 'nat', 'Y')!.rules.length = 0;
    expect(hasRules(ns)).toBe(false);
  });
});
