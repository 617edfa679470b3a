/**
 * The DNS and Ingress CLI contracts (DESIGN §5), in process: `dns`, `show … resolv-conf`,
 * `trace` through a name (human and --json), `kubectl get|describe ingress`.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dns, kubectl, show, trace } from './commands';

const file = join(__dirname, '..', '..', 'fixtures', 'scenarios', 'dns-ingress.yaml');
const args = (positionals: string[], values: Record<string, string | boolean> = {}) => ({ positionals, values });

describe('hopscope dns', () => {
  it('lists every query in order with its answer', () => {
    const r = dns(args([file, 'google.com'], { from: 'pod/default/client' }));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(';; pod/default/client: nameserver 10.96.0.10; search default.svc.cluster.local svc.cluster.local cluster.local; ndots:5');
    expect(lines.slice(1, 5).map((l) => l.replace(/\s+\[.*$/, ''))).toEqual([
      '  1  A? google.com.default.svc.cluster.local. → NXDOMAIN',
      '  2  A? google.com.svc.cluster.local. → NXDOMAIN',
      '  3  A? google.com.cluster.local. → NXDOMAIN',
      '  4  A? google.com. → 142.250.72.14',
    ]);
    expect(lines[1]).toMatch(/\[to 10\.96\.0\.10, answered by kube-system\/coredns-/);
    expect(lines[5]).toMatch(/^ {7}forwarded: A\? google\.com\. → 142\.250\.72\.14 {4}\[to 203\.0\.113\.53, answered by external\/upstream-dns\]$/);
    expect(lines[6]).toBe(';; google.com → 142.250.72.14 after 4 queries');
  });

  it('exits 1 on a name that does not resolve, still listing the queries', () => {
    const r = dns(args([file, 'nosuch'], { from: 'pod/default/client' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/;; nosuch: NXDOMAIN after 4 queries/);
  });
});

describe('hopscope show resolv-conf', () => {
  it('prints the file exactly', () => {
    expect(show(args([file, 'resolv-conf'], { pod: 'default/client' })).stdout).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(show(args([file, 'resolv-conf'], { pod: 'kube-system/nosuch' })).code).toBe(1);
  });
});

describe('hopscope trace through names', () => {
  it('--json keeps the DESIGN shape for the connection and adds the dns flows', () => {
    const r = trace(args([file], { from: 'pod/client', to: 'http://web-svc.default', json: true }));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('delivered');
    expect(j.hops[0]).toHaveProperty('stage');
    expect(j.reply.hops.length).toBeGreaterThan(0);
    expect(j.dns.map((d: { question: string }) => d.question.split(' → ')[0])).toEqual(['A? web-svc.default.default.svc.cluster.local.', 'A? web-svc.default.svc.cluster.local.']);
    expect(j.dns[0]).toMatchObject({ server: '10.96.0.10', verdict: 'delivered', endpoint: expect.stringMatching(/^kube-system\/coredns-/) });
  });

  it('prints the DNS flows then the connection, and both ingress legs', () => {
    const r = trace(args([file], { from: 'external/client', to: 'https://shop.example.com/api/items' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^resolving shop\.example\.com: 1 DNS flow\n\n== DNS 1: A\? shop\.example\.com\. → 192\.168\.0\.1\d\n/);
    expect(r.stdout).toMatch(/== ingress controller: HTTP 200 — TLS terminated at the controller \(Secret shop-tls\); rule shop\.example\.com \/api \(Prefix\) of default\/shop → default\/api-svc:8080/);
    const j = JSON.parse(trace(args([file], { from: 'external/client', to: 'https://shop.example.com/api/items', json: true })).stdout);
    expect(j.ingress).toMatchObject({ status: 200, backend: 'default/api-svc:8080', tls: 'shop-tls', flow: { verdict: 'delivered' } });
  });

  it('a name that does not resolve is an error with the DNS flows shown', () => {
    const r = trace(args([file], { from: 'pod/client', to: 'http://nosuch' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('hopscope: could not resolve "nosuch": Name or service not known (NXDOMAIN)\n');
    expect(r.stdout.match(/== DNS \d/g)).toHaveLength(5); // 4 questions, the last forwarded upstream
  });
});

describe('hopscope kubectl … ingress', () => {
  it('get and describe', () => {
    expect(kubectl(args([file, 'get', 'ingress'])).stdout).toMatch(/^NAME {3}CLASS {3}HOSTS {14}ADDRESS {8}PORTS {5}AGE\nshop {3}nginx {3}shop\.example\.com {3}192\.168\.0\.1\d {3}80, 443 {3}<unknown>\n$/);
    expect(kubectl(args([file, 'describe', 'ingress', 'shop'])).stdout).toMatch(/^Name: {13}shop\n/);
    expect(kubectl(args([file, 'describe', 'ingress', 'nope'])).stderr).toBe('Error from server (NotFound): ingresses.networking.k8s.io "nope" not found\n');
  });
});
