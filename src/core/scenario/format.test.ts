import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from './did-you-mean';
import { formatDiagnostic } from './format';

describe('formatDiagnostic', () => {
  it('prints file:line:col: severity: message on one line', () => {
    const d = { severity: 'error' as const, code: 'wrong-type', message: 'spec.nodes must be\na number', pos: { line: 5, col: 10, offset: 70, end: 73 } };
    expect(formatDiagnostic(d, 'broken.yaml')).toBe('broken.yaml:5:10: error: spec.nodes must be a number');
  });
});

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and swaps as one edit each', () => {
    expect(editDistance('nodez', 'nodes')).toBe(1);
    expect(editDistance('Pdo', 'Pod')).toBe(1);
    expect(editDistance('containres', 'containers')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    expect(suggest('nodez', ['seed', 'nodes', 'dns'])).toBe('nodes');
    expect(suggest('frobnicate', ['seed', 'nodes', 'dns'])).toBeNull();
    expect(suggest('deployment', ['Deployment', 'Pod'])).toBe('Deployment');
  });
});
