import { describe, expect, it } from 'vitest';
import { renderIptablesSave } from '../render/iptables-save';
import { renderRule } from './render-rule';
import { restore } from './restore';
import { createNetfilter, readTable } from './state';
import { tokenize } from './tokenize';

function save(text: string, noflush = false): string {
  const nf = createNetfilter();
  const r = restore(nf, text, { noflush });
  expect(r).toEqual({ ok: true });
  return renderIptablesSave(nf, { tables: ['filter'] });
}

describe('tokenize (iptables-restore word splitting)', () => {
  it('keeps double-quoted strings as one word and unescapes inside quotes only', () => {
    expect(tokenize('-A X -m comment --comment "a \\"b\\" c" -j ACCEPT')).toEqual({ ok: true, words: ['-A', 'X', '-m', 'comment', '--comment', 'a "b" c', '-j', 'ACCEPT'] });
    expect(tokenize('--comment "a\\b"')).toEqual({ ok: true, words: ['--comment', 'ab'] });
    expect(tokenize("--comment 'a b'")).toEqual({ ok: true, words: ['--comment', "'a", "b'"] });
    expect(tokenize('--comment ""')).toEqual({ ok: true, words: ['--comment', ''] });
    expect(tokenize('--comment "open').ok).toBe(false);
  });
});

describe('restore', () => {
  it('reports the first error with its line and applies nothing of that table', () => {
    const nf = createNetfilter();
    const r = restore(nf, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n-A INPUT -j NOPE\nCOMMIT\n');
    expect(r).toEqual({ ok: false, error: "Couldn't load target `NOPE':No such file or directory", line: 4 });
    expect(readTable(nf, 'filter').chains.get('INPUT')!.rules).toEqual([]);
  });

  it('keeps tables committed before the failing one (iptables-nft commits per table)', () => {
    const nf = createNetfilter();
    const r = restore(nf, '*nat\n:KUBE-A - [0:0]\nCOMMIT\n*filter\n-A INPUT -p tcp --bogus 1\nCOMMIT\n');
    expect(r).toMatchObject({ ok: false, line: 5, error: 'unknown option "--bogus"' });
    expect(nf.tables.get('nat')!.chains.has('KUBE-A')).toBe(true);
  });

  it('refuses to delete a chain still jumped to, at COMMIT, on the -X line', () => {
    const nf = createNetfilter();
    restore(nf, '*filter\n:A - [0:0]\n-A FORWARD -j A\nCOMMIT\n');
    expect(restore(nf, '*filter\n-X A\nCOMMIT\n', { noflush: true })).toEqual({
      ok: false,
      error: 'CHAIN_DEL failed (Device or resource busy): chain A',
      line: 2,
    });
    expect(restore(nf, '*filter\n-F FORWARD\n-X A\nCOMMIT\n', { noflush: true })).toEqual({ ok: true });
    expect(nf.tables.get('filter')!.chains.has('A')).toBe(false);
  });

  it('flushes the whole table without --noflush, and only declared chains with it', () => {
    const base = '*filter\n:A - [0:0]\n-A A -j ACCEPT\n-A INPUT -j A\nCOMMIT\n';
    const nf = createNetfilter();
    restore(nf, base);
    restore(nf, '*filter\n:B - [0:0]\nCOMMIT\n');
    expect(renderIptablesSave(nf, { tables: ['filter'] })).toBe('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:B - [0:0]\nCOMMIT\n');
    const nf2 = createNetfilter();
    restore(nf2, base);
    restore(nf2, '*filter\n:A - [0:0]\n-A A -j DROP\nCOMMIT\n', { noflush: true });
    expect(renderIptablesSave(nf2, { tables: ['filter'] })).toContain('-A INPUT -j A\n-A A -j DROP\n');
  });

  it('supports -I, -D, -R, -N, -P and -Z', () => {
    const out = save('*filter\n-N X\n-A X -j ACCEPT\n-I X -j DROP\n-I X 2 -j RETURN\n-R X 3 -j LOG\n-D X -j DROP\n-P FORWARD DROP\n-Z\nCOMMIT\n');
    expect(out).toBe('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:X - [0:0]\n-A X -j RETURN\n-A X -j LOG\nCOMMIT\n');
  });

  it('expands -s a,b into one rule per address and canonicalises addresses', () => {
    const nf = createNetfilter();
    restore(nf, '*filter\n-A INPUT -s 1.1.1.1,010.0.0.1/255.0.0.0 -d 0/0 -j ACCEPT\nCOMMIT\n');
    expect(nf.tables.get('filter')!.chains.get('INPUT')!.rules.map(renderRule)).toEqual([
      '-A INPUT -s 1.1.1.1/32 -j ACCEPT',
      '-A INPUT -s 8.0.0.0/8 -j ACCEPT',
    ]);
  });

  it('rejects what iptables rejects', () => {
    const fails = (rule: string) => restore(createNetfilter(), `*nat\n:X - [0:0]\n-A X ${rule}\nCOMMIT\n`).ok;
    expect(fails('-j DNAT --to-destination 10.0.0.1:80')).toBe(false); // port without -p tcp/udp
    expect(fails('-m statistic ! --mode random --probability 0.5')).toBe(false);
    expect(fails('-m multiport --dports 80')).toBe(false);
    expect(fails('-p nope')).toBe(false);
    expect(fails('-m recent --name x')).toBe(false);
    expect(fails('-j X ! -j Y')).toBe(false);
    expect(restore(createNetfilter(), '*nat\n:X ACCEPT [0:0]\nCOMMIT\n').ok).toBe(false);
    expect(restore(createNetfilter(), '*bogus\nCOMMIT\n').ok).toBe(false);
    expect(restore(createNetfilter(), '*filter\n-A INPUT -j ACCEPT\n')).toMatchObject({ ok: false, error: 'COMMIT expected' });
  });

  it('renders hand-built rules (no restore) the same way', () => {
    const rule = {
      chain: 'KUBE-SEP-X',
      protocol: { name: 'tcp', negate: false },
      matches: [
        { module: 'comment', options: [['--comment', 'ns/svc:p80']] as [string, ...string[]][] },
        { module: 'tcp', options: [] as [string, ...string[]][] },
      ],
      target: { name: 'DNAT', options: [['--to-destination', '10.0.0.1:80']] as [string, ...string[]][] },
      packets: 0,
      bytes: 0,
    };
    expect(renderRule(rule)).toBe('-A KUBE-SEP-X -p tcp -m comment --comment "ns/svc:p80" -m tcp -j DNAT --to-destination 10.0.0.1:80');
  });
});
