/**
 * A released doc composed again gives every position its held tree gave (doc-source.ts), and a
 * parsed scenario keeps no YAML trees alive.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createReporter } from './diagnostics';
import { releaseDoc } from './doc-source';
import { DEFAULT_LIMITS } from './limits';
import { parseScenario } from './parse';
import type { PathSegment } from './positions';
import { createLocator } from './positions';
import { readYaml } from './read-yaml';

/** Every path into `v` (objects and lists, a few levels deep), and one missing field under each. */
function pathsOf(v: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = [], depth = 0): PathSegment[][] {
  out.push(prefix, [...prefix, 'no-such-field']);
  if (depth > 4 || v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, String(i)], out, depth + 1));
  else for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, ...k.split('.')], out, depth + 1);
  return out;
}

/** Each doc's positions for every path, while its tree is held and again after it is released. */
function positionsBeforeAndAfter(text: string): { held: string[]; recomposed: string[]; released: number; docs: number } {
  const { docs } = readYaml(text, DEFAULT_LIMITS, createReporter());
  const held: string[] = [];
  const recomposed: string[] = [];
  let released = 0;
  for (const d of docs) {
    const loc = createLocator(d.source);
    const items = Array.isArray((d.value as { items?: unknown }).items) ? ((d.value as { items: unknown[] }).items.map((_, i) => createLocator(d.source, ['items', i]))) : [];
    const paths = pathsOf(d.value);
    const ask = (into: string[]) => {
      for (const l of [loc, ...items]) {
        into.push(JSON.stringify(l.pos));
        for (const p of paths) into.push(JSON.stringify([p, l.valuePos(p), l.keyPos(p)]));
      }
    };
    ask(held);
    releaseDoc(d.source);
    if (!d.source.held) released++;
    ask(recomposed);
  }
  return { held, recomposed, released, docs: docs.length };
}

describe('a released doc', () => {
  it('gives the same positions, composed again, in every place a doc can start', () => {
    const text = [
      '\uFEFF# a comment before the first doc',
      '  apiVersion: v1', // the first doc indented as a whole
      '  kind: Pod',
      '  metadata: {name: a, annotations: {hopscope.dev/pod-ip: 10.244.1.9}}',
      '---',
      'kind: List',
      'items:',
      '  - {kind: Pod, metadata: {name: b}}',
      '  - kind: Pod',
      '    metadata:',
      '      name: c',
      '...',
      'base: &b {x: 1}',
      'merged:',
      '  <<: *b',
      '  y: [1, 2, {z: 3}]',
      '...',
      '--- # after an explicit end',
      'spec:',
      '  nodeName:',
      '  containers:',
      '    - name: c',
      '      ports:',
      '        - containerPort: 80',
      '--- |',
      '  a block scalar doc',
      '---',
      '"quoted": \'single\'',
      '? complex',
      ': value',
      '',
    ].join('\n');
    const r = positionsBeforeAndAfter(text);
    expect(r.docs).toBe(6);
    expect(r.released).toBe(6);
    expect(r.recomposed).toEqual(r.held);
  });

  it('gives the same positions for random documents, however they are laid out', () => {
    const doc = fc.dictionary(fc.stringMatching(/^[a-z][a-z.]{0,6}$/), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 5 });
    const layout = fc.record({ indent: fc.integer({ min: 1, max: 4 }), collectionStyle: fc.constantFrom('any', 'block', 'flow') as fc.Arbitrary<'any' | 'block' | 'flow'> });
    const separator = fc.constantFrom('---\n', '...\n---\n', '---\n# c\n\n', '...\n', '--- # c\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(doc, layout, separator), { minLength: 1, maxLength: 4 }), (docs) => {
        const text = docs.map(([v, o, sep], i) => (i ? sep : '') + stringify(v, { indent: o.indent, collectionStyle: o.collectionStyle })).join('');
        const r = positionsBeforeAndAfter(text);
        expect(r.released).toBe(r.docs);
        expect(r.recomposed).toEqual(r.held);
      }),
      { numRuns: 60 },
    );
  });

  it('is kept when a directive sets how it reads (YAML 1.1 carries over to later docs)', () => {
    const text = ['%YAML 1.1', '---', 'on: yes', '...', '---', 'off: no', ''].join('\n');
    const r = positionsBeforeAndAfter(text);
    expect(r.docs).toBe(2);
    expect(r.released).toBe(0);
    expect(r.recomposed).toEqual(r.held);
  });
});

describe('a parsed scenario', () => {
  it('keeps no YAML trees alive: under 3 KB per pod document (8.3 KB with the trees)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const n = 1000;
    const docs = Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n  labels: {app: web}\nspec:\n  containers:\n    - name: c\n      image: nginx\n      ports:\n        - containerPort: 80\n`);
    const text = docs.join('---\n');
    parseScenario(text); // code and caches the parse makes once, not per scenario
    // The smaller of two measurements: the heap of a test worker also holds what the runner does.
    const kept = (): { perDoc: number; parsed: ReturnType<typeof parseScenario> } => {
      gc();
      const before = process.memoryUsage().heapUsed;
      const parsed = parseScenario(text);
      gc();
      return { perDoc: (process.memoryUsage().heapUsed - before) / n, parsed };
    };
    const a = kept();
    const b = kept();
    const { parsed } = b;
    const perDoc = Math.min(a.perDoc, b.perDoc);
    expect(parsed.scenario.pods).toHaveLength(n);
    expect(perDoc).toBeLessThan(3000);
    // And a field position is still found once the trees are gone.
    const p = parsed.scenario.pods[n - 1]!.fieldPos('spec.containers.0.image');
    expect(text.slice(p.offset, p.end)).toBe('nginx');
  });
});
