import { describe, expect, it } from 'vitest';
import type { KubeletDns } from './resolv-conf';
import { podResolvConf, renderResolvConf, resolverSettings } from './resolv-conf';

const kubelet: KubeletDns = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', host: { nameservers: ['203.0.113.53'], searches: ['lab.example'], options: ['edns0'] } };
const file = (p: Parameters<typeof podResolvConf>[0], k = kubelet) => renderResolvConf(podResolvConf(p, k).conf);

describe('podResolvConf (kubelet GetPodDNS)', () => {
  it('ClusterFirst: clusterDNS, the three cluster search domains then the node’s, ndots:5 only', () => {
    expect(file({ namespace: 'shop', hostNetwork: false })).toBe('search shop.svc.cluster.local svc.cluster.local cluster.local lab.example\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('Default and hostNetwork ClusterFirst copy the node’s file; ClusterFirstWithHostNet does not', () => {
    const node = 'search lab.example\nnameserver 203.0.113.53\noptions edns0\n';
    expect(file({ namespace: 'a', hostNetwork: false, dnsPolicy: 'Default' })).toBe(node);
    expect(file({ namespace: 'a', hostNetwork: true })).toBe(node);
    expect(file({ namespace: 'a', hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' })).toContain('nameserver 10.96.0.10\n');
  });

  it('None uses dnsConfig alone; dnsConfig merges into other policies without duplicates', () => {
    expect(file({ namespace: 'a', hostNetwork: false, dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['ns1.svc.cluster.local', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } })).toBe(
      'search ns1.svc.cluster.local my.dns.search.suffix\nnameserver 1.2.3.4\noptions ndots:2 edns0\n',
    );
    expect(file({ namespace: 'a', hostNetwork: false, dnsConfig: { nameservers: ['10.96.0.10', '8.8.8.8'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '1' }] } })).toBe(
      'search a.svc.cluster.local svc.cluster.local cluster.local lab.example\nnameserver 10.96.0.10\nnameserver 8.8.8.8\noptions ndots:1\n',
    );
  });

  it('without cluster DNS, ClusterFirst falls back to Default and says so', () => {
    const r = podResolvConf({ namespace: 'a', hostNetwork: false }, { ...kubelet, clusterDNS: [] });
    expect(r.base).toBe('host');
    expect(r.notes[0]).toContain('Falling back to "Default" policy');
  });

  it('applies the nameserver and search limits', () => {
    const r = podResolvConf({ namespace: 'a', hostNetwork: false, dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'], searches: Array.from({ length: 40 }, (_, i) => `d${i}.example`) } }, kubelet);
    expect(r.conf.nameservers).toHaveLength(3);
    expect(r.conf.searches).toHaveLength(32);
    expect(r.notes).toHaveLength(2);
  });

  it('reads ndots with glibc defaults and caps', () => {
    expect(resolverSettings({ nameservers: [], searches: [], options: [] }).ndots).toBe(1);
    expect(resolverSettings({ nameservers: [], searches: [], options: ['ndots:5', 'ndots:20'] }).ndots).toBe(15);
  });
});
