/**
 * Truth tables of the Kubernetes e2e network policy suite (fixtures/oracles/netpol, 48 upstream
 * tests, 64 cases) and of our own extra cases (fixtures/oracles/netpol-extra): each case loaded
 * with a policy-enforcing CNI, its reachability matrix traced through the model and compared
 * with upstream's table cell for cell off the diagonal (upstream does not grade a pod reaching
 * itself; see fixtures/oracles/netpol/README.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadScenario } from '../../compile/load';
import { computeReachability, renderReachMatrix } from '../../simulate/reach';

const FIXTURES = new URL('../../../../fixtures/oracles/', import.meta.url);

interface Probe {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

interface Case {
  set: string;
  dir: string;
  objects: string;
  probes: Probe[];
  expected: string[];
}

function cases(set: string): Case[] {
  const root = new URL(`${set}/`, FIXTURES);
  return readdirSync(root)
    .filter((d) => existsSync(new URL(`${d}/objects.yaml`, root)))
    .sort()
    .map((dir) => {
      const read = (f: string) => readFileSync(new URL(`${dir}/${f}`, root), 'utf8');
      const probe = parse(read('probe.yaml')) as Probe | Probe[];
      return {
        set,
        dir,
        objects: read('objects.yaml'),
        probes: Array.isArray(probe) ? probe : [probe],
        expected: read('expected.txt').trim().split('\n'),
      };
    });
}

const CLUSTERS = {
  calico: 'cni: {plugin: calico}',
  // Canal: flannel's bridge and VXLAN with Calico's policy engine; 4 nodes so that every pinned
  // address (10.244.1-3.x) falls in a node's /24 and host-local can assign it.
  canal: 'nodes: 4\n  cni: {plugin: flannel, policy: calico}',
} as const;

function scenario(c: Case, cni: string): string {
  return `apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: ${c.dir}}\nspec:\n  ${cni}\n---\n${c.objects}`;
}

/** Off-diagonal cells that differ, as `src -> dst: want X got .`. */
function mismatches(expected: string[], got: string[]): string[] {
  const cols = expected[0]!.split(' ');
  expect(got[0]).toBe(expected[0]);
  const out: string[] = [];
  for (let i = 1; i < expected.length; i++) {
    const want = expected[i]!.split(' ');
    const have = (got[i] ?? '').split(' ');
    expect(have[0]).toBe(want[0]);
    for (let j = 1; j < want.length; j++)
      if (i !== j && want[j] !== have[j])
        out.push(`${want[0]} -> ${cols[j - 1]}: want ${want[j]} got ${have[j]}`);
  }
  return out;
}

const ALL = [...cases('netpol'), ...cases('netpol-extra')];

describe('NetworkPolicy oracles: upstream e2e truth tables through the traced datapath', () => {
  it('has every case (64 upstream + 2 extra)', () => {
    expect(ALL.filter((c) => c.set === 'netpol')).toHaveLength(64);
    expect(ALL.filter((c) => c.set === 'netpol-extra')).toHaveLength(2);
  });

  for (const [engine, cni] of Object.entries(CLUSTERS)) {
    describe(engine, () => {
      for (const c of ALL) {
        for (const probe of c.probes) {
          const title = `${c.set}/${c.dir} ${probe.protocol}/${probe.port}`;
          const protocol = probe.protocol;
          it(title, () => {
            const r = loadScenario(scenario(c, cni));
            expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
            const m = computeReachability(r.model!, {
              port: probe.port,
              protocol,
              namespaces: ['x', 'y', 'z'],
              dns: false,
            });
            if (!m.ok) throw new Error(m.error);
            expect(mismatches(c.expected, renderReachMatrix(m.matrix).trim().split('\n'))).toEqual(
              [],
            );
          });
        }
      }
    });
  }
});
