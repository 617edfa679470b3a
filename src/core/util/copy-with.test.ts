import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { copyWith } from './copy-with';
import { expandDeployment } from '../controllers/workloads';
import { parseScenario } from '../scenario/parse';

// V8's own answer to "do these objects share a hidden class?" (a natives call, allowed from here on).
setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** How many distinct hidden classes `objs` have. */
function shapes(objs: object[]): number {
  const reps: object[] = [];
  for (const o of objs) if (!reps.some((r) => sameMap(r, o))) reps.push(o);
  return reps.length;
}

const key = fc.oneof(fc.constantFrom('__proto__', 'name', 'namespace', 'labels', 'a', 'constructor'), fc.string({ maxLength: 4 }));
const plain = fc.dictionary(key, fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxKeys: 6 });

describe('copyWith', () => {
  it('makes what { ...obj, ...extra } makes: keys in the same order, same values, a plain prototype', () => {
    fc.assert(
      fc.property(fc.option(plain, { nil: undefined }), plain, (obj, extra) => {
        const got = copyWith<Record<string, unknown>>(obj, extra);
        const want: Record<string, unknown> = { ...obj, ...extra };
        expect(Reflect.ownKeys(got)).toEqual(Reflect.ownKeys(want));
        for (const k of Reflect.ownKeys(want)) expect(Object.getOwnPropertyDescriptor(got, k)).toEqual(Object.getOwnPropertyDescriptor(want, k));
        expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
      }),
    );
  });

  it('gives every copy of same-keyed objects one hidden class, where the spread gives each its own', () => {
    const metas = Array.from({ length: 200 }, (_, i) => ({ name: `p${i}` }));
    expect(shapes(metas.map((m) => copyWith(m, { namespace: 'default' })))).toBe(1);
    // The V8 behaviour this works around (if a V8 ever shares these, copyWith still holds).
    expect(shapes(metas.map((m) => ({ ...m, namespace: 'default' })))).toBeGreaterThan(1);
  });

  it("gives a Deployment's replicas, and the parser's pods without a namespace, one metadata shape", () => {
    const pos = { line: 1, col: 1, offset: 0, end: 0 };
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 50, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    const pods = expandDeployment(1, { value: d, pos } as unknown as Parameters<typeof expandDeployment>[1]);
    expect(pods).toHaveLength(50);
    expect(shapes(pods.map((p) => p.pod.metadata))).toBe(1);
    expect(shapes(pods.map((p) => p.pod.metadata.labels!))).toBe(1);
    const docs = Array.from({ length: 100 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {containers: [{name: c, image: nginx}]}`);
    const first = parseScenario(docs.join('\n---\n')).scenario.pods.map((p) => p.value);
    const again = parseScenario(docs.join('\n---\n')).scenario.pods.map((p) => p.value);
    expect(first.every((p) => p.metadata.namespace === 'default')).toBe(true);
    expect(shapes(first.map((p) => p.metadata))).toBe(1);
    // The same shapes from one parse to the next (code optimised on the first stays valid).
    expect(shapes([...first, ...again])).toBe(1);
    expect(shapes([...first, ...again].map((p) => p.metadata))).toBe(1);
  });
});
