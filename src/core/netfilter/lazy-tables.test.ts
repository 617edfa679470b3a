/**
 * Tables are created on first use. An untouched table must be indistinguishable from a table
 * holding only empty built-in chains at policy ACCEPT: the same iptables-save, `-L` and `-S`
 * text, the same packet verdicts and conntrack state.
 */
import { describe, expect, it } from 'vitest';
import { renderIptablesSave } from '../render/iptables-save';
import { renderIptablesList, renderIptablesRules } from '../shell/iptables-list';
import { createRng } from '../util/rng';
import { createConntrack, renderConntrack } from './conntrack';
import { runHook } from './evaluate';
import { restore } from './restore';
import { createNetfilter, getChain, getTable, readTable, TABLE_ORDER } from './state';
import type { HookName, NetfilterState, NfPacket } from './types';

/** The netfilter every netns had before tables were lazy: all four created up front. */
function eager(): NetfilterState {
  const nf = createNetfilter();
  for (const t of ['raw', 'mangle', 'nat', 'filter'] as const) getTable(nf, t);
  return nf;
}

const env = () => ({ isLocal: (ip: string) => ip === '10.244.1.3', primaryAddress: () => '10.244.1.3', rng: createRng(1, 'lazy'), now: 100 });
const HOOKS: HookName[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];
const packet: NfPacket = { src: '10.244.1.3', dst: '10.244.2.5', protocol: 'tcp', sport: 40000, dport: 80, tcpFlags: 'S', mark: 0, length: 60 };

describe('lazily created tables', () => {
  it('render an untouched table exactly as an empty one', () => {
    const lazy = createNetfilter();
    const full = eager();
    expect(lazy.tables.size).toBe(0);
    expect(renderIptablesSave(lazy)).toBe(renderIptablesSave(full));
    expect(renderIptablesSave(lazy, { counters: true })).toBe(renderIptablesSave(full, { counters: true }));
    expect(renderIptablesSave(lazy, { tables: ['nat', 'filter'] })).toBe(renderIptablesSave(full, { tables: ['nat', 'filter'] }));
    expect(renderIptablesSave(lazy)).toContain('*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n');
    const o = { numeric: true, verbose: true, exact: false, lineNumbers: false };
    for (const t of TABLE_ORDER) {
      expect(renderIptablesList(lazy, t, undefined, o)).toBe(renderIptablesList(full, t, undefined, o));
      expect(renderIptablesList(lazy, t, 'OUTPUT', o)).toBe(renderIptablesList(full, t, 'OUTPUT', o));
      expect(renderIptablesRules(lazy, t, undefined)).toBe(renderIptablesRules(full, t, undefined));
      expect(renderIptablesRules(lazy, t, 'NOPE')).toBe(renderIptablesRules(full, t, 'NOPE'));
    }
    // Reading created nothing.
    expect(getChain(lazy, 'filter', 'INPUT')?.policy).toBe('ACCEPT');
    expect(lazy.tables.size).toBe(0);
  });

  it('evaluate an untouched table exactly as empty built-in chains with ACCEPT policies', () => {
    const lazy = createNetfilter();
    const full = eager();
    const ctLazy = createConntrack();
    const ctFull = createConntrack();
    for (const hook of HOOKS) {
      const a = runHook(lazy, ctLazy, { hook, packet, inIface: 'eth0', outIface: 'eth0' }, env());
      const b = runHook(full, ctFull, { hook, packet, inIface: 'eth0', outIface: 'eth0' }, env());
      expect(a).toEqual(b);
      expect(a.verdict).toBe('ACCEPT');
    }
    expect(renderConntrack(ctLazy, 100)).toBe(renderConntrack(ctFull, 100));
    expect(renderIptablesSave(lazy, { counters: true })).toBe(renderIptablesSave(full, { counters: true }));
    expect(lazy.tables.size).toBe(0);
  });

  it('are created on first use, and only the tables used', () => {
    const nf = createNetfilter();
    expect(restore(nf, '*filter\n:FORWARD DROP [0:0]\n:X - [0:0]\n-A FORWARD -j X\nCOMMIT\n', { noflush: true })).toEqual({ ok: true });
    expect([...nf.tables.keys()]).toEqual(['filter']);
    const full = eager();
    expect(restore(full, '*filter\n:FORWARD DROP [0:0]\n:X - [0:0]\n-A FORWARD -j X\nCOMMIT\n', { noflush: true })).toEqual({ ok: true });
    expect(renderIptablesSave(nf)).toBe(renderIptablesSave(full));
    // The packet walk writes counters of the filter table it created; the others stay untouched.
    const r = runHook(nf, createConntrack(), { hook: 'FORWARD', packet, inIface: 'eth0', outIface: 'eth1' }, env());
    expect(r.verdict).toBe('DROP');
    expect(nf.tables.get('filter')!.chains.get('FORWARD')!.packets).toBe(1);
    expect([...nf.tables.keys()]).toEqual(['filter']);
    // getTable creates a table holding its built-in chains.
    expect([...getTable(nf, 'nat').chains.keys()]).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
    expect([...nf.tables.keys()]).toEqual(['filter', 'nat']);
  });

  it('never lets a write reach the shared stand-in of an untouched table', () => {
    const nf = createNetfilter();
    const input = readTable(nf, 'filter').chains.get('INPUT')!;
    expect(() => input.rules.push({ chain: 'INPUT', matches: [], packets: 0, bytes: 0 })).toThrow(TypeError);
    expect(() => {
      input.packets++;
    }).toThrow(TypeError);
    expect(readTable(createNetfilter(), 'filter').chains.get('INPUT')!.rules).toEqual([]);
  });
});
