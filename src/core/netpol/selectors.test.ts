import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatSelector, matchSelector, selectorProblems } from './selectors';

describe('label selectors', () => {
  const labels = { pod: 'a', env: 'prod' };

  it('matches everything when empty or missing', () => {
    expect(matchSelector(undefined, labels)).toBe(true);
    expect(matchSelector({}, {})).toBe(true);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    expect(
      matchSelector(
        {
          matchLabels: { pod: 'a' },
          matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      matchSelector(
        {
          matchLabels: { pod: 'a' },
          matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }],
        },
        labels,
      ),
    ).toBe(false);
  });

  it('treats a missing key as satisfying NotIn and DoesNotExist, but not In or Exists', () => {
    expect(
      matchSelector(
        {
          matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['db'] }],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      matchSelector({ matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] }, labels),
    ).toBe(true);
    expect(
      matchSelector(
        { matchExpressions: [{ key: 'role', operator: 'In', values: ['db'] }] },
        labels,
      ),
    ).toBe(false);
    expect(matchSelector({ matchExpressions: [{ key: 'role', operator: 'Exists' }] }, labels)).toBe(
      false,
    );
    expect(
      matchSelector(
        {
          matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }],
        },
        labels,
      ),
    ).toBe(false);
  });

  it('NotIn is the complement of In, DoesNotExist of Exists (property)', () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const lbls = fc.dictionary(key, fc.constantFrom('x', 'y', 'z'));
    fc.assert(
      fc.property(
        key,
        fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 1 }),
        lbls,
        (k, values, l) => {
          const inSel = matchSelector(
            { matchExpressions: [{ key: k, operator: 'In', values }] },
            l,
          );
          const notIn = matchSelector(
            { matchExpressions: [{ key: k, operator: 'NotIn', values }] },
            l,
          );
          const exists = matchSelector({ matchExpressions: [{ key: k, operator: 'Exists' }] }, l);
          const absent = matchSelector(
            { matchExpressions: [{ key: k, operator: 'DoesNotExist' }] },
            l,
          );
          return inSel !== notIn && exists !== absent;
        },
      ),
    );
  });

  it('reports invalid operators and values the apiserver would refuse', () => {
    expect(
      selectorProblems({
        matchExpressions: [{ key: 'env', operator: 'Equals', values: ['a'] }],
      }),
    ).toEqual([
      {
        path: 'matchExpressions.0.operator',
        message: expect.stringContaining('Unsupported value: "Equals"'),
      },
    ]);
    expect(
      selectorProblems({
        matchExpressions: [{ key: 'env', operator: 'In' }],
      })[0],
    ).toMatchObject({
      path: 'matchExpressions.0.values',
      message: expect.stringContaining("must be specified when `operator` is 'In'"),
    });
    expect(
      selectorProblems({
        matchExpressions: [{ key: 'env', operator: 'Exists', values: ['a'] }],
      })[0],
    ).toMatchObject({
      path: 'matchExpressions.0.values',
      message: expect.stringContaining('may not be specified'),
    });
    expect(selectorProblems({ matchLabels: { 'bad key!': 'x' } })[0]?.path).toBe(
      'matchLabels.bad key!',
    );
    expect(selectorProblems({ matchLabels: { ok: 7 } })[0]?.message).toContain('not a string');
    expect(
      selectorProblems({
        matchLabels: { pod: 'a' },
        matchExpressions: [
          {
            key: 'kubernetes.io/metadata.name',
            operator: 'NotIn',
            values: ['x'],
          },
        ],
      }),
    ).toEqual([]);
  });

  it('prints selectors as kubectl does', () => {
    expect(formatSelector({})).toBe('<all>');
    expect(
      formatSelector({
        matchLabels: { pod: 'a' },
        matchExpressions: [
          { key: 'role', operator: 'In', values: ['db', 'cache'] },
          { key: 'env', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('pod=a,role in (db,cache),!env');
  });
});
