import { describe, expect, it } from 'vitest';
import { cluster } from '../testing/cluster';
import { createShell } from './index';
import type { Flow } from '../trace/types';

const service = (name: string, spec: object) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });

function shell() {
  const c = cluster()
    .dns()
    .cni('flannel', { backend: 'vxlan' })
    .pod('client', { node: 'node-1' })
    .raw(service('ext', { type: 'ExternalName', externalName: 'example.com' }))
    .build();
  return createShell(c.model, { kind: 'pod', namespace: 'default', name: 'client' });
}

/** The questions the client asked, in order ("AAAA? kubernetes.default.svc.cluster.local"). */
const questions = (flows: Flow[] | undefined) =>
  (flows ?? []).map((f) => {
    const q = f.hops[0]!.packet.payload.dns!.questions[0]!;
    return `${q.type}? ${q.name}`;
  });

describe('getent (glibc nss/getent.c, hosts: files dns)', () => {
  it('hosts NAME: gethostbyname2 AF_INET6 through the whole search list first, then AF_INET; the canonical name printed', () => {
    const r = shell().run('getent hosts kubernetes');
    expect([r.stdout, r.exitCode]).toEqual(['10.96.0.1       kubernetes.default.svc.cluster.local\n', 0]);
    const search = ['kubernetes.default.svc.cluster.local', 'kubernetes.svc.cluster.local', 'kubernetes.cluster.local', 'kubernetes'];
    expect(questions(r.flows)).toEqual([...search.map((n) => `AAAA? ${n}`), 'A? kubernetes.default.svc.cluster.local']);
  });

  it('hosts: /etc/hosts answers the pod\'s own hostname (after the AAAA round finds nothing) and localhost\'s ::1 line', () => {
    const sh = shell();
    const own = sh.run('getent hosts client');
    expect(own.stdout).toMatch(/^10\.244\.\d+\.\d+ +client\n$/);
    expect(questions(own.flows).every((q) => q.startsWith('AAAA?'))).toBe(true);
    const lo = sh.run('getent hosts localhost');
    expect([lo.stdout, lo.flows ?? []]).toEqual(['::1             localhost ip6-localhost ip6-loopback\n', []]);
  });

  it('hosts: an ExternalName prints the target as name and the Service name as alias; an address asks PTR; a missing name exits 2 silently', () => {
    const sh = shell();
    expect(sh.run('getent hosts ext').stdout).toBe('93.184.215.14   example.com ext.default.svc.cluster.local\n');
    const ptr = sh.run('getent hosts 10.96.0.10');
    expect(ptr.stdout).toBe('10.96.0.10      kube-dns.kube-system.svc.cluster.local\n');
    expect(questions(ptr.flows)).toEqual(['PTR? 10.0.96.10.in-addr.arpa']);
    expect(sh.run('getent hosts nosuch')).toMatchObject({ stdout: '', stderr: '', exitCode: 2 });
  });

  it('ahosts: getaddrinfo with AI_ADDRCONFIG asks A only in an IPv4-only pod, prints STREAM/DGRAM/RAW; --no-addrconfig asks A and AAAA', () => {
    const sh = shell();
    const r = sh.run('getent ahosts kubernetes');
    expect(r.stdout).toBe('10.96.0.1       STREAM kubernetes.default.svc.cluster.local\n10.96.0.1       DGRAM  \n10.96.0.1       RAW    \n');
    expect(questions(r.flows)).toEqual(['A? kubernetes.default.svc.cluster.local']);
    expect(questions(sh.run('getent -A ahosts kubernetes').flows)).toEqual(['A? kubernetes.default.svc.cluster.local', 'AAAA? kubernetes.default.svc.cluster.local']);
    expect(sh.run('getent ahosts localhost').stdout).toBe('127.0.0.1       STREAM localhost\n127.0.0.1       DGRAM  \n127.0.0.1       RAW    \n');
    const v6 = sh.run('getent ahostsv6 kubernetes');
    expect([v6.stdout, v6.exitCode, v6.flows ?? []]).toEqual(['', 2, []]);
  });

  it('no key lists /etc/hosts; an unknown database is exit 1 with glibc\'s words', () => {
    const sh = shell();
    expect(sh.run('getent hosts').stdout).toContain('::1             localhost ip6-localhost ip6-loopback\n');
    expect(sh.run('getent nosuchdb')).toMatchObject({ stdout: '', stderr: "Unknown database: nosuchdb\nTry `getent --help' or `getent --usage' for more information.\n", exitCode: 1 });
  });
});
