// CLI views of the non-iptables kube-proxy modes (DESIGN §5), called in-process.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, show } from './commands';

const IPVS = join(__dirname, '..', '..', 'fixtures', 'scenarios', 'service-test-ipvs.yaml');
const USERSPACE = join(__dirname, '..', '..', 'fixtures', 'scenarios', 'service-test-userspace.yaml');

describe('hopscope show … ipvsadm (IPVS mode)', () => {
  it('prints ipvsadm -Ln: header, the Service VIP with its two Masq real servers, fixed-width lines', () => {
    const out = show({ positionals: [IPVS, 'ipvsadm'], values: { node: 'node-1' } });
    expect(out.code).toBe(0);
    expect(out.stdout.startsWith('IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n')).toBe(true);
    expect(out.stdout).toMatch(/^TCP {2}10\.3\.\d+\.\d+:80 rr\n {2}-> 10\.0\.\d+\.\d+:8080 {15,17}Masq {4}1 {6}0 {10}0 {9}\n {2}-> 10\.0\.\d+\.\d+:8080 {15,17}Masq {4}1 {6}0 {10}0 {9}\n/m);
    expect(out.stdout).toContain('TCP  10.3.240.1:443 rr\n');
  });

  it('ip-addr shows kube-ipvs0 down with the VIPs; iptables-save has the ipset rules, no KUBE-SVC chains', () => {
    const addr = show({ positionals: [IPVS, 'ip-addr'], values: { node: 'node-2' } }).stdout;
    expect(addr).toMatch(/kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN/);
    expect(addr).toContain('inet 10.3.240.1/32 scope global kube-ipvs0');
    const ipt = show({ positionals: [IPVS, 'iptables-save'], values: { node: 'node-2' } }).stdout;
    expect(ipt).toContain('--match-set KUBE-CLUSTER-IP dst,dst');
    expect(ipt).not.toContain('KUBE-SVC-');
  });

  it('hopscope run: rr splits the 200 requests exactly 100/100', () => {
    const out = run({ positionals: [IPVS], values: { json: true } });
    const j = JSON.parse(out.stdout) as { requests: { byEndpoint: Record<string, number> }[] };
    expect(Object.values(j.requests[0]!.byEndpoint)).toEqual([100, 100]);
  });
});

describe('userspace mode', () => {
  it('iptables-save shows the portal chains; run counts the backends the proxy connected to, 100/100', () => {
    const ipt = show({ positionals: [USERSPACE, 'iptables-save'], values: { node: 'node-1' } }).stdout;
    expect(ipt).toMatch(/^-A KUBE-PORTALS-CONTAINER -d 10\.3\.\d+\.\d+\/32 -p tcp -m comment --comment "default\/service-test:http" -m tcp --dport 80 -j REDIRECT --to-ports \d+$/m);
    expect(ipt).toMatch(/^-A KUBE-PORTALS-HOST -d 10\.3\.\d+\.\d+\/32 -p tcp -m comment --comment "default\/service-test:http" -m tcp --dport 80 -j DNAT --to-destination 192\.168\.0\.11:\d+$/m);
    const j = JSON.parse(run({ positionals: [USERSPACE], values: { json: true } }).stdout) as { requests: { byEndpoint: Record<string, number> }[] };
    expect(Object.values(j.requests[0]!.byEndpoint)).toEqual([100, 100]);
  });
});

describe('nftables mode', () => {
  const file = join(__dirname, '..', '..', 'fixtures', 'scenarios', 'service-test.yaml');
  const text = readFileSync(file, 'utf8').replace('cni: {plugin: kubenet}', 'cni: {plugin: kubenet}\n  kubeProxy: {mode: nftables}');
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-nft-'));
  writeFileSync(join(dir, 's.yaml'), text);
  const nftFile = join(dir, 's.yaml');

  it('show … iptables-save has only the CNI plugin\'s rules (kube-proxy writes none in this mode)', () => {
    const out = show({ positionals: [nftFile, 'iptables-save'], values: { node: 'node-1' } });
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('KUBE-');
    expect(out.stdout).toContain('kubenet: SNAT for outbound traffic from cluster');
  });

  it('hopscope run: the nftables datapath splits the 200 requests over both pods', () => {
    const j = JSON.parse(run({ positionals: [nftFile], values: { json: true } }).stdout) as { requests: { delivered: number; byEndpoint: Record<string, number> }[] };
    expect(j.requests[0]!.delivered).toBe(200);
    for (const n of Object.values(j.requests[0]!.byEndpoint)) expect(n).toBeGreaterThanOrEqual(70);
  });

  it('show … nft prints nft list table ip kube-proxy', () => {
    const out = show({ positionals: [nftFile, 'nft'], values: { node: 'node-1' } }).stdout;
    expect(out.startsWith('table ip kube-proxy {\n\tcomment "rules for kube-proxy"\n\tset cluster-ips {\n')).toBe(true);
    expect(out).toMatch(/\tchain service-[A-Z2-7]{8}-default\/service-test\/tcp\/http \{\n\t\tip daddr 10\.3\.\d+\.\d+ ip saddr != 10\.0\.0\.0\/16 jump mark-for-masquerade\n\t\tnumgen random mod 2 vmap \{ 0 : goto endpoint-/);
  });
});
