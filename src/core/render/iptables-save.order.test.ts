// renderIptablesSave renders rules chain by chain in creation order, in batches, and puts the
// chains' texts in name order afterwards: checked against the plain reading of iptables-save
// (chains in name order, each rule rendered in turn), on random tables, on tables large enough
// for several batches, with counters, and with rule texts that hold a newline of their own.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderRule } from '../netfilter/render-rule';
import { createNetfilter, getTable, isBuiltinChain, readTable, TABLE_ORDER } from '../netfilter/state';
import type { Chain, NetfilterState, Rule, TableName } from '../netfilter/types';
import { renderIptablesSave } from './iptables-save';

/** iptables-save read literally: every chain's rules, rule by rule, chains in name order. */
function reference(nf: NetfilterState, tables: readonly TableName[], counters: boolean): string {
  let s = '';
  for (const name of TABLE_ORDER) {
    if (!tables.includes(name)) continue;
    const all = [...readTable(nf, name).chains.values()];
    const user = all.filter((c) => !isBuiltinChain(name, c.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const chains = all.filter((c) => isBuiltinChain(name, c.name)).concat(user);
    s += `*${name}\n`;
    for (const c of chains) s += `:${c.name} ${c.policy ?? '-'} ${counters ? `[${c.packets}:${c.bytes}]` : '[0:0]'}\n`;
    for (const c of chains) for (const r of c.rules) s += `${counters ? `[${r.packets}:${r.bytes}] ` : ''}${renderRule({ ...r })}\n`;
    s += 'COMMIT\n';
  }
  return s;
}

function rule(chain: string, target: string | undefined, comment: string | undefined, packets: number): Rule {
  const r: Rule = { chain, matches: [], packets, bytes: packets * 60 };
  if (comment !== undefined) r.matches.push({ module: 'comment', options: [['--comment', comment]] });
  if (target !== undefined) r.target = { name: target, options: [] };
  return r;
}

/** A hand-built filter table: chains made in the given order, rules jumping to ACCEPT/RETURN or a chain. */
function build(spec: { name: string; rules: { target: number; comment?: string | undefined; packets: number }[] }[]): NetfilterState {
  const nf = createNetfilter();
  const chains = getTable(nf, 'filter').chains;
  const names = spec.map((c) => c.name);
  for (const c of spec) {
    const chain: Chain = chains.get(c.name) ?? { name: c.name, rules: [], packets: c.rules.length, bytes: 7 };
    chains.set(c.name, chain);
    for (const r of c.rules) chain.rules.push(rule(c.name, r.target < 0 ? undefined : (['ACCEPT', 'RETURN', ...names][r.target % (names.length + 2)] ?? 'ACCEPT'), r.comment, r.packets));
  }
  return nf;
}

const chainName = fc.array(fc.constantFrom('A', 'b', 'KUBE-', 'SEP-', '0', '_', 'INPUT', 'É'), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(''));
const comment = fc.array(fc.constantFrom('a', ' ', '\n', '"', 'x:y', '/'), { maxLength: 5 }).map((xs) => xs.join(''));
const ruleSpec = fc.record({ target: fc.integer({ min: -1, max: 20 }), comment: fc.option(comment, { nil: undefined }), packets: fc.nat(9) });
const tableSpec = fc.uniqueArray(fc.record({ name: chainName, rules: fc.array(ruleSpec, { maxLength: 4 }) }), { selector: (c) => c.name, maxLength: 30 });

describe('renderIptablesSave chain assembly', () => {
  it('prints what rendering each chain in name order prints, with and without counters', () => {
    fc.assert(
      fc.property(tableSpec, fc.boolean(), (spec, counters) => {
        const nf = build(spec);
        expect(renderIptablesSave(nf, { tables: ['filter', 'nat'], counters })).toBe(reference(nf, ['filter', 'nat'], counters));
      }),
      { numRuns: 400 },
    );
  });

  it('puts chains in name order across several batches, newlines in rule texts or not', () => {
    for (const withNewline of [false, true]) {
      // 6,000 chains made in reverse name order, ~90k pieces: several batches of 32k.
      const spec = Array.from({ length: 6000 }, (_, i) => ({
        name: `KUBE-SEP-${String(6000 - i).padStart(5, '0')}`,
        rules: [{ target: 0, packets: 1 }, { target: (i * 7) % 6000, comment: withNewline && i % 1000 === 3 ? 'two\nlines' : `c${i}`, packets: 2 }],
      }));
      const nf = build(spec);
      const text = renderIptablesSave(nf, { tables: ['filter'] });
      expect(text).toBe(reference(nf, ['filter'], false));
      expect(text.split('\n').filter((l) => l.startsWith(':KUBE-SEP-'))[0]).toBe(':KUBE-SEP-00001 - [0:0]');
    }
  });
});
