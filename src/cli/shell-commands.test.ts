// `hopscope exec` prints exactly what the terminal prints; `hopscope compare` prints both flows.
import { describe, expect, it } from 'vitest';
import { compareCommand, execCommand } from './shell-commands';
import { createShell } from '../core/shell/index';
import { loadScenario } from '../core/index';
import { readFileSync } from 'node:fs';

const FILE = 'fixtures/scenarios/service-test.yaml';

describe('hopscope exec', () => {
  it('prints what the shell prints, with its exit code', () => {
    const model = loadScenario(readFileSync(FILE, 'utf8')).model!;
    const client = model.pods.find((p) => p.name === 'service-test-client2')!;
    const expected = createShell(model, { kind: 'pod', namespace: 'default', name: client.name }).run('ip route');
    const r = execCommand([FILE, '--on', 'pod/default/service-test-client2', '--', 'ip', 'route']);
    expect(r).toEqual({ stdout: expected.stdout, stderr: expected.stderr, code: expected.exitCode });
    expect(r.stdout).toMatch(/^default via 10\.0\.0\.1 dev eth0/);
  });

  it('runs a one-word line as typed (pipes, lists), and answers a node typo like kubectl', () => {
    expect(execCommand([FILE, '--on', 'node/node-1', '--', 'iptables-save -t nat | grep -c KUBE-SVC']).stdout).toMatch(/^\d+\n$/);
    expect(execCommand([FILE, '--on', 'node/nod-1', '--', 'ip', 'r'])).toEqual({ stdout: '', stderr: 'Error from server (NotFound): nodes "nod-1" not found\n', code: 1 });
    expect(execCommand([FILE, '--on', 'pod/default/service-test-client2', '--', 'nosuch'])).toMatchObject({ code: 127 });
  });

  it('curl through the Service name answers from a backend pod', () => {
    const r = execCommand([FILE, '--on', 'pod/service-test-client2', '--', 'curl', '-s', 'http://service-test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Hello from service-test-\w+-\w+\n$/);
  });
});

describe('hopscope compare', () => {
  it('prints both summaries and the differences', () => {
    const r = compareCommand([FILE, '--set', 'cni.plugin=flannel', '--set', 'cni.backend=vxlan', '--from', 'pod/service-test-client2', '--to', 'http://service-test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^B = A with cni.plugin=flannel cni.backend=vxlan\n/);
    expect(r.stdout).toContain('differences (');
  });

  it('--json gives the summaries and differences as data; a bad --set is an error', () => {
    const r = compareCommand([FILE, '--set', 'kubeProxy.mode=ipvs', '--from', 'pod/service-test-client2', '--to', 'http://service-test', '--json']);
    const j = JSON.parse(r.stdout) as { a: { hops: number }; b: { hops: number }; differences: unknown[] };
    expect(j.a.hops).toBeGreaterThan(0);
    expect(Array.isArray(j.differences)).toBe(true);
    expect(compareCommand([FILE, '--set', 'oops', '--from', 'pod/service-test-client2', '--to', 'http://service-test'])).toMatchObject({ code: 1, stderr: 'hopscope: --set oops: expected PATH=VALUE, e.g. cni.plugin=calico\n' });
  });
});
