// Properties of the fast paths of iptables-restore and iptables-save: the indexOf tokenizer
// splits every line as the character-at-a-time reading does, saveString's one-pass scan quotes as
// the regex did, and on random rulesets restore(save(x)) saves as x (iptables-save's output is a
// fixed point), with the uncached render equal to the cached one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderIptablesSave } from '../render/iptables-save';
import { renderRule, renderRuleInto } from './render-rule';
import { restore } from './restore';
import { saveString } from './save-string';
import { createNetfilter, getTable } from './state';
import { parseNatRange, parsePortSpec } from './targets/nat-range';
import { tokenize } from './tokenize';
import { ruleBodyArbitrary } from '../testing/iptables-rule-arbitrary';

/** The tokenizer as it was: every character read in turn. */
function referenceTokenize(line: string): { ok: true; words: string[] } | { ok: false; error: string } {
  const words: string[] = [];
  const blank = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  let i = 0;
  while (i < line.length) {
    if (blank(line[i]!)) {
      i++;
      continue;
    }
    let cur = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quoted) {
        if (c === '\\' && i + 1 < line.length) cur += line[++i];
        else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (blank(c)) break;
      else cur += c;
    }
    if (quoted) return { ok: false, error: 'Unterminated quoted string' };
    words.push(cur);
  }
  return { ok: true, words };
}

/** saveString as it was: a regex test, then a regex replace. */
function referenceSaveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["'\\]/g, (c) => `\\${c}`)}"`;
}

describe('tokenize fast path', () => {
  it('splits every line as the character-by-character reader does', () => {
    const line = fc.array(fc.constantFrom('a', 'B', '-', '--x', ' ', ' ', '  ', '\t', '\r', '"', '\\', "'", '1.2', ':'), { maxLength: 30 }).map((xs) => xs.join(''));
    fc.assert(fc.property(line, (l) => {
      expect(tokenize(l)).toEqual(referenceTokenize(l));
    }), { numRuns: 3000 });
  });
});

describe('saveString fast path', () => {
  it('quotes and escapes as the regex version does', () => {
    const value = fc.array(fc.constantFrom('a', 'Z', '0', '_', '-', ' ', '/', ':', '"', "'", '\\', '.', 'é'), { maxLength: 12 }).map((xs) => xs.join(''));
    fc.assert(fc.property(value, (v) => {
      expect(saveString(v)).toBe(referenceSaveString(v));
    }), { numRuns: 3000 });
  });
});

/** parsePortSpec as it was: one regex for every port. */
function referencePortSpec(s: string): [number, number] | string {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi > 65535 || lo > hi) return `Port "${s}" not valid`;
  return [lo, hi];
}

describe('NAT range fast paths', () => {
  it('reads a port spec as the regex did', () => {
    const spec = fc.array(fc.constantFrom('0', '1', '8', '80', '65535', '65536', '-', 'x', '99999999999999999'), { maxLength: 4 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(spec, (s) => {
        const r = parsePortSpec(s, 6);
        expect(r.ok ? r.parsed : r.error).toEqual(referencePortSpec(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives one address range both ends, and a real range its two', () => {
    expect(parseNatRange('10.1.2.3:8080', 6)).toEqual({ ok: true, parsed: { minIp: '10.1.2.3', maxIp: '10.1.2.3', ports: [8080, 8080] } });
    expect(parseNatRange('10.1.2.3-10.1.2.9', 6)).toEqual({ ok: true, parsed: { minIp: '10.1.2.3', maxIp: '10.1.2.9' } });
    expect(parseNatRange('10.1.2.9-10.1.2.3', 6)).toEqual({ ok: false, error: 'Bad IP address "10.1.2.9-10.1.2.3"' });
  });
});

const CHAINS = ['KUBE-SVC-AAAAAAAAAAAAAAAA', 'KUBE-SEP-BBBBBBBBBBBBBBBB', 'X'];
const chain = fc.constantFrom(...CHAINS);
const comment = fc.array(fc.constantFrom('a', 'b', '/', ':', ' ', '-', '>', "'", '1'), { minLength: 1, maxLength: 10 }).map((xs) => xs.join('').replace(/'/g, ''));
/** One rule's words after `-A CHAIN`, from pieces kube-proxy and the CNI plugins write. */
const ruleBody = ruleBodyArbitrary({
  ifaces: ['-i eth0', '-o cni0', '-i veth+'],
  protos: ['tcp', 'udp'],
  comment,
  extras: ['-m statistic --mode random --probability 0.25', '-m mark ! --mark 0x4000/0x4000', '-m addrtype --dst-type LOCAL', '-m conntrack --ctstate RELATED,ESTABLISHED', '-m foo --bar baz'],
  targets: ['-j ACCEPT', '-j RETURN', '-j KUBE-MARK-MASQ', '-j X', '-j DNAT --to-destination 10.1.2.3:8080', '-j MARK --or-mark 0x4000', '-j REJECT', ''],
});
const ruleset = fc.array(fc.tuple(chain, ruleBody), { maxLength: 25 }).map((rules) => {
  const lines = ['*nat', ':KUBE-MARK-MASQ - [0:0]', ...CHAINS.map((c) => `:${c} - [0:0]`)];
  for (const [c, body] of rules) lines.push(`-A ${c} ${body}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
});

describe('restore and save on random rulesets', () => {
  it('restore(save(x)) saves as save(x), and the uncached render equals the cached one', () => {
    fc.assert(
      fc.property(ruleset, (text) => {
        const nf = createNetfilter();
        expect(restore(nf, text)).toEqual({ ok: true });
        const saved = renderIptablesSave(nf, { tables: ['nat'] });
        for (const c of nf.tables.get('nat')!.chains.values())
          for (const r of c.rules) {
            const pieces: string[] = [];
            renderRuleInto(r, pieces);
            const transient = pieces.join("");
            expect(r.text).toBeUndefined();
            expect(renderRule(r)).toBe(transient);
          }
        const again = createNetfilter();
        expect(restore(again, saved)).toEqual({ ok: true });
        expect(renderIptablesSave(again, { tables: ['nat'] })).toBe(saved);
      }),
      { numRuns: 300 },
    );
  });
});

describe('iptables-save chain order', () => {
  it('lists user chains in code-unit order of their names, whatever order they were made in', () => {
    const name = fc.array(fc.constantFrom('A', 'a', 'Z', 'z', '0', '9', '-', '_', 'É', 'KUBE-', 'SEP'), { minLength: 1, maxLength: 6 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 20 }), (names) => {
        const nf = createNetfilter();
        expect(restore(nf, ['*filter', ...names.map((n) => `:${n} - [0:0]`), 'COMMIT', ''].join('\n'))).toEqual({ ok: true });
        const listed = renderIptablesSave(nf, { tables: ['filter'] })
          .split('\n')
          .filter((l) => l.endsWith(' - [0:0]'))
          .map((l) => l.slice(1, -' - [0:0]'.length));
        expect(listed).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }),
      { numRuns: 300 },
    );
  });

  it('still sorts a hand-built table whose map keys differ from the chain names', () => {
    const nf = createNetfilter();
    const chains = getTable(nf, 'filter').chains;
    chains.set('key-b', { name: 'B', rules: [], packets: 0, bytes: 0 });
    chains.set('key-a', { name: 'C', rules: [], packets: 0, bytes: 0 });
    chains.set('A', { name: 'A', rules: [], packets: 0, bytes: 0 });
    expect(renderIptablesSave(nf, { tables: ['filter'] })).toBe('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\nCOMMIT\n');
  });
});
