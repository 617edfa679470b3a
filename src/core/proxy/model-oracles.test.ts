// kube-proxy's expected dumps reached through the whole model: each fixture's objects.yaml goes
// through the scenario parser and compile (no Cluster document: objects as the API server stored
// them), kube-proxy programs the node's netfilter, and `iptables-save` of that node — filtered and
// normalised as fixtures/oracles/kube-proxy-iptables/README.md says — equals the real tool's
// output in fixtures/oracles/kube-proxy-iptables-save (see its ORIGIN.md).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ClusterModel } from '../model/types';
import { loadScenario } from '../compile/load';
import { renderIptablesSave } from '../render/iptables-save';
import { normaliseIptables } from './iptables/index';
import { resyncKubeProxy } from './index';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/oracles');
const OBJECTS = join(FIXTURES, 'kube-proxy-iptables');
const SAVES = join(FIXTURES, 'kube-proxy-iptables-save');
const BUILTIN = new Set(['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING']);
const NOT_RESTORED = new Set(['KUBE-PROXY-CANARY', 'KUBE-KUBELET-CANARY']);

function load(dir: string): ClusterModel {
  const r = loadScenario(readFileSync(join(OBJECTS, dir, 'objects.yaml'), 'utf8'));
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => d.message)).toEqual([]);
  expect(r.scenario.cluster).toBeNull();
  return r.model!;
}

/** The README's filter (built-in chains, canaries, non-KUBE chains, KUBE-FIREWALL if the oracle lacks it), then N. */
function comparable(model: ClusterModel, expected: string): string {
  const node = model.nodes.find((n) => n.name === 'test-node')!;
  const keep = (chain: string): boolean => chain.startsWith('KUBE-') && !BUILTIN.has(chain) && !NOT_RESTORED.has(chain) && (chain !== 'KUBE-FIREWALL' || expected.includes(':KUBE-FIREWALL '));
  const lines = renderIptablesSave(model.netns.get(node.netns)!.netfilter, { tables: ['filter', 'nat'] })
    .split('\n')
    .filter((l) => {
      const m = /^(?::|-A )(\S+)/.exec(l);
      return !m || keep(m[1]!);
    });
  return normaliseIptables(lines.join('\n'));
}

/** Case directories (relative) holding an iptables-save oracle and objects to load. */
function cases(): { dir: string; file: string }[] {
  const out: { dir: string; file: string }[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === 'expected.iptables-save' || name === 'derived.iptables-save') {
        const dir = relative(SAVES, abs);
        if (existsSync(join(OBJECTS, dir, 'objects.yaml'))) out.push({ dir, file: name });
      }
    }
  };
  walk(SAVES);
  return out;
}

describe('kube-proxy oracle through the scenario parser and the model (iptables-save of test-node)', () => {
  const all = cases();

  it('covers every IPv4 case that has an iptables-save oracle', () => {
    expect(all.length).toBeGreaterThanOrEqual(35);
  });

  it.each(all.map((c) => [c.dir, c] as const))('%s', (_dir, c) => {
    const expected = readFileSync(join(SAVES, c.dir, c.file), 'utf8');
    expect(comparable(load(c.dir), expected)).toBe(expected);
  });
});

describe('kube-proxy oracle: repeated syncs of one model', () => {
  const steps = readdirSync(join(SAVES, 'sync-proxy-rules-repeated')).filter((s) => /^\d\d-/.test(s)).sort();

  it.each(steps)('full sync of %s', (step) => {
    const expected = readFileSync(join(SAVES, 'sync-proxy-rules-repeated', step, 'state.iptables-save'), 'utf8');
    expect(comparable(load(`sync-proxy-rules-repeated/steps/${step}`), expected)).toBe(expected);
  });

  it('re-syncing the same node step by step deletes stale chains and reaches every state', () => {
    expect(steps).toHaveLength(9);
    const model = load(`sync-proxy-rules-repeated/steps/${steps[0]}`);
    for (const step of steps) {
      const next = load(`sync-proxy-rules-repeated/steps/${step}`);
      model.services = next.services;
      model.endpointSlices = next.endpointSlices;
      resyncKubeProxy(model);
      const expected = readFileSync(join(SAVES, 'sync-proxy-rules-repeated', step, 'state.iptables-save'), 'utf8');
      expect(comparable(model, expected), step).toBe(expected);
    }
  });
});
