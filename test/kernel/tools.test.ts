/**
 * `bridge fdb show`, `ss -tuanl`, `ip route show table all` and `ip neigh`: the kernel's text against what Hopscope's terminal prints,
 * in every node and pod namespace of a scenario built with `exportNetnsScript` (its listeners
 * running with the simulated programs' listen() backlogs). Normalised only where the kernel
 * decides by chance or by build option, never the values:
 *   - ss rows are compared as a set: the kernel lists sockets in the order of its hash tables,
 *     which mix in a random per-namespace secret (net_hash_mix);
 *   - so are `ip neigh` lines: neigh_dump_table walks the ARP hash table, whose hash multiplies by
 *     a random number drawn when the table is made (neigh_hash_alloc);
 *   - a kernel built without CONFIG_BRIDGE_VLAN_FILTERING has no `vlan 1` local entries, which
 *     distribution kernels (and Hopscope) show; they are dropped from Hopscope's side only then.
 * Everything else byte for byte, the space iproute2 leaves at the end of every route and neighbour
 * line included. Nothing is sent first, so no entry is learned and no connection exists.
 *
 * Matched on iproute2 6.1.0 and Linux 6.18; the suite skips elsewhere.
 *
 * Safety: namespaces are named `hktl-<pid>-s<n>-…`, removed in a `finally` and once more after
 * all (and a killed run's leftovers at the next start).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterModel } from '../../src/core/model/types';
import { loadScenario } from '../../src/core/compile/load';
import { exportNetnsScript, netnsNameFor } from '../../src/core/export/index';
import { createShell } from '../../src/core/shell/index';
import { namespacesWithPrefix, outputsSkipReason, removeNamespaces, removeStaleTagged, runScript } from './host';

const RUN_PREFIX = `hktl-${process.pid.toString(36)}-`;

const skip = outputsSkipReason('outputs');

/** Whether this kernel has bridge VLAN filtering (and so the `vlan 1` local entries). */
function kernelHasVlanFiltering(): boolean {
  const probe = `${RUN_PREFIX}probe`;
  spawnSync('ip', ['netns', 'add', probe], { timeout: 5000 });
  try {
    return spawnSync('ip', ['-n', probe, 'link', 'add', 'br0', 'type', 'bridge', 'vlan_filtering', '1'], { timeout: 5000 }).status === 0;
  } finally {
    spawnSync('ip', ['netns', 'del', probe], { timeout: 5000 });
  }
}

const SCENARIOS: { name: string; cni: string }[] = [
  { name: 'flannel vxlan', cni: '{plugin: flannel, backend: vxlan}' },
  { name: 'calico vxlan', cni: '{plugin: calico, backend: vxlan}' },
  { name: 'bridge', cni: '{plugin: bridge}' },
];

function yaml(cni: string): string {
  return `apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: d}\nspec:\n  nodes: 3\n  cni: ${cni}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  nodeName: node-1\n  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n`;
}

const sortedRows = (text: string) => {
  const [head, ...rows] = text.split(/(?<=\n)/);
  return [head, ...rows.sort()].join('');
};

function compare(model: ClusterModel, prefix: string, vlan1: boolean): { checked: number; diffs: string[] } {
  const diffs: string[] = [];
  let checked = 0;
  for (const ns of model.netns.values()) {
    if (ns.kind !== 'node' && ns.kind !== 'pod') continue;
    const real = netnsNameFor(ns, prefix);
    const where = ns.kind === 'node' ? { kind: 'node' as const, name: ns.node } : { kind: 'pod' as const, namespace: ns.pod!.split('/')[0]!, name: ns.pod!.split('/')[1]! };
    const sh = createShell(model, where);
    const cases: { cmd: string[]; norm: (t: string) => string; simOnly?: (t: string) => string }[] = [
      { cmd: ['bridge', 'fdb', 'show'], norm: (t) => t, simOnly: (t) => (vlan1 ? t : t.replace(/^.* vlan 1 .*\n/gm, '')) },
      { cmd: ['ss', '-tuanl'], norm: sortedRows },
      { cmd: ['ip', 'route', 'show', 'table', 'all'], norm: (t) => t },
      { cmd: ['ip', 'neigh'], norm: (t) => t.split(/(?<=\n)/).sort().join('') },
    ];
    for (const c of cases) {
      const want = c.norm(execFileSync('ip', ['netns', 'exec', real, ...c.cmd], { encoding: 'utf8', timeout: 5000 }));
      const r = sh.run(c.cmd.join(' '));
      const got = c.norm((c.simOnly ?? ((t: string) => t))(r.stdout));
      checked++;
      if (r.exitCode !== 0 || got !== want) diffs.push(`${ns.name} (${c.cmd.join(' ')}):\n  kernel:   ${JSON.stringify(want)}\n  hopscope: ${JSON.stringify(got)}${r.stderr ? ` stderr ${r.stderr}` : ''}`);
    }
  }
  return { checked, diffs };
}

afterAll(() => {
  if (!skip) removeNamespaces(RUN_PREFIX);
});

describe.skipIf(skip !== undefined)(`bridge fdb show, ss -tuanl, ip route show table all and ip neigh against the kernel${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let vlan1: boolean | undefined;
  SCENARIOS.forEach((sc, i) => {
    it(
      sc.name,
      () => {
        if (i === 0) removeStaleTagged('hktl');
        vlan1 ??= kernelHasVlanFiltering();
        const prefix = `${RUN_PREFIX}s${i}-`;
        const loaded = loadScenario(yaml(sc.cni));
        if (!loaded.model) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
        const build = exportNetnsScript(loaded.model, { prefix });
        if (!build.ok) throw new Error(build.error);
        const dir = mkdtempSync(join(tmpdir(), 'hopscope-tools-'));
        try {
          runScript(build.script, { HOPSCOPE_RUN: join(dir, 'run'), HOPSCOPE_NODE: process.execPath });
          const { checked, diffs } = compare(loaded.model, prefix, vlan1);
          expect(checked).toBeGreaterThan(10);
          expect(diffs.join('\n')).toBe('');
        } finally {
          removeNamespaces(prefix);
          rmSync(dir, { recursive: true, force: true });
        }
        expect(namespacesWithPrefix(prefix)).toEqual([]);
      },
      120_000,
    );
  });
});
