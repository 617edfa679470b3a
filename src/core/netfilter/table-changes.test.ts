// Whatever replaces, creates or edits tables between packets, a hook must see the tables as
// they are (anything runHook remembers about them per netns must notice): each case here runs a
// hook, changes the tables, and checks the next packet against what the changed tables say.
import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng';
import { createConntrack } from './conntrack';
import { runHook } from './evaluate';
import { restore } from './restore';
import { createNetfilter, createTable, getChain, getTable } from './state';
import type { Chain, HookEnv, HookResult, NetfilterState } from './types';

const env: HookEnv = { isLocal: () => false, primaryAddress: () => undefined, rng: createRng(1, 'tables'), now: 0 };

function forward(nf: NetfilterState): HookResult {
  return runHook(nf, createConntrack(), { hook: 'FORWARD', packet: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', sport: 1000, dport: 80, tcpFlags: 'S', mark: 0, length: 60 } }, env);
}

function loaded(text: string): NetfilterState {
  const nf = createNetfilter();
  expect(restore(nf, text)).toEqual({ ok: true });
  return nf;
}

describe('runHook across table changes', () => {
  it('sees a table iptables-restore commits in place of one of the same name', () => {
    const nf = loaded('*filter\n:FORWARD DROP [0:0]\nCOMMIT\n');
    expect(forward(nf).verdict).toBe('DROP');
    // Same name, so the tables Map keeps its size.
    expect(restore(nf, '*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -d 10.0.0.2/32 -j REJECT\nCOMMIT\n')).toEqual({ ok: true });
    expect(forward(nf)).toMatchObject({ verdict: 'REJECT', evaluated: [{ table: 'filter', chain: 'FORWARD', index: 0, matched: true }] });
    expect(restore(nf, '*filter\nCOMMIT\n')).toEqual({ ok: true });
    expect(forward(nf)).toMatchObject({ verdict: 'ACCEPT', evaluated: [] });
  });

  it('sees a table replaced in the tables Map', () => {
    const nf = loaded('*filter\n:FORWARD DROP [0:0]\nCOMMIT\n');
    expect(forward(nf).verdict).toBe('DROP');
    nf.tables.set('filter', createTable('filter'));
    expect(forward(nf).verdict).toBe('ACCEPT');
  });

  it('sees a table created after a hook ran', () => {
    const nf = createNetfilter();
    expect(forward(nf)).toMatchObject({ verdict: 'ACCEPT', evaluated: [] });
    getTable(nf, 'mangle').chains.get('FORWARD')!.policy = 'DROP';
    expect(forward(nf).verdict).toBe('DROP');
    const filter = createTable('filter');
    filter.chains.get('FORWARD')!.policy = 'DROP';
    getTable(nf, 'mangle').chains.get('FORWARD')!.policy = 'ACCEPT';
    expect(forward(nf).verdict).toBe('ACCEPT');
    nf.tables.set('filter', filter);
    expect(forward(nf).verdict).toBe('DROP');
  });

  it('reads rules and policies of the built-in chains live', () => {
    const nf = loaded('*filter\nCOMMIT\n');
    expect(forward(nf).evaluated).toEqual([]);
    const chain = getChain(nf, 'filter', 'FORWARD')!;
    const [rule] = loaded('*filter\n-A FORWARD -p tcp -j DROP\nCOMMIT\n').tables.get('filter')!.chains.get('FORWARD')!.rules;
    chain.rules.push(rule!);
    expect(forward(nf).verdict).toBe('DROP');
    chain.rules.length = 0;
    chain.policy = 'DROP';
    expect(forward(nf)).toMatchObject({ verdict: 'DROP', evaluated: [], policy: { table: 'filter', chain: 'FORWARD', policy: 'DROP' } });
  });

  it("sees a live table's chain Map replaced, or a built-in chain added to a hand-built one", () => {
    const nf = loaded('*filter\nCOMMIT\n');
    const t = nf.tables.get('filter')!;
    expect(forward(nf).verdict).toBe('ACCEPT');
    const drop: Chain = { name: 'FORWARD', policy: 'DROP', rules: [], packets: 0, bytes: 0 };
    // As many chains as before.
    t.chains = new Map([...t.chains].map(([name, c]) => [name, name === 'FORWARD' ? drop : c]));
    expect(forward(nf).verdict).toBe('DROP');
    // A hand-built table without FORWARD, given one after a hook ran.
    const bare = { name: 'filter' as const, chains: new Map<string, Chain>() };
    nf.tables.set('filter', bare);
    expect(forward(nf).verdict).toBe('ACCEPT');
    bare.chains.set('FORWARD', drop);
    expect(forward(nf).verdict).toBe('DROP');
  });
});
