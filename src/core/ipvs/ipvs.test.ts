import { describe, expect, it } from 'vitest';
import { cluster, delivered, innerIp } from '../testing/cluster';
import { addDest, addService, createIpvs, scheduleConn } from './table';
import { renderIpvsadm } from '../render/ipvsadm';
import { createDummy } from '../model/devices/dummy';
import { addAddress } from '../model/netns';
import { createRng } from '../util/rng';
import { IPVS_SVC_F_SCHED1, IPVS_SVC_F_SCHED2, IPVS_SVC_F_SCHED3, IPVS_SVC_F_SCHED_MH_PORT } from './types';

function withVip(scheduler = 'rr', persistent?: number) {
  const c = cluster().nodes(2).cni('flannel').pod('client', { node: 'node-1' }).pod('s1', { node: 'node-1', ports: [8080] }).pod('s2', { node: 'node-2', ports: [8080] }).build();
  const ips = c.model.pods.map((p) => p.ip);
  for (const node of c.model.nodes) {
    const ns = c.model.netns.get(node.netns)!;
    const dummy = createDummy(ns, 'kube-ipvs0', '2a:5e:0b:6c:1f:9d');
    addAddress(ns, dummy, '10.96.0.10', 32);
    ns.ipvs = createIpvs();
    const svc = addService(ns.ipvs, { protocol: 'tcp', address: '10.96.0.10', port: 80, scheduler, ...(persistent ? { persistent } : {}) });
    addDest(svc, { address: ips[1]!, port: 8080 });
    addDest(svc, { address: ips[2]!, port: 8080 });
  }
  return c;
}

describe('IPVS in the datapath', () => {
  it('NATs a ClusterIP connection to a real server by hash lookup and restores the VIP on the reply', () => {
    const c = withVip();
    const f = c.trace('pod/client', '10.96.0.10:80');
    expect(f.verdict).toBe('delivered');
    const ipvs = f.hops.find((h) => h.stage === 'ipvs')!;
    expect(ipvs.netns).toBe('node-1');
    expect(ipvs.changed).toEqual(['ipv4.dst', 'tcp.dport']);
    expect(ipvs.rule?.evaluated).toHaveLength(1); // one lookup, not a chain walk
    expect(innerIp(delivered(f)).dst).toMatch(/^10\.244\./);
    const back = f.reply!.hops.find((h) => h.stage === 'ipvs')!;
    expect(innerIp(back.packet).src).toBe('10.96.0.10');
    expect(f.reply?.verdict).toBe('delivered');
  });

  it('round robin alternates between the real servers', () => {
    const c = withVip('rr');
    const ends = [0, 1, 2, 3].map((i) => c.trace('pod/client', '10.96.0.10:80', { index: i }).endpoint);
    expect(ends[0]).not.toBe(ends[1]);
    expect(ends[0]).toBe(ends[2]);
    expect(ends[1]).toBe(ends[3]);
  });

  it('a persistent service keeps a client on one real server', () => {
    const c = withVip('rr', 10800);
    const ends = new Set([0, 1, 2, 3].map((i) => c.trace('pod/client', '10.96.0.10:80', { index: i }).endpoint));
    expect(ends.size).toBe(1);
  });
});

describe('schedulers', () => {
  const rng = createRng(1);
  function svcWith(scheduler: string, weights: number[]) {
    const s = createIpvs();
    const svc = addService(s, { protocol: 'tcp', address: '10.0.0.1', port: 80, scheduler });
    weights.forEach((w, i) => addDest(svc, { address: `10.1.0.${i + 1}`, port: 80, weight: w }));
    return { s, svc };
  }
  const pick = (scheduler: string, weights: number[], n: number) => {
    const { s, svc } = svcWith(scheduler, weights);
    return Array.from({ length: n }, (_, i) => scheduleConn(s, svc, { ip: `192.168.${i % 3}.1`, port: 40000 + i }, rng, 0)!.dest.ip);
  };
  it('wrr honours weights', () => {
    const got = pick('wrr', [3, 1], 8);
    expect(got.filter((x) => x === '10.1.0.1')).toHaveLength(6);
  });
  it('lc, wlc, sed and nq spread new connections to the least loaded', () => {
    for (const s of ['lc', 'wlc', 'sed', 'nq']) expect(new Set(pick(s, [1, 1, 1], 3)).size).toBe(3);
  });
  it('sh maps a client to one server; dh maps the VIP to one server', () => {
    const { s, svc } = svcWith('sh', [1, 1, 1]);
    const a = scheduleConn(s, svc, { ip: '1.2.3.4', port: 1 }, rng, 0)!.dest.ip;
    const b = scheduleConn(s, svc, { ip: '1.2.3.4', port: 2 }, rng, 0)!.dest.ip;
    expect(a).toBe(b);
    expect(new Set(pick('dh', [1, 1, 1], 5)).size).toBe(1);
  });
  it('weight 0 servers take no new connections', () => {
    expect(new Set(pick('rr', [0, 1], 4))).toEqual(new Set(['10.1.0.2']));
  });
});

describe('ipvsadm -Ln', () => {
  it('prints the kernel header, sorted services and fixed-width real server lines', () => {
    const s = createIpvs();
    const b = addService(s, { protocol: 'tcp', address: '10.96.0.20', port: 443, persistent: 10800 });
    addDest(b, { address: '10.244.1.9', port: 8443 });
    const a = addService(s, { protocol: 'tcp', address: '10.96.0.10', port: 80 });
    addDest(a, { address: '10.244.2.7', port: 8080 });
    addDest(a, { address: '10.244.1.5', port: 8080 });
    expect(renderIpvsadm(s)).toBe(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'TCP  10.96.0.10:80 rr',
        '  -> 10.244.1.5:8080              Masq    1      0          0         ',
        '  -> 10.244.2.7:8080              Masq    1      0          0         ',
        'TCP  10.96.0.20:443 rr persistent 10800',
        '  -> 10.244.1.9:8443              Masq    1      0          0         ',
        '',
      ].join('\n'),
    );
  });

  it("prints scheduler flags in parentheses after the scheduler, named per scheduler (ipvsadm's print_sched_flags)", () => {
    const s = createIpvs();
    const header = (svc: { scheduler: string; schedFlags: number; persistent?: number }, address: string) => {
      addService(s, { protocol: 'tcp', address, port: 80, ...svc });
      return renderIpvsadm(s).split('\n').find((l) => l.startsWith(`TCP  ${address}:80 `));
    };
    expect(header({ scheduler: 'mh', schedFlags: IPVS_SVC_F_SCHED_MH_PORT }, '10.96.0.1')).toBe('TCP  10.96.0.1:80 mh (mh-port)');
    expect(header({ scheduler: 'mh', schedFlags: IPVS_SVC_F_SCHED1 | IPVS_SVC_F_SCHED2, persistent: 10800 }, '10.96.0.2')).toBe('TCP  10.96.0.2:80 mh (mh-fallback,mh-port) persistent 10800');
    expect(header({ scheduler: 'sh', schedFlags: IPVS_SVC_F_SCHED2 }, '10.96.0.3')).toBe('TCP  10.96.0.3:80 sh (sh-port)');
    expect(header({ scheduler: 'rr', schedFlags: IPVS_SVC_F_SCHED1 | IPVS_SVC_F_SCHED3 }, '10.96.0.4')).toBe('TCP  10.96.0.4:80 rr (flag-1,flag-3)');
    expect(header({ scheduler: 'mh', schedFlags: IPVS_SVC_F_SCHED3 }, '10.96.0.5')).toBe('TCP  10.96.0.5:80 mh ()');
    expect(header({ scheduler: 'mh', schedFlags: 0 }, '10.96.0.6')).toBe('TCP  10.96.0.6:80 mh');
  });
});
