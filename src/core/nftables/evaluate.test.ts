// The nftables evaluator on hand-built tables and on kube-proxy's own: rule compilation, chain
// semantics (jump/goto/return/policy), verdict maps as one lookup, NAT through netfilter's
// conntrack, and the interleaving with iptables tables by hook priority.
import { describe, expect, it } from 'vitest';
import type { HookEnv, HookInput, HookName, NfPacket } from '../netfilter/types';
import type { NftChain, NftSet, NftTable } from './types';
import type { Service, EndpointSlice } from '../k8s/types';
import { createRng } from '../util/rng';
import { createConntrack } from '../netfilter/conntrack';
import { createNetfilter } from '../netfilter/state';
import { restore } from '../netfilter/restore';
import { runHook } from '../netfilter/evaluate';
import { kubeProxyOptionsFrom } from '../proxy/iptables/index';
import { buildKubeProxyTable } from '../proxy/nftables/table';
import { compileNftRule } from './rule';
import { nftHookChains, runNftHook } from './evaluate';

const LOCAL = new Set(['192.168.1.11', '10.244.1.1']);

function env(seed = 1, now = 1000): HookEnv {
  return { isLocal: (ip) => LOCAL.has(ip), primaryAddress: (dev) => (dev === 'eth0' ? '192.168.1.11' : dev === 'cni0' ? '10.244.1.1' : undefined), rng: createRng(seed, 'nft-test'), now };
}

function tcp(src: string, sport: number, dst: string, dport: number): NfPacket {
  return { src, dst, protocol: 'tcp', sport, dport, tcpFlags: 'S', mark: 0, length: 60 };
}

type Base = NonNullable<NftChain['base']>;

function chain(name: string, rules: string[], base?: [Base['type'], Base['hook'], number]): NftChain {
  return { name, rules: rules.map((text) => ({ text })), ...(base ? { base: { type: base[0], hook: base[1], priority: base[2], policy: 'accept' } } : {}) };
}

function table(chains: NftChain[], sets: NftSet[] = []): NftTable {
  return { family: 'ip', name: 't', sets, chains };
}

function input(hook: HookName, packet: NfPacket, io: Partial<HookInput> = {}): HookInput {
  return { hook, packet, ...io };
}

describe('compileNftRule', () => {
  it('reads every rule kube-proxy writes (upstream overall test objects) without an unknown part', () => {
    const t = kubeProxyTable(3);
    const rules = t.chains.flatMap((c) => c.rules.map((r) => r.text));
    expect(rules.length).toBeGreaterThan(20);
    for (const r of rules) expect(compileNftRule(r).stmts.filter((s) => s.kind === 'unknown'), r).toEqual([]);
  });

  it('keeps what it cannot read as an unknown statement, reported as unmodelled', () => {
    expect(compileNftRule('ip daddr 10.0.0.1 log prefix "x" accept').stmts.at(-1)).toEqual({ kind: 'unknown', text: 'log prefix "x" accept' });
    const t = table([chain('in', ['ip daddr 10.0.0.1 queue num 3', 'drop'], ['filter', 'input', 0])]);
    const r = runNftHook([t], input('INPUT', tcp('10.0.0.2', 1, '10.0.0.1', 80)), env(), createConntrack());
    expect(r.verdict).toBe('DROP');
    expect(r.unmodelled).toEqual(['nft: queue num 3']);
  });
});

describe('chain semantics', () => {
  it('jump returns to the caller, goto does not, return pops, the base chain ends in its policy', () => {
    const t = table([
      chain('in', ['jump a', 'goto b', 'drop'], ['filter', 'input', 0]),
      chain('a', ['meta mark set meta mark | 0x00000001', 'return', 'drop']),
      chain('b', ['meta mark & 0x00000001 == 0x00000000 drop', 'mark set mark or 0x2']),
    ]);
    const r = runNftHook([t], input('INPUT', tcp('10.0.0.2', 1, '10.0.0.1', 80)), env(), createConntrack());
    expect(r.verdict).toBe('ACCEPT');
    expect(r.packet.mark).toBe(3);
    expect(r.evaluated.map((e) => `${e.chain}#${e.index}${e.matched ? '*' : ''}`)).toEqual(['in#0*', 'a#0*', 'a#1*', 'in#1*', 'b#0', 'b#1*']);
  });

  it('matches CIDRs, negations, anonymous sets, interfaces with wildcards, ct state and fib type', () => {
    const t = table([
      chain('fwd', [
        'ip saddr != { 10.0.0.0/8, 192.168.0.0/16 } drop',
        'iifname "veth*" ip daddr 172.16.0.0/12 ct state new meta mark set 0x10',
        'fib daddr type local reject',
        'ct state established,related accept',
      ], ['filter', 'forward', 0]),
    ]);
    const run = (p: NfPacket, io: Partial<HookInput> = {}) => runNftHook([t], input('FORWARD', p, io), env(), createConntrack());
    expect(run(tcp('8.8.8.8', 1, '172.16.0.1', 80)).verdict).toBe('DROP');
    expect(run(tcp('10.1.1.1', 1, '172.16.0.1', 80), { inIface: 'veth12ab' }).packet.mark).toBe(0x10);
    expect(run(tcp('10.1.1.1', 1, '172.16.0.1', 80), { inIface: 'eth0' }).packet.mark).toBe(0);
    expect(run(tcp('10.1.1.1', 1, '192.168.1.11', 80))).toMatchObject({ verdict: 'REJECT', rejectWith: 'icmp-port-unreachable' });
  });
});

/** kube-proxy's table for `n` ClusterIP services with two endpoints each. */
function kubeProxyTable(n: number): NftTable {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    services.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc${i}`, namespace: 'ns' }, spec: { clusterIP: `10.96.${i >> 8}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    const endpoints = [1, 2].map((j) => ({ addresses: [`10.244.${j}.${(i % 250) + 2}`], conditions: { ready: true }, nodeName: `node-${j}` }));
    slices.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `svc${i}-x`, namespace: 'ns', labels: { 'kubernetes.io/service-name': `svc${i}` } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints });
  }
  const config = kubeProxyOptionsFrom({ kind: 'KubeProxyConfiguration', clusterCIDR: '10.244.0.0/16' });
  return buildKubeProxyTable({ nodeName: 'node-1', nodePortIPs: ['192.168.1.11'], nodeIP: '192.168.1.11', serviceCIDRs: ['10.96.0.0/12'], services, endpointSlices: slices, config });
}

describe('kube-proxy table', () => {
  it('dispatches with one verdict-map lookup: the same rules evaluated for 1 and for 1,000 Services', () => {
    const counts = [1, 1000].map((n) => {
      const last = n - 1;
      const r = runNftHook([kubeProxyTable(n)], input('PREROUTING', tcp('10.244.1.9', 40000, `10.96.${last >> 8}.${last & 255}`, 80), { inIface: 'cni0' }), env(), createConntrack());
      expect(r.nat?.kind).toBe('DNAT');
      return { rules: r.evaluated.length, lookups: r.evaluated.filter((e) => e.element).length };
    });
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[0]!.lookups).toBe(2); // @service-ips, then numgen's inline vmap
  });

  it('DNATs through the same conntrack as iptables: the reply is un-DNATed at POSTROUTING', () => {
    const t = [kubeProxyTable(1)];
    const ct = createConntrack();
    const e = env();
    const pre = runNftHook(t, input('PREROUTING', tcp('10.244.1.9', 40000, '10.96.0.0', 80), { inIface: 'cni0' }), e, ct);
    const backend = pre.packet.dst;
    expect(backend).toMatch(/^10\.244\.[12]\.2$/);
    expect(pre.packet.dport).toBe(8080);
    runNftHook(t, input('FORWARD', pre.packet, { inIface: 'cni0', outIface: 'eth0' }), e, ct);
    runNftHook(t, input('POSTROUTING', pre.packet, { outIface: 'eth0' }), e, ct);
    const reply = tcp(backend, 8080, '10.244.1.9', 40000);
    const rpre = runNftHook(t, input('PREROUTING', reply, { inIface: 'eth0' }), e, ct);
    expect(rpre.ctState).toBe('ESTABLISHED');
    const rpost = runNftHook(t, input('POSTROUTING', rpre.packet, { outIface: 'cni0' }), e, ct);
    expect(rpost.nat).toMatchObject({ kind: 'un-DNAT', after: { ip: '10.96.0.0', port: 80 } });
    expect(rpost.packet).toMatchObject({ src: '10.96.0.0', sport: 80 });
  });

  it('numgen spreads by the seeded rng and is reproducible', () => {
    const t = [kubeProxyTable(1)];
    const pick = (seed: number) => {
      const e = env(seed);
      return Array.from({ length: 40 }, (_, i) => runNftHook(t, input('PREROUTING', tcp('10.244.1.9', 40000 + i, '10.96.0.0', 80)), e, createConntrack()).packet.dst);
    };
    const a = pick(5);
    expect(new Set(a).size).toBe(2);
    expect(pick(5)).toEqual(a);
    const ones = a.filter((d) => d === a[0]).length;
    expect(ones).toBeGreaterThan(8);
    expect(ones).toBeLessThan(32);
  });
});

describe('interleaving with iptables by priority', () => {
  const DNAT = `*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.2.5:8080
COMMIT
`;

  function both(chains: NftChain[]) {
    const nf = createNetfilter();
    expect(restore(nf, DNAT, { noflush: true })).toEqual({ ok: true });
    return runHook(nf, createConntrack(), input('PREROUTING', tcp('10.244.1.9', 40000, '10.96.0.10', 80)), env(), nftHookChains([table(chains)], 'PREROUTING'));
  }

  it('a filter chain at dstnat - 10 sees the packet before the iptables nat DNAT, one at dstnat + 10 after it', () => {
    const r = both([chain('early', ['ip daddr 10.96.0.10 counter'], ['filter', 'prerouting', -110]), chain('late', ['ip daddr 10.244.2.5 counter'], ['filter', 'prerouting', -90])]);
    expect(r.evaluated.map((e) => [e.table, e.chain, e.matched])).toEqual([
      ['ip t', 'early', true],
      ['nat', 'PREROUTING', true],
      ['ip t', 'late', true],
    ]);
    expect(r.packet.dst).toBe('10.244.2.5');
  });

  it('nat chains run in priority order until one sets up NAT (iptables nat first on a tie)', () => {
    const tie = both([chain('nat', ['dnat to 10.244.3.3:9090'], ['nat', 'prerouting', -100])]);
    expect(tie.packet.dst).toBe('10.244.2.5');
    expect(tie.evaluated.map((e) => e.chain)).toEqual(['PREROUTING']);
    const first = both([chain('nat', ['dnat to 10.244.3.3:9090'], ['nat', 'prerouting', -101])]);
    expect(first.packet).toMatchObject({ dst: '10.244.3.3', dport: 9090 });
    expect(first.decided).toMatchObject({ table: 'ip t', chain: 'nat' });
    expect(first.evaluated.map((e) => e.chain)).toEqual(['nat']);
  });

  it('a drop in an nft chain stops the hook and takes the new conntrack entry with it', () => {
    const ct = createConntrack();
    const nf = createNetfilter();
    const r = runHook(nf, ct, input('PREROUTING', tcp('10.244.1.9', 40000, '10.96.0.10', 80)), env(), nftHookChains([table([chain('fw', ['ip daddr 10.96.0.10 drop'], ['filter', 'prerouting', -110])])], 'PREROUTING'));
    expect(r).toMatchObject({ verdict: 'DROP', decided: { chain: 'fw', index: 0 } });
    expect(ct.entries.size).toBe(0);
  });
});
