/**
 * Bridge port numbers (`port_no` in `ip -d link`) belong to a port for its life, as in
 * net/bridge/br_if.c: new_nbp takes find_portno's lowest free number (0 reserved), so when a
 * pod is deleted its number is freed, the other ports keep theirs, and the next port reuses it.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel, Device, Netns } from '../model/types';
import { attachToBridge } from '../model/devices/bridge';
import { createVethPair } from '../model/devices/veth';
import { createNetns } from '../model/netns';
import { createShell } from '../shell/index';
import { runTraffic } from '../simulate/run';

function scenario(faults: unknown[]): string {
  const pod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } });
  return [
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 't' }, spec: { nodes: 1, dns: false, cni: { plugin: 'bridge' } } }),
    pod('a'),
    pod('b'),
    pod('c'),
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Traffic', metadata: { name: 't' }, spec: { requests: [], faults } }),
  ].join('\n---\n');
}

const hostNs = (m: ClusterModel): Netns => m.netns.get(m.nodes[0]!.netns)!;
/** The host end of a pod's veth: its eth0's peer. */
function hostVeth(m: ClusterModel, pod: string): Device {
  const p = m.pods.find((x) => x.name === pod)!;
  const eth0 = m.netns.get(p.netns)!.devices.find((d) => d.name === 'eth0')!;
  if (eth0.kind !== 'veth') throw new Error('eth0 is no veth');
  return hostNs(m).devices.find((d) => d.name === eth0.peer.name)!;
}
/** `port_no 0xN` as `ip -d link show DEV` on node-1 prints it. */
function portNo(m: ClusterModel, dev: string): string | undefined {
  const out = createShell(m, { kind: 'node', name: 'node-1' }).run(`ip -d link show ${dev}`).stdout;
  return / port_no (0x[0-9a-f]+) /.exec(out)?.[1];
}

describe('bridge port numbers', () => {
  it('are 1, 2, 3 in the order the pods joined cni0', () => {
    const m = loadScenario(scenario([])).model!;
    expect(['a', 'b', 'c'].map((p) => portNo(m, hostVeth(m, p).name))).toEqual(['0x1', '0x2', '0x3']);
  });

  it('stay with their ports when a pod before them is deleted', () => {
    const r = loadScenario(scenario([{ action: 'delete', target: 'pod/a' }]));
    const m = r.model!;
    const b = hostVeth(m, 'b').name;
    const c = hostVeth(m, 'c').name;
    expect(runTraffic(m, r.scenario).errors).toEqual([]);
    expect(m.pods.map((p) => p.name)).toEqual(['b', 'c']);
    expect([portNo(m, b), portNo(m, c)]).toEqual(['0x2', '0x3']);
    // port_id carries the number too: priority 32 << 10 | port_no.
    expect(createShell(m, { kind: 'node', name: 'node-1' }).run(`ip -d link show ${c}`).stdout).toContain(' port_id 0x8003 port_no 0x3 designated_port 32771 ');
  });

  it('a freed number is the next port’s (the lowest free one), then the count goes on', () => {
    const r = loadScenario(scenario([{ action: 'delete', target: 'pod/b' }]));
    const m = r.model!;
    runTraffic(m, r.scenario);
    const host = hostNs(m);
    const br = host.devices.find((d) => d.name === 'cni0')!;
    if (br.kind !== 'bridge') throw new Error('cni0 is no bridge');
    const join = (name: string) => {
      const ns = createNetns(`test:${name}`, 'pod', 'node-1', name);
      m.netns.set(ns.id, ns);
      const [, end] = createVethPair({ ns, name: 'eth0', mac: '0a:00:00:00:00:01', mtu: 1500 }, { ns: host, name, mac: '0a:00:00:00:00:02', mtu: 1500 });
      attachToBridge(host, end, br);
      return portNo(m, name);
    };
    expect(join('vethnew1')).toBe('0x2');
    expect(join('vethnew2')).toBe('0x4');
    expect([portNo(m, hostVeth(m, 'a').name), portNo(m, hostVeth(m, 'c').name)]).toEqual(['0x1', '0x3']);
  });
});
