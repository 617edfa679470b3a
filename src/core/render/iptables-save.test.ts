import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNetfilter } from '../netfilter/state';
import { restore } from '../netfilter/restore';
import type { NetfilterState, TableName } from '../netfilter/types';
import { renderIptablesSave } from './iptables-save';

const FIXTURES = new URL('../../../fixtures/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, FIXTURES), 'utf8');

function load(nf: NetfilterState, text: string, options: { noflush?: boolean; counters?: boolean } = {}): void {
  expect(restore(nf, text, options)).toEqual({ ok: true });
}

/** The tables a golden file holds, so the render prints the same set (iptables-nft only prints tables that exist). */
function tablesOf(save: string): TableName[] {
  return [...save.matchAll(/^\*(\w+)$/gm)].map((m) => m[1] as TableName);
}

describe('renderIptablesSave against real iptables-save (v1.8.9, nf_tables)', () => {
  for (const name of ['all-tables', 'canonical-forms']) {
    it(`${name}: restore then render equals the captured output`, () => {
      const nf = createNetfilter();
      load(nf, read(`iptables-save/${name}.rules`));
      const want = read(`iptables-save/${name}.save`);
      expect(renderIptablesSave(nf, { tables: tablesOf(want) })).toBe(want);
    });
  }

  it('prints tables in the order mangle, raw, filter, nat and counters with `counters`', () => {
    const nf = createNetfilter();
    load(nf, read('iptables-save/table-order-counters.rules'), { counters: true });
    expect(renderIptablesSave(nf, { counters: true })).toBe(read('iptables-save/table-order-counters.save'));
  });

  it('applies a --noflush restore over existing rules as the real tool did', () => {
    const nf = createNetfilter();
    load(nf, read('iptables-save/noflush-base.rules'));
    load(nf, read('iptables-save/noflush-patch.rules'), { noflush: true });
    expect(renderIptablesSave(nf, { tables: ['filter'] })).toBe(read('iptables-save/noflush-patch.save'));
  });

  it('prints [0:0] chain counters and no rule counters by default', () => {
    const nf = createNetfilter();
    load(nf, '*filter\n:INPUT DROP [5:300]\n[2:100] -A INPUT -j ACCEPT\nCOMMIT\n', { counters: true });
    expect(renderIptablesSave(nf, { tables: ['filter'] })).toBe(
      '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n',
    );
    expect(renderIptablesSave(nf, { tables: ['filter'], counters: true })).toContain(':INPUT DROP [5:300]\n');
    expect(renderIptablesSave(nf, { tables: ['filter'], counters: true })).toContain('[2:100] -A INPUT -j ACCEPT\n');
  });
});

// ---------------------------------------------------------------------------------------------
// kube-proxy oracle: normalisation N of fixtures/oracles/kube-proxy-iptables (upstream's
// sortIPTablesRules), applied to our iptables-save output without built-in chains.

const BUILTIN = new Set(['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING']);

function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

function serviceKey(rule: string): string {
  const w = words(rule);
  const i = w.indexOf('--comment');
  const c = i >= 0 ? (w[i + 1] ?? '') : '';
  return c.split(/[ :]/)[0]!;
}

function chainRank(name: string): [number, string] {
  if (name === 'KUBE-NODEPORTS') return [0, ''];
  if (name === 'KUBE-SERVICES') return [1, ''];
  return [name.startsWith('KUBE-') ? 2 : 3, name];
}

function normalise(text: string): string {
  const tables: { name: string; chains: { decl: string; name: string; rules: string[] }[] }[] = [];
  let cur: (typeof tables)[number] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('*')) tables.push((cur = { name: line.slice(1), chains: [] }));
    else if (line.startsWith(':')) {
      const [name, , counters] = line.slice(1).split(' ');
      if (!BUILTIN.has(name!)) cur!.chains.push({ decl: `:${name} - ${counters}`, name: name!, rules: [] });
    } else if (line.startsWith('-A ')) cur!.chains.find((c) => c.name === line.split(' ')[1])?.rules.push(line);
  }
  tables.sort((a, b) => (a.name < b.name ? -1 : 1));
  let out = '';
  for (const t of tables) {
    t.chains.sort((a, b) => {
      const [ra, na] = chainRank(a.name);
      const [rb, nb] = chainRank(b.name);
      return ra - rb || (na < nb ? -1 : na > nb ? 1 : 0);
    });
    for (const c of t.chains) {
      if (c.name === 'KUBE-NODEPORTS' || c.name === 'KUBE-SERVICES') {
        const keyed = c.rules.map((r, i) => ({ r, i, last: t.name === 'nat' && c.name === 'KUBE-SERVICES' && r.includes('must be the last rule') }));
        keyed.sort((a, b) => Number(a.last) - Number(b.last) || (a.last ? 0 : serviceKey(a.r) < serviceKey(b.r) ? -1 : serviceKey(a.r) > serviceKey(b.r) ? 1 : 0) || a.i - b.i);
        c.rules = keyed.map((k) => k.r);
      }
    }
    out += `*${t.name}\n${t.chains.map((c) => `${c.decl}\n`).join('')}${t.chains.flatMap((c) => c.rules.map((r) => `${r}\n`)).join('')}COMMIT\n`;
  }
  return out;
}

describe('kube-proxy oracle round trip (restore upstream text, render, normalise)', () => {
  const cases: [string, string, string][] = [
    ['overall-iptables-rules', 'expected.iptables', 'expected.iptables-save'],
    ['bad-ips', 'expected.iptables', 'expected.iptables-save'],
    ['masquerade-rule-random-fully', 'derived.iptables', 'derived.iptables-save'],
  ];
  for (const [dir, input, save] of cases) {
    it(dir, () => {
      const nf = createNetfilter();
      load(nf, read(`oracles/kube-proxy-iptables-save/${dir}/${input}`), { noflush: true, counters: true });
      const ours = normalise(renderIptablesSave(nf, { tables: ['filter', 'nat'] }));
      expect(ours).toBe(read(`oracles/kube-proxy-iptables-save/${dir}/${save}`));
    });
  }

  it('sync-proxy-rules-repeated: nine successive --noflush restores give the real state after each', () => {
    const base = 'oracles/kube-proxy-iptables-save/sync-proxy-rules-repeated/';
    const steps = readdirSync(new URL(base, FIXTURES)).sort();
    expect(steps).toHaveLength(9);
    const nf = createNetfilter();
    for (const step of steps) {
      load(nf, read(`${base}${step}/expected.iptables`), { noflush: true, counters: true });
      const ours = normalise(renderIptablesSave(nf, { tables: ['filter', 'nat'] }));
      expect(ours, step).toBe(read(`${base}${step}/state.iptables-save`));
    }
  });
});
