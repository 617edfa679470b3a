import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng';
import { createConntrack, renderConntrack } from './conntrack';
import type { ConntrackTable } from './conntrack';
import { runHook } from './evaluate';
import { setIpset } from './ipset';
import { restore } from './restore';
import { createNetfilter } from './state';
import type { HookEnv, HookInput, HookName, NetfilterState, NfPacket } from './types';

const LOCAL = new Set(['192.168.1.11', '10.244.1.1']);

function env(seed = 1, now = 1000): HookEnv {
  return {
    isLocal: (ip) => LOCAL.has(ip),
    primaryAddress: (dev) => (dev === 'eth0' ? '192.168.1.11' : dev === 'cni0' ? '10.244.1.1' : undefined),
    rng: createRng(seed, 'netfilter-test'),
    now,
  };
}

function tcp(src: string, sport: number, dst: string, dport: number, flags = 'S'): NfPacket {
  return { src, dst, protocol: 'tcp', sport, dport, tcpFlags: flags, mark: 0, length: 60 };
}

function setup(text: string): { nf: NetfilterState; ct: ConntrackTable } {
  const nf = createNetfilter();
  const r = restore(nf, text, { noflush: true });
  expect(r).toEqual({ ok: true });
  return { nf, ct: createConntrack() };
}

function hook(nf: NetfilterState, ct: ConntrackTable, name: HookName, packet: NfPacket, e: HookEnv, io: Partial<HookInput> = {}) {
  return runHook(nf, ct, { hook: name, packet, ...io }, e);
}

/** A forwarded packet: PREROUTING → FORWARD → POSTROUTING, threading the packet through. */
function forward(nf: NetfilterState, ct: ConntrackTable, p: NfPacket, e: HookEnv, io: { in: string; out: string }) {
  const pre = hook(nf, ct, 'PREROUTING', p, e, { inIface: io.in });
  if (pre.verdict !== 'ACCEPT') return { pre };
  const fwd = hook(nf, ct, 'FORWARD', pre.packet, e, { inIface: io.in, outIface: io.out });
  if (fwd.verdict !== 'ACCEPT') return { pre, fwd };
  const post = hook(nf, ct, 'POSTROUTING', fwd.packet, e, { outIface: io.out });
  return { pre, fwd, post };
}

const DNAT_RULES = `*nat
:PREROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.2.5:8080
COMMIT
`;

describe('runHook: DNAT and conntrack', () => {
  it('rewrites a copy of the packet it is given, or the packet itself when the caller gives it away', () => {
    const { nf, ct } = setup(DNAT_RULES);
    const e = env();
    const kept = tcp('10.244.1.3', 40000, '10.96.0.10', 80);
    const r = runHook(nf, ct, { hook: 'PREROUTING', packet: kept, inIface: 'cni0' }, e);
    expect(r.packet.dst).toBe('10.244.2.5');
    expect(kept.dst).toBe('10.96.0.10');
    const given = tcp('10.244.1.3', 40001, '10.96.0.10', 80);
    const own = runHook(nf, ct, { hook: 'PREROUTING', packet: given, inIface: 'cni0' }, e, undefined, true);
    expect(own.packet).toBe(given);
    expect(given.dst).toBe('10.244.2.5');
    expect(own.nat).toEqual(r.nat);
  });

  it('DNATs the first packet and un-DNATs the reply from conntrack', () => {
    const { nf, ct } = setup(DNAT_RULES);
    const e = env();
    const req = forward(nf, ct, tcp('10.244.1.3', 40000, '10.96.0.10', 80), e, { in: 'cni0', out: 'eth0' });
    expect(req.pre.nat).toEqual({ kind: 'DNAT', field: 'dst', before: { ip: '10.96.0.10', port: 80 }, after: { ip: '10.244.2.5', port: 8080 } });
    expect(req.pre.ctState).toBe('NEW');
    expect(req.post!.packet).toMatchObject({ src: '10.244.1.3', sport: 40000, dst: '10.244.2.5', dport: 8080 });

    const reply = forward(nf, ct, tcp('10.244.2.5', 8080, '10.244.1.3', 40000, 'S.'), e, { in: 'eth0', out: 'cni0' });
    expect(reply.pre.ctState).toBe('ESTABLISHED');
    expect(reply.pre.ctDirection).toBe('reply');
    // No nat rule is evaluated for a reply; the NAT comes from conntrack.
    expect(reply.pre.evaluated.filter((r) => r.table === 'nat')).toEqual([]);
    expect(reply.post!.nat).toEqual({ kind: 'un-DNAT', field: 'src', before: { ip: '10.244.2.5', port: 8080 }, after: { ip: '10.96.0.10', port: 80 } });
    expect(reply.post!.packet).toMatchObject({ src: '10.96.0.10', sport: 80, dst: '10.244.1.3', dport: 40000 });
  });

  it('skips the nat table for later packets of the connection but still applies the DNAT', () => {
    const { nf, ct } = setup(DNAT_RULES);
    const e = env();
    forward(nf, ct, tcp('10.244.1.3', 40000, '10.96.0.10', 80), e, { in: 'cni0', out: 'eth0' });
    forward(nf, ct, tcp('10.244.2.5', 8080, '10.244.1.3', 40000, 'S.'), e, { in: 'eth0', out: 'cni0' });
    const ack = hook(nf, ct, 'PREROUTING', tcp('10.244.1.3', 40000, '10.96.0.10', 80, '.'), e, { inIface: 'cni0' });
    expect(ack.ctState).toBe('ESTABLISHED');
    expect(ack.evaluated).toEqual([]);
    expect(ack.nat?.kind).toBe('DNAT');
    expect(ack.packet.dst).toBe('10.244.2.5');
    expect(renderConntrack(ct, 1000)).toBe(
      'tcp      6 432000 ESTABLISHED src=10.244.1.3 dst=10.96.0.10 sport=40000 dport=80 src=10.244.2.5 dst=10.244.1.3 sport=8080 dport=40000 [ASSURED] mark=0 use=1\n',
    );
  });

  it('records every rule it evaluated, in order, with the one that decided', () => {
    const { nf, ct } = setup(DNAT_RULES);
    const r = hook(nf, ct, 'PREROUTING', tcp('10.244.1.3', 40000, '10.96.0.10', 80), env(), { inIface: 'cni0' });
    expect(r.evaluated).toEqual([
      { table: 'nat', chain: 'PREROUTING', index: 0, text: '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', matched: true },
      { table: 'nat', chain: 'KUBE-SERVICES', index: 0, text: '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.2.5:8080', matched: true },
    ]);
    expect(r.decided).toBe(r.evaluated[1]);
    expect(nf.tables.get('nat')!.chains.get('KUBE-SERVICES')!.rules[0]!.packets).toBe(1);
  });

  it('forgets the new connection of a packet dropped before confirmation', () => {
    const { nf, ct } = setup(`${DNAT_RULES}*filter\n:FORWARD DROP [0:0]\nCOMMIT\n`);
    const r = forward(nf, ct, tcp('10.244.1.3', 40000, '10.96.0.10', 80), env(), { in: 'cni0', out: 'eth0' });
    expect(r.fwd!.verdict).toBe('DROP');
    expect(r.fwd!.policy).toEqual({ table: 'filter', chain: 'FORWARD', policy: 'DROP' });
    expect(r.fwd!.decided).toBeUndefined();
    expect(ct.entries.size).toBe(0);
  });
});

const MASQ_RULES = `*nat
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE
COMMIT
`;

describe('runHook: MASQUERADE and un-SNAT', () => {
  it('masquerades to the out interface address, keeps the port, and un-SNATs the reply', () => {
    const { nf, ct } = setup(MASQ_RULES);
    const e = env();
    const out = forward(nf, ct, tcp('10.244.1.2', 40312, '93.184.216.34', 443), e, { in: 'cni0', out: 'eth0' });
    expect(out.post!.nat).toEqual({ kind: 'MASQUERADE', field: 'src', before: { ip: '10.244.1.2', port: 40312 }, after: { ip: '192.168.1.11', port: 40312 } });
    const back = forward(nf, ct, tcp('93.184.216.34', 443, '192.168.1.11', 40312, 'S.'), e, { in: 'eth0', out: 'cni0' });
    expect(back.pre.nat).toEqual({ kind: 'un-SNAT', field: 'dst', before: { ip: '192.168.1.11', port: 40312 }, after: { ip: '10.244.1.2', port: 40312 } });
    expect(back.post!.packet).toMatchObject({ src: '93.184.216.34', dst: '10.244.1.2', dport: 40312 });
  });

  it('picks another port when the kept one would collide, and draws ports with --random-fully', () => {
    const { nf, ct } = setup(MASQ_RULES);
    const e = env(7);
    forward(nf, ct, tcp('10.244.1.2', 40312, '93.184.216.34', 443), e, { in: 'cni0', out: 'eth0' });
    const second = forward(nf, ct, tcp('10.244.1.9', 40312, '93.184.216.34', 443), e, { in: 'cni0', out: 'eth0' });
    expect(second.post!.packet.src).toBe('192.168.1.11');
    expect(second.post!.packet.sport).not.toBe(40312);

    const rf = setup(MASQ_RULES.replace('MASQUERADE', 'MASQUERADE --random-fully'));
    const a = forward(rf.nf, rf.ct, tcp('10.244.1.2', 40312, '93.184.216.34', 443), env(7), { in: 'cni0', out: 'eth0' });
    const rf2 = setup(MASQ_RULES.replace('MASQUERADE', 'MASQUERADE --random-fully'));
    const b = forward(rf2.nf, rf2.ct, tcp('10.244.1.2', 40312, '93.184.216.34', 443), env(7), { in: 'cni0', out: 'eth0' });
    expect(a.post!.packet.sport).toBe(b.post!.packet.sport); // same seed, same port
    expect(a.post!.packet.sport).toBeGreaterThanOrEqual(1024);
  });

  it('drops when the out interface has no address (as the kernel does)', () => {
    const { nf, ct } = setup(MASQ_RULES);
    const r = hook(nf, ct, 'POSTROUTING', tcp('10.244.1.2', 1, '8.8.8.8', 53), env(), { outIface: 'ghost0' });
    expect(r.verdict).toBe('DROP');
  });
});

describe('runHook: kube-proxy patterns', () => {
  it('spreads new connections over endpoints as -m statistic probabilities say', () => {
    const { nf, ct } = setup(`*nat
:OUTPUT ACCEPT [0:0]
:SVC - [0:0]
-A OUTPUT -d 10.96.0.1/32 -p tcp --dport 80 -j SVC
-A SVC -p tcp -m statistic --mode random --probability 0.3333333333 -j DNAT --to-destination 10.0.0.1:80
-A SVC -p tcp -m statistic --mode random --probability 0.5000000000 -j DNAT --to-destination 10.0.0.2:80
-A SVC -p tcp -j DNAT --to-destination 10.0.0.3:80
COMMIT
`);
    const e = env(42);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const r = hook(nf, ct, 'OUTPUT', tcp('192.168.1.11', 10000 + i, '10.96.0.1', 80), e, { outIface: 'eth0' });
      counts.set(r.packet.dst, (counts.get(r.packet.dst) ?? 0) + 1);
    }
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) expect(Math.abs(counts.get(ip)! - 1000)).toBeLessThan(100);
  });

  it('keeps ClientIP affinity with -m recent until --seconds pass', () => {
    const { nf, ct } = setup(`*nat
:PREROUTING ACCEPT [0:0]
:SVC - [0:0]
:SEP-A - [0:0]
:SEP-B - [0:0]
-A PREROUTING -d 10.96.0.1/32 -p tcp -m tcp --dport 80 -j SVC
-A SVC -m recent --name SEP-A --rcheck --seconds 10800 --reap -j SEP-A
-A SVC -m recent --name SEP-B --rcheck --seconds 10800 --reap -j SEP-B
-A SVC -m statistic --mode random --probability 0.5 -j SEP-A
-A SVC -j SEP-B
-A SEP-A -p tcp -m recent --name SEP-A --set -j DNAT --to-destination 10.0.0.1:80
-A SEP-B -p tcp -m recent --name SEP-B --set -j DNAT --to-destination 10.0.0.2:80
COMMIT
`);
    const e = env(3, 0);
    const first = hook(nf, ct, 'PREROUTING', tcp('172.16.0.9', 5000, '10.96.0.1', 80), e, { inIface: 'eth0' }).packet.dst;
    for (let i = 1; i <= 20; i++) {
      e.now = i * 100;
      expect(hook(nf, ct, 'PREROUTING', tcp('172.16.0.9', 5000 + i, '10.96.0.1', 80), e, { inIface: 'eth0' }).packet.dst).toBe(first);
    }
    expect([...nf.recent!.get(first === '10.0.0.1' ? 'SEP-A' : 'SEP-B')!.keys()]).toEqual(['172.16.0.9']);
    // After the affinity timeout the rcheck rules no longer match: the choice is random again.
    e.now = 2000 + 10801;
    const late = hook(nf, ct, 'PREROUTING', tcp('172.16.0.9', 7000, '10.96.0.1', 80), e, { inIface: 'eth0' });
    expect(late.evaluated.slice(1, 3).map((r) => r.matched)).toEqual([false, false]);
  });

  it('sets KUBE-MARK-MASQ in PREROUTING and masquerades on the mark in POSTROUTING', () => {
    const { nf, ct } = setup(`*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
-A PREROUTING -d 10.96.0.10/32 -j KUBE-MARK-MASQ
-A PREROUTING -d 10.96.0.10/32 -p tcp -j DNAT --to-destination 10.244.2.5:8080
-A POSTROUTING -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -j MASQUERADE
COMMIT
`);
    const r = forward(nf, ct, tcp('192.168.1.50', 33000, '10.96.0.10', 80), env(), { in: 'eth0', out: 'eth0' });
    expect(r.pre.packet.mark).toBe(0x4000);
    expect(r.pre.nat?.kind).toBe('DNAT');
    expect(r.post!.nats!.map((n) => n.kind)).toEqual(['MASQUERADE']);
    expect(r.post!.packet).toMatchObject({ src: '192.168.1.11', dst: '10.244.2.5', mark: 0 });
    // Without the mark, KUBE-POSTROUTING returns early and nothing is masqueraded.
    const plain = setup(`*nat\n:POSTROUTING ACCEPT [0:0]\n:KUBE-POSTROUTING - [0:0]\n-A POSTROUTING -j KUBE-POSTROUTING\n-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n-A KUBE-POSTROUTING -j MASQUERADE\nCOMMIT\n`);
    const q = hook(plain.nf, plain.ct, 'POSTROUTING', tcp('10.244.1.2', 1, '10.244.2.2', 80), env(), { outIface: 'eth0' });
    expect(q.nat).toBeUndefined();
    expect(q.evaluated.map((x) => x.matched)).toEqual([true, true]);
  });

  it('REJECTs with the rule\'s --reject-with', () => {
    const { nf, ct } = setup(`*filter
:OUTPUT ACCEPT [0:0]
-A OUTPUT -d 10.96.0.99/32 -p tcp -m comment --comment "ns/svc has no endpoints" -m tcp --dport 80 -j REJECT
COMMIT
`);
    const r = hook(nf, ct, 'OUTPUT', tcp('192.168.1.11', 5, '10.96.0.99', 80), env(), { outIface: 'eth0' });
    expect(r.verdict).toBe('REJECT');
    expect(r.rejectWith).toBe('icmp-port-unreachable');
    expect(r.decided?.text).toContain('-j REJECT --reject-with icmp-port-unreachable');
    expect(ct.entries.size).toBe(0);
  });

  it('matches -m set against an ipset and -m conntrack --ctstate', () => {
    const { nf, ct } = setup(`*filter
:INPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
-A INPUT -j DROP
COMMIT
`);
    setIpset(nf, 'KUBE-CLUSTER-IP', 'hash:ip,port', ['10.96.0.1,tcp:443']);
    const e = env();
    const ok = hook(nf, ct, 'INPUT', tcp('10.244.1.2', 1000, '10.96.0.1', 443), e, { inIface: 'cni0' });
    expect(ok.verdict).toBe('ACCEPT');
    expect(ok.evaluated.map((r) => r.matched)).toEqual([false, true]);
    expect(hook(nf, ct, 'INPUT', tcp('10.244.1.2', 1001, '10.96.0.1', 80), e, { inIface: 'cni0' }).verdict).toBe('DROP');
  });
});

describe('runHook: chain traversal', () => {
  const TRAVERSAL = `*filter
:FORWARD ACCEPT [0:0]
:A - [0:0]
:B - [0:0]
:C - [0:0]
-A FORWARD -j A
-A FORWARD -j DROP
-A A -j B
-A A -g C
-A A -j ACCEPT
-A B -j RETURN
-A B -j ACCEPT
-A C -p udp -j ACCEPT
COMMIT
`;

  it('follows -j, RETURN and -g (a goto chain returns to the caller of the chain that jumped)', () => {
    const { nf, ct } = setup(TRAVERSAL);
    const r = hook(nf, ct, 'FORWARD', tcp('1.1.1.1', 1, '2.2.2.2', 2), env());
    expect(r.evaluated.map((x) => `${x.chain}#${x.index}:${x.matched ? 'y' : 'n'}`)).toEqual([
      'FORWARD#0:y',
      'A#0:y',
      'B#0:y',
      'A#1:y',
      'C#0:n',
      'FORWARD#1:y',
    ]);
    expect(r.verdict).toBe('DROP');
    expect(r.decided).toMatchObject({ chain: 'FORWARD', index: 1 });
  });

  it('treats RETURN in a built-in chain as its policy and counts the policy on the chain', () => {
    const { nf, ct } = setup('*filter\n:INPUT DROP [0:0]\n-A INPUT -j RETURN\n-A INPUT -j ACCEPT\nCOMMIT\n');
    const r = hook(nf, ct, 'INPUT', tcp('1.1.1.1', 1, '2.2.2.2', 2), env());
    expect(r.verdict).toBe('DROP');
    expect(r.policy).toEqual({ table: 'filter', chain: 'INPUT', policy: 'DROP' });
    expect(nf.tables.get('filter')!.chains.get('INPUT')!.packets).toBe(1);
  });

  it('evaluates tables in kernel order: mangle before nat in PREROUTING, filter before nat in INPUT', () => {
    const { nf, ct } = setup(`*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
-A PREROUTING -j MARK --set-mark 1
-A INPUT -m mark --mark 1
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
-A PREROUTING -m mark --mark 1
-A INPUT -m comment --comment snat-side
COMMIT
*filter
:INPUT ACCEPT [0:0]
-A INPUT -m comment --comment filter
COMMIT
`);
    const e = env();
    const pre = hook(nf, ct, 'PREROUTING', tcp('1.1.1.1', 1, '192.168.1.11', 22), e, { inIface: 'eth0' });
    expect(pre.evaluated.map((x) => `${x.table}:${x.matched}`)).toEqual(['mangle:true', 'nat:true']);
    const input = hook(nf, ct, 'INPUT', pre.packet, e, { inIface: 'eth0' });
    expect(input.evaluated.map((x) => x.table)).toEqual(['mangle', 'filter', 'nat']);
    expect(ct.entries.get(1)?.confirmed).toBe(true);
  });

  it('is cheap on empty chains: nothing evaluated, conntrack still tracks', () => {
    const nf = createNetfilter();
    const ct = createConntrack();
    const r = hook(nf, ct, 'OUTPUT', tcp('10.0.0.1', 1, '10.0.0.2', 2), env());
    expect(r).toMatchObject({ verdict: 'ACCEPT', evaluated: [], ctState: 'NEW' });
    hook(nf, ct, 'POSTROUTING', r.packet, env());
    expect(renderConntrack(ct, 1000)).toContain('tcp      6 120 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=1');
  });

  it('reports unmodelled matches and targets but keeps going', () => {
    const { nf, ct } = setup('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m limit --limit 5/min -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n');
    const r = hook(nf, ct, 'INPUT', tcp('1.1.1.1', 1, '2.2.2.2', 2), env());
    expect(r.verdict).toBe('ACCEPT');
    expect(r.unmodelled).toEqual(['-m limit', '-j TCPMSS']);
    expect(r.evaluated[0]!.text).toBe('-A INPUT -m limit --limit 5/min -j TCPMSS --clamp-mss-to-pmtu');
  });
});
