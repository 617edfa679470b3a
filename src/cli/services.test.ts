// CLI contracts for issue 3 (DESIGN §5): `hopscope run [--json]`, `kubectl get svc|endpointslices`,
// `kubectl describe service`, called in-process through the command functions.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectl, run } from './commands';

const FILE = join(__dirname, '..', '..', 'fixtures', 'scenarios', 'service-test.yaml');

describe('hopscope run', () => {
  it('--json prints { requests: [{ from, to, count, delivered, dropped, byEndpoint }] }', () => {
    const out = run({ positionals: [FILE], values: { json: true } });
    expect(out.code).toBe(0);
    const j = JSON.parse(out.stdout) as { requests: Record<string, unknown>[] };
    expect(Object.keys(j.requests[0]!)).toEqual(['from', 'to', 'count', 'delivered', 'dropped', 'byEndpoint']);
    expect(j.requests[0]).toMatchObject({ from: 'pod/service-test-client2', count: 200, delivered: 200, dropped: 0 });
  });

  it('prints a per-endpoint table without --json, the same for the same seed', () => {
    const a = run({ positionals: [FILE], values: { seed: '5' } });
    expect(a.stdout).toMatch(/^pod\/service-test-client2 → http:\/\/service-test:80: 200 sent, 200 delivered, 0 dropped\nENDPOINT\s+COUNT\s+SHARE\n/);
    expect(a.stdout).toBe(run({ positionals: [FILE], values: { seed: '5' } }).stdout);
  });
});

describe('hopscope kubectl (services)', () => {
  it('get svc -o wide lists kubernetes and service-test with the selector', () => {
    const out = kubectl({ positionals: [FILE, 'get', 'svc'], values: { output: 'wide' } });
    expect(out.stdout).toMatch(/^kubernetes\s+ClusterIP\s+10\.3\.240\.1\s+<none>\s+443\/TCP/m);
    expect(out.stdout).toMatch(/^service-test\s+ClusterIP\s+10\.3\.\d+\.\d+\s+<none>\s+80\/TCP\s+<unknown>\s+app=service_test_pod$/m);
  });

  it('get endpointslices and describe service show the two endpoints on 8080', () => {
    expect(kubectl({ positionals: [FILE, 'get', 'endpointslices'], values: {} }).stdout).toMatch(/^service-test-\w{5}\s+IPv4\s+8080\s+10\.0\.\d\.\d,10\.0\.\d\.\d\s+<unknown>$/m);
    const d = kubectl({ positionals: [FILE, 'describe', 'service', 'service-test'], values: {} });
    expect(d.stdout).toMatch(/^Endpoints:\s+10\.0\.\d\.\d:8080,10\.0\.\d\.\d:8080$/m);
    expect(d.stdout).toContain('Port:                     http  80/TCP\nTargetPort:               http/TCP\n');
  });

  it('get endpoints (ep) lists the v1 Endpoints, with kubectl 1.33\'s deprecation warning on stderr', () => {
    const out = kubectl({ positionals: [FILE, 'get', 'ep'], values: {} });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^NAME\s+ENDPOINTS\s+AGE\n/);
    expect(out.stdout).toMatch(/^service-test\s+10\.0\.\d\.\d:8080,10\.0\.\d\.\d:8080\s+<unknown>$/m);
    expect(out.stderr).toBe('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
  });

  it('describe of a missing Service fails like kubectl', () => {
    const out = kubectl({ positionals: [FILE, 'describe', 'svc', 'nope'], values: {} });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('services "nope" not found');
  });
});
