// `ip -4 addr` as iproute2 6.1 prints it (checked on Linux 6.18 in the exported flannel node):
// only the devices with an IPv4 address, without their link/ line unless -d is given.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { createShell } from './index';

function node() {
  const r = loadScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec:\n  nodes: 2\n  cni: {plugin: flannel, backend: vxlan}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {nodeName: node-1, containers: [{name: web, image: nginx}]}\n');
  return createShell(r.model!, { kind: 'node', name: 'node-1' });
}

describe('ip -4 addr', () => {
  it('keeps the devices with an IPv4 address and drops their link/ line', () => {
    const sh = node();
    const all = sh.run('ip addr').stdout;
    const v4 = sh.run('ip -4 addr').stdout;
    expect(v4).not.toMatch(/^ {4}link\//m);
    expect(v4).not.toMatch(/veth/);
    expect(v4.match(/^\d+: [^:]+/gm)).toEqual(['1: lo', '2: eth0', '3: flannel.1', '4: cni0']);
    // The same address lines as without -4.
    expect(v4.split('\n').filter((l) => l.startsWith('    inet') || l.startsWith('       valid'))).toEqual(all.split('\n').filter((l) => l.startsWith('    inet') || l.startsWith('       valid')));
    expect(sh.run('ip -4 addr show dev cni0').stdout).toMatch(/^4: cni0: .*\n {4}inet 10\.244\.0\.1\/24 brd 10\.244\.0\.255 scope global cni0\n {7}valid_lft forever preferred_lft forever\n$/);
  });

  it('a port without an address prints nothing; -br keeps the addressed lines; -d keeps the link line', () => {
    const sh = node();
    const port = sh.run('ip -br link').stdout.match(/^(veth\w+)/m)![1]!;
    expect(sh.run(`ip -4 addr show dev ${port}`)).toMatchObject({ stdout: '', exitCode: 0 });
    expect(sh.run('ip -4 -br addr').stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['lo', 'eth0', 'flannel.1', 'cni0']);
    expect(sh.run('ip -4 -d addr show dev cni0').stdout).toMatch(/^ {4}link\/ether /m);
  });
});
