/**
 * The CLI contracts of DESIGN §5, run as a user runs them: the built `bin/hopscope.mjs` in a
 * child process, on the contract scenarios in fixtures/scenarios.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = join(__dirname, '..', '..');
const fx = (name: string) => join(root, 'fixtures', 'scenarios', name);

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'hopscope.mjs'), ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist-cli', 'hopscope.mjs'))) spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root });
});

describe('hopscope check', () => {
  it('prints FILE:LINE:COL: error: … and exits 1 on a broken scenario', () => {
    const r = run('check', fx('broken.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:5:10: error: spec\.nodes/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('exits 0 on a clean scenario', () => {
    const r = run('check', fx('two-node.yaml'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 errors/);
  });
});

describe('a pod range too small for the pods (the issue’s scenario)', () => {
  const scenario = [
    'apiVersion: hopscope/v1alpha1',
    'kind: Cluster',
    'metadata: {name: small}',
    'spec:',
    '  nodes: 1',
    '  podCIDR: 10.244.0.0/16',
    '  nodeCIDRMaskSize: 29',
    '  cni: {plugin: bridge}',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  replicas: 8',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec: {containers: [{name: c, image: nginx}]}',
    '',
  ].join('\n');
  const file = () => {
    const f = join(mkdtempSync(join(tmpdir(), 'hs-')), 'exhausted.yaml');
    writeFileSync(f, scenario);
    return f;
  };

  it('check: one warning per pod without a sandbox, at the Deployment, and exit 0 (warnings do not fail)', () => {
    const f = file();
    const r = run('check', f);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.pop()).toBe('0 errors, 5 warnings');
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toMatch(/exhausted\.yaml:10:1: warning: pod default\/web-\S+ on node-1: Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="bridge" failed \(add\): failed to allocate for range 0: no IP addresses available in range set: 10\.244\.0\.1-10\.244\.0\.6$/);
  });

  it('kubectl: CoreDNS runs on the first addresses, the pods past the range are 0/1 ContainerCreating with no IP', () => {
    const r = run('kubectl', file(), 'get', 'pods', '-A', '-o', 'wide');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(1);
    expect(rows.filter((l) => /^kube-system +coredns-\S+ +1\/1 +Running +0 +<unknown> +10\.244\.0\.[23] +node-1 /.test(l))).toHaveLength(2);
    expect(rows.filter((l) => /^default +web-\S+ +1\/1 +Running +0 +<unknown> +10\.244\.0\.[456] +node-1 /.test(l))).toHaveLength(3);
    expect(rows.filter((l) => /^default +web-\S+ +0\/1 +ContainerCreating +0 +<unknown> +<none> +node-1 +<none> +<none>$/.test(l))).toHaveLength(5);
  });

  it('trace from a pod without a sandbox: a clear error, exit 1, no stack', () => {
    const f = file();
    const pods = run('kubectl', f, 'get', 'pods').stdout;
    const waiting = /^(web-\S+) +0\/1 +ContainerCreating/m.exec(pods)![1]!;
    const running = /^(web-\S+) +1\/1 +Running/m.exec(pods)![1]!;
    const r = run('trace', f, '--from', `pod/${waiting}`, '--to', `pod/default/${running}:80`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`pod default/${waiting} has no IP: its sandbox was not created \\(Failed to create pod sandbox: `));
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('hopscope trace', () => {
  it('--json prints the flow contract: verdict, hops with the DESIGN fields, reply.hops', () => {
    const r = run('trace', fx('two-node.yaml'), '--from', 'pod/a', '--to', 'pod/default/b:80', '--json');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.verdict).toBe('delivered');
    for (const h of t.hops) for (const k of ['seq', 'node', 'netns', 'stage', 'packet', 'explain']) expect(h).toHaveProperty(k);
    expect(t.reply.hops.length).toBeGreaterThan(0);
  });

  it('is byte-identical across runs with the same seed', () => {
    const a = run('trace', fx('two-node.yaml'), '--from', 'pod/a', '--to', 'pod/default/b:80', '--json', '--seed', '42');
    const b = run('trace', fx('two-node.yaml'), '--from', 'pod/a', '--to', 'pod/default/b:80', '--json', '--seed', '42');
    expect(a.stdout).toBe(b.stdout);
  });

  it('explains an unknown pod on stderr with a non-zero exit', () => {
    const r = run('trace', fx('two-node.yaml'), '--from', 'pod/nope', '--to', '10.0.0.1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no pod default\/nope/);
  });

  it('refuses a missing file and unknown options without a stack trace', () => {
    expect(run('trace', '/nonexistent.yaml', '--from', 'pod/a', '--to', '1.2.3.4').stderr).toMatch(/no such file/);
    const r = run('trace', fx('two-node.yaml'), '--bogus');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage/);
  });
});

describe('hopscope show and kubectl', () => {
  it('show ip-route prints the node table in iproute2 format', () => {
    const r = run('show', fx('two-node.yaml'), '--node', 'node-1', 'ip-route');
    expect(r.stdout.split('\n')[0]).toBe('default via 192.168.0.1 dev eth0 proto static ');
    expect(r.stdout).toContain('10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1');
    expect(r.stdout).toContain('10.244.1.0/24 via 192.168.0.12 dev eth0');
  });

  it('show ip-addr inside a pod shows lo and eth0@ifN', () => {
    const r = run('show', fx('two-node.yaml'), '--pod', 'default/a', 'ip-addr');
    expect(r.stdout).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536/);
    // node-1's first pod address (.2) is CoreDNS's, given at bootstrap: a has the next one.
    expect(r.stdout).toMatch(/\n2: eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000\n {4}link\/ether [0-9a-f:]{17} brd ff:ff:ff:ff:ff:ff link-netnsid 0\n {4}inet 10\.244\.0\.3\/24 brd 10\.244\.0\.255 scope global eth0\n/);
  });

  it('show cni for a hostNetwork pod says why there are no CNI calls', () => {
    // A hostNetwork pod's sandbox joins the node's namespace: the runtime calls no CNI plugin
    // (spec/cni.md §8; CRI: NamespaceMode NODE skips network setup).
    const dir = mkdtempSync(join(tmpdir(), 'hopscope-'));
    const file = join(dir, 'hn.yaml');
    writeFileSync(file, 'apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {dns: false}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: hn}\nspec: {nodeName: node-1, hostNetwork: true, containers: [{name: c, image: busybox}]}\n');
    const r = run('show', file, '--pod', 'default/hn', 'cni');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("pod default/hn has hostNetwork: true: it runs in node-1's network namespace, so the runtime creates no sandbox namespace and calls no CNI plugin\n");
  });

  it('kubectl get pods -o wide lays out the columns like kubectl', () => {
    const r = run('kubectl', fx('two-node.yaml'), 'get', 'pods', '-o', 'wide');
    const [head, a] = r.stdout.split('\n');
    expect(head).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/);
    expect(a).toMatch(/^a +1\/1 +Running +0 +<unknown> +10\.244\.0\.3 +node-1 +<none> +<none>$/);
    expect(head!.indexOf('READY')).toBe(a!.indexOf('1/1'));
  });

  it('an unknown resource is answered like kubectl', () => {
    const r = run('kubectl', fx('two-node.yaml'), 'get', 'widgets');
    expect(r.stderr).toMatch(/doesn't have a resource type "widgets"/);
  });

  it('an alias bomb is refused cleanly, fast', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-'));
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
    const f = join(dir, 'bomb.yaml');
    writeFileSync(f, lines.join('\n') + '\n');
    const r = run('check', f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bomb\.yaml:\d+:\d+: error: .*alias/i);
  });
});
