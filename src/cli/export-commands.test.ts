/** `hopscope export netns` and `hopscope pcap`, called as functions on a written scenario. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { exportCommand, pcapCommand } from './export-commands';
import { UsageError } from './io';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-export-'));
function scenario(name: string, cni: string, extra = ''): string {
  const f = join(dir, name);
  writeFileSync(
    f,
    `apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: 2, cni: ${cni}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {nodeName: node-1, containers: [{name: c, image: x}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {nodeName: node-2, containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}\n${extra}`,
  );
  return f;
}

describe('hopscope export netns', () => {
  it('prints the build script, with --prefix and --teardown', () => {
    const f = scenario('flannel.yaml', '{plugin: flannel, backend: vxlan}');
    const build = exportCommand({ positionals: ['netns', f], values: { prefix: 'p1-' } });
    expect(build.code).toBe(0);
    expect(String(build.stdout)).toContain('ip netns add p1-default.b');
    const down = exportCommand({ positionals: ['netns', f], values: { prefix: 'p1-', teardown: true } });
    expect(String(down.stdout)).toContain('ip netns del "$ns"');
  });

  it('refuses IPIP with a message and exit 1', () => {
    const r = exportCommand({ positionals: ['netns', scenario('ipip.yaml', '{plugin: calico, backend: ipip}')], values: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hopscope export: IPIP/);
  });

  it('needs the target name first', () => {
    expect(() => exportCommand({ positionals: ['x.yaml'], values: {} })).toThrow(UsageError);
  });
});

describe('hopscope pcap', () => {
  it('writes pcapng bytes for --from/--to and for the Traffic', () => {
    const f = scenario('t.yaml', '{plugin: bridge}', '---\napiVersion: hopscope/v1alpha1\nkind: Traffic\nspec: {requests: [{from: pod/a, to: "pod/default/b:80", count: 2}]}\n');
    const one = pcapCommand({ positionals: [f], values: { from: 'pod/a', to: 'pod/default/b:80' } });
    expect(one.code).toBe(0);
    expect((one.stdout as Uint8Array).subarray(0, 4)).toEqual(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a));
    const all = pcapCommand({ positionals: [f], values: {} });
    const second = pcapCommand({ positionals: [f], values: { flow: '1' } });
    expect((all.stdout as Uint8Array).length).toBeGreaterThan((second.stdout as Uint8Array).length);
    expect(() => pcapCommand({ positionals: [f], values: { flow: '7' } })).toThrow(UsageError);
  });
});
