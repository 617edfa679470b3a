import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, summarizeModel } from '../../core/index';
import { layout } from './layout';
import { createLayoutReuser, reuseLayout, same } from './layout-reuse';

const text = readFileSync(new URL('../default-scenario.yaml', import.meta.url), 'utf8');
const summaryOf = (t: string) => summarizeModel(loadScenario(t).model!);

describe('layout reuse', () => {
  it('compares JSON-like values deeply', () => {
    expect(same({ a: [1, { b: 'x' }], c: null }, { c: null, a: [1, { b: 'x' }] })).toBe(true);
    expect(same({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
    expect(same({ a: undefined }, { b: undefined })).toBe(false);
    expect(same([1], { 0: 1 })).toBe(false);
    expect(same(null, {})).toBe(false);
  });

  it('gives back the previous layout itself when a recompile draws the same picture', () => {
    const a = layout(summaryOf(text), 'detail');
    const b = layout(summaryOf(`${text}\n# a comment\n`), 'detail');
    expect(b).not.toBe(a);
    expect(reuseLayout(a, b)).toBe(a);
  });

  it('keeps the objects of unchanged nodes and edges, and takes the changed ones', () => {
    const a = layout(summaryOf(text), 'detail');
    const renamed = text.replace(/name: client\b/, 'name: clientx');
    expect(renamed).not.toBe(text);
    const b = layout(summaryOf(renamed), 'detail');
    const r = reuseLayout(a, b);
    expect(r).toEqual(b); // the same picture as laying out afresh
    const before = new Map(a.nodes.map((n) => [n.id, n]));
    let kept = 0;
    for (const n of r.nodes) {
      const old = before.get(n.id);
      if (old === n) kept++;
      else if (old) expect(same(old, n)).toBe(false);
    }
    expect(kept).toBeGreaterThan(r.nodes.length / 2);
    expect(r.nodes.some((n) => n.id.includes('clientx'))).toBe(true);
    expect(r.nodes.some((n) => n.id === 'pod:default/client')).toBe(false);
  });

  it('a reuser shares with its own last result', () => {
    const reuse = createLayoutReuser();
    const s = summaryOf(text);
    const first = reuse(layout(s, 'detail'))!;
    expect(reuse(layout(s, 'detail'))).toBe(first);
    expect(reuse(null)).toBeNull();
    expect(reuse(layout(s, 'detail'))).not.toBe(first);
  });
});
