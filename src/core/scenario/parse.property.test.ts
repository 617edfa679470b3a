/**
 * "No input makes the core throw" (DESIGN §6) for the parser: random strings, random YAML
 * built from random values, Kubernetes-looking objects with random fields, and random edits of
 * a real scenario. Reaching the last-resort guard (`internal-error`) counts as a failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KINDS } from './kinds';
import { parseScenario } from './parse';

function assertWellFormed(text: string): void {
  const { diagnostics } = parseScenario(text);
  for (const d of diagnostics) {
    expect(d.code).not.toBe('internal-error');
    expect(d.pos.line).toBeGreaterThanOrEqual(1);
    expect(d.pos.col).toBeGreaterThanOrEqual(1);
    expect(d.pos.offset).toBeLessThanOrEqual(text.length);
  }
}

const yamlish = fc.stringMatching(/^[a-z0-9 :\-\n[\]{}&*!|>'",#./]*$/);

const kindName = fc.constantFrom(...KINDS.keys(), 'List', 'Unknown');

const k8sish = fc.record(
  {
    apiVersion: fc.constantFrom('v1', 'apps/v1', 'hopscope/v1alpha1', 'discovery.k8s.io/v1', 'x'),
    kind: kindName,
    metadata: fc.oneof(fc.record({ name: fc.string(), namespace: fc.string() }, { requiredKeys: [] }), fc.anything()),
    spec: fc.oneof(
      fc.anything(),
      fc.record(
        {
          nodes: fc.oneof(fc.integer(), fc.array(fc.record({ name: fc.string(), ip: fc.string() }, { requiredKeys: [] }))),
          podCIDR: fc.oneof(fc.string(), fc.ipV4().map((ip) => `${ip}/${ip.length % 33}`)),
          containers: fc.array(fc.anything()),
          ports: fc.array(fc.record({ port: fc.anything(), nodePort: fc.integer() }, { requiredKeys: [] })),
          cni: fc.record({ plugin: fc.constantFrom('flannel', 'calico', 'x'), backend: fc.string() }, { requiredKeys: [] }),
          requests: fc.array(fc.record({ from: fc.string(), to: fc.string() }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      ),
    ),
    items: fc.array(fc.anything(), { maxLength: 3 }),
  },
  { requiredKeys: ['kind'] },
);

describe('parseScenario never throws', () => {
  it('for random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), assertWellFormed), { numRuns: 300 });
  });

  it('for YAML-looking noise', () => {
    fc.assert(fc.property(yamlish, assertWellFormed), { numRuns: 500 });
  });

  it('for random values serialised as YAML documents', () => {
    const doc = fc.oneof(fc.anything(), k8sish);
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 4 }), (docs) => {
        assertWellFormed(docs.map((d) => stringify(d)).join('---\n'));
      }),
      { numRuns: 300 },
    );
  });

  it('for random edits of a real scenario', () => {
    const base = readFileSync(join(__dirname, '../../../fixtures/scenarios/all-kinds.yaml'), 'utf8');
    const edit = fc.record({ at: fc.nat(base.length), drop: fc.nat(20), insert: fc.string({ maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = base;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.drop);
        assertWellFormed(text);
      }),
      { numRuns: 100 },
    );
  });
});
