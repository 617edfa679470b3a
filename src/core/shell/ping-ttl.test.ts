// `ping -t TTL` sets the echo requests' IP TTL, so a router that would forward a TTL of 1 drops
// the packet and answers "Time to live exceeded" (iputils 20221126 on Linux, checked in scratch
// netns: client → router → server with -t 1 printed `From <router> icmp_seq=N Time to live
// exceeded`, then `N packets transmitted, 0 received, +N errors, 100% packet loss` and no
// `pipe` line, as the error returns before the next echo leaves). A same-node pod is reached
// over the bridge without routing, so even TTL 1 arrives.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel } from '../model/types';
import { createShell } from './index';

function cluster(): ClusterModel {
  const pod = (name: string, node: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec: {nodeName: ${node}, containers: [{name: c, image: nginx}]}
`;
  const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {nodes: 2, dns: false, cni: {plugin: flannel, backend: vxlan}}
${pod('a', 'node-1')}${pod('b', 'node-2')}${pod('c', 'node-1')}`);
  return r.model!;
}

const ip = (m: ClusterModel, name: string) => m.pods.find((p) => p.name === name)!.ip;
const sh = (m: ClusterModel) => createShell(m, { kind: 'pod', namespace: 'default', name: 'a' });
/** The first address of a node's podCIDR: cni0's .1 and flannel.1's .0. */
const podNet = (m: ClusterModel, node: string, last: number) => m.nodes.find((n) => n.name === node)!.podCIDR!.replace(/\.0\/\d+$/, `.${last}`);

describe('ping -t', () => {
  it('TTL 1 to a pod on another node: node-1 (the gateway, cni0) answers Time to live exceeded, no pipe line', () => {
    const m = cluster();
    const b = ip(m, 'b');
    const r = sh(m).run(`ping -c 2 -t 1 ${b}`);
    expect(r.stdout).toBe(
      `PING ${b} (${b}) 56(84) bytes of data.\n` +
        `From ${podNet(m, 'node-1', 1)} icmp_seq=1 Time to live exceeded\n` +
        `From ${podNet(m, 'node-1', 1)} icmp_seq=2 Time to live exceeded\n` +
        `\n--- ${b} ping statistics ---\n2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1001ms\n`,
    );
    expect(r.exitCode).toBe(1);
    expect((r.flows ?? []).map((f) => f.reason)).toEqual(['ttl-exceeded', 'ttl-exceeded']);
    expect(r.flows?.[0]?.hops[0]?.packet.headers[0]).toMatchObject({ kind: 'ipv4', ttl: 1 });
  });

  it('TTL 2 expires at node-2 after the VXLAN tunnel (the outer header has its own TTL): flannel.1’s address answers', () => {
    const m = cluster();
    const r = sh(m).run(`ping -c 1 -t 2 ${ip(m, 'b')}`);
    expect(r.stdout.split('\n')[1]).toBe(`From ${podNet(m, 'node-2', 0)} icmp_seq=1 Time to live exceeded`);
    // TTL 3 gets there: two routers took one each.
    expect(sh(m).run(`ping -c 1 -t 3 ${ip(m, 'b')}`).stdout.split('\n')[1]).toMatch(new RegExp(`^64 bytes from ${ip(m, 'b')}: icmp_seq=1 ttl=62 time=`));
  });

  it('TTL 1 to a pod on the same node arrives: the bridge switches it, nothing routes it', () => {
    const m = cluster();
    const r = sh(m).run(`ping -c 1 -t 1 ${ip(m, 'c')}`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[1]).toMatch(new RegExp(`^64 bytes from ${ip(m, 'c')}: icmp_seq=1 ttl=64 time=`));
  });

  it('refuses what iputils refuses, with its words and exit codes', () => {
    const m = cluster();
    expect(sh(m).run('ping -c 1 -t 0 10.0.0.1')).toMatchObject({ stdout: '', stderr: 'ping: cannot set unicast time-to-live: Invalid argument\n', exitCode: 2 });
    expect(sh(m).run('ping -c 1 -t 256 10.0.0.1')).toMatchObject({ stdout: '', stderr: "ping: invalid argument: '256': out of range: 0 <= value <= 255\n", exitCode: 1 });
    expect(sh(m).run('ping -c 1 -t x 10.0.0.1')).toMatchObject({ stdout: '', stderr: "ping: invalid argument: 'x'\n", exitCode: 1 });
    expect(sh(m).run(`ping -c 1 -t64 ${ip(m, 'b')}`).exitCode).toBe(0);
  });

  it('-s other than the default 56 is refused, not silently ignored (sizes and MTU are not modelled)', () => {
    const m = cluster();
    const r = sh(m).run(`ping -c 1 -s 1472 ${ip(m, 'b')}`);
    expect(r).toMatchObject({ stdout: '', exitCode: 2 });
    expect(r.stderr).toMatch(/^hopscope: ping -s 1472 is not simulated: .*path MTU are not modelled\n$/);
    expect(sh(m).run(`ping -c 1 -s 56 ${ip(m, 'b')}`).exitCode).toBe(0);
  });
});
