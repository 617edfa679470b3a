// containerd's built-in loopback network (go-cni opts.go WithLoNetwork) is declared at
// cniVersion 0.3.1, so libcni hands the plugin {"cniVersion":"0.3.1","name":"cni-loopback",
// "type":"loopback"} (InjectConf re-encodes a Go map: sorted keys) and the plugin prints its
// result converted to 0.3.1: `ips[].version` "4", as every 0.3.x result carries.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';

describe('CNI ADD lo', () => {
  it('is the 0.3.1 call containerd makes, with a 0.3.1 result', () => {
    const m = loadScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: 1, dns: false}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: busybox}]}\n').model!;
    const lo = m.cniLog.find((c) => c.pod === 'default/a' && c.command === 'ADD' && c.ifname === 'lo')!;
    expect(JSON.stringify(lo.config)).toBe('{"cniVersion":"0.3.1","name":"cni-loopback","type":"loopback"}');
    expect(lo.result).toEqual({ cniVersion: '0.3.1', interfaces: [{ name: 'lo', mac: '00:00:00:00:00:00', sandbox: lo.netnsPath }], ips: [{ version: '4', interface: 0, address: '127.0.0.1/8' }], dns: {} });
    expect(JSON.stringify((lo.result as { ips: unknown[] }).ips[0])).toBe('{"version":"4","interface":0,"address":"127.0.0.1/8"}');
  });
});
