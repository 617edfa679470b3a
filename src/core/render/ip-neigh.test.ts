// `ip neigh` and `ip route` lines as iproute2 6.1 prints them, trailing space included
// (ipneigh.c print_neigh, iproute.c print_route: every field is "%s "); checked against the
// kernel in test/kernel/tools.test.ts.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { createShell } from '../shell/index';

function flannel() {
  const r = loadScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: d}\nspec:\n  nodes: 2\n  cni: {plugin: flannel, backend: vxlan}\n');
  if (!r.model) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.model;
}

describe('ip neigh', () => {
  it('ends every line with the space print_neigh leaves after the state', () => {
    const model = flannel();
    const vtep = [...model.netns.values()].find((n) => n.kind === 'node' && n.node === 'node-2')!.devices.find((d) => d.name === 'flannel.1')!;
    const sh = createShell(model, { kind: 'node', name: 'node-1' });
    expect(sh.run('ip neigh').stdout).toBe(`10.244.1.0 dev flannel.1 lladdr ${vtep.mac} PERMANENT \n`);
  });

  it('show dev DEV keeps that device’s entries and drops the `dev DEV` it filtered on', () => {
    const sh = createShell(flannel(), { kind: 'node', name: 'node-1' });
    expect(sh.run('ip neigh show dev flannel.1').stdout).toMatch(/^10\.244\.1\.0 lladdr \S+ PERMANENT \n$/);
    expect(sh.run('ip neigh show dev cni0').stdout).toBe('');
    expect(sh.run('ip neigh show dev nosuch')).toMatchObject({ stdout: '', stderr: 'Cannot find device "nosuch"\n', exitCode: 1 });
  });
});

describe('ip route', () => {
  it('ends every line with a space, also when filtered by device', () => {
    const sh = createShell(flannel(), { kind: 'node', name: 'node-1' });
    const lines = sh.run('ip route').stdout.split(/(?<=\n)/);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l).toMatch(/\S \n$/);
    expect(sh.run('ip route show dev cni0').stdout).toBe('10.244.0.0/24 proto kernel scope link src 10.244.0.1 \n');
  });
});
