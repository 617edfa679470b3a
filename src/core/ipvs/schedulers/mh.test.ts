import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IpvsService } from '../types';
import { IPVS_SVC_F_SCHED_MH_FALLBACK, IPVS_SVC_F_SCHED_MH_PORT } from '../types';
import { addDest, addService, createIpvs, scheduleConn } from '../table';
import { buildMhTable, MH_TAB_SIZE, mhSchedule } from './mh';
import { createRng } from '../../util/rng';

function service(dests: { address: string; weight?: number }[], schedFlags = 0): IpvsService {
  const svc = addService(createIpvs(), { protocol: 'tcp', address: '10.96.0.10', port: 80, scheduler: 'mh', schedFlags });
  for (const d of dests) addDest(svc, { address: d.address, port: 8080, ...(d.weight !== undefined ? { weight: d.weight } : {}) });
  return svc;
}

const backends = (n: number) => Array.from({ length: n }, (_, i) => ({ address: `10.244.${i}.5` }));

/** Slots per real server address. */
function shares(svc: IpvsService): Map<string, number> {
  const t = buildMhTable(svc);
  const m = new Map<string, number>();
  for (const i of t.slots) if (i >= 0) m.set(t.dests[i]!.address, (m.get(t.dests[i]!.address) ?? 0) + 1);
  return m;
}

/** The server address in each slot. */
function owners(svc: IpvsService): (string | undefined)[] {
  const t = buildMhTable(svc);
  return Array.from(t.slots, (i) => t.dests[i]?.address);
}

/** 1 to 20 distinct pod-like IPv4 addresses. */
const addressSets = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b]) => `10.244.${a}.${b}`), { minLength: 1, maxLength: 20 });

describe('mh: the Maglev lookup table', () => {
  it('has the default 4093 slots (CONFIG_IP_VS_MH_TAB_INDEX 12), every one filled', () => {
    const t = buildMhTable(service(backends(3)));
    expect(t.slots).toHaveLength(4093);
    expect(MH_TAB_SIZE).toBe(4093);
    expect(t.slots.every((i) => i >= 0)).toBe(true);
  });

  it('is the same table every time it is built from the same servers: the kernel keys its hashes with constants, not the seed', () => {
    const a = owners(service(backends(7)));
    const b = owners(service(backends(7)));
    expect(b).toEqual(a);
    // And scheduling draws nothing from the scenario's generator: any seed picks the same server.
    const pick = (seed: number) => scheduleConn(createIpvs(), service(backends(7)), { ip: '10.244.9.9', port: 40000 }, createRng(seed), 0)!.dest.ip;
    expect(new Set([1, 2, 3, 99].map(pick)).size).toBe(1);
  });

  it('gives equal-weight servers shares of the table that differ by at most one slot', () => {
    fc.assert(
      fc.property(addressSets, (addrs) => {
        const counts = [...shares(service(addrs.map((address) => ({ address })))).values()];
        expect(counts).toHaveLength(addrs.length);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(MH_TAB_SIZE);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 60 },
    );
  });

  it('removing a server hands its slots to the others and moves few of theirs (Maglev: minimal, not zero, disruption)', () => {
    fc.assert(
      fc.property(addressSets.filter((a) => a.length >= 2), fc.nat(), (addrs, k) => {
        const gone = addrs[k % addrs.length]!;
        const before = owners(service(addrs.map((address) => ({ address }))));
        const after = owners(service(addrs.filter((a) => a !== gone).map((address) => ({ address }))));
        let moved = 0;
        let stillGone = 0;
        for (let i = 0; i < MH_TAB_SIZE; i++) {
          if (after[i] === gone || after[i] === undefined) stillGone++;
          if (before[i] !== gone && before[i] !== after[i]) moved++;
        }
        expect(stillGone).toBe(0);
        // Up to 20 servers in 4093 slots: few slots change between survivors. Over 3,000 random
        // cases the median was 0.1–1.3% by server count, but the tail reached 8.7% (an earlier 4%
        // bound failed one run in a few dozen); modulo hashing over N servers would move about
        // half of them or more.
        expect(moved / MH_TAB_SIZE).toBeLessThan(0.15);
      }),
      { numRuns: 40 },
    );
  });

  it('shares the table by weight: each server claims weight/gcd slots per round', () => {
    const s = shares(service([{ address: '10.244.0.5', weight: 100 }, { address: '10.244.1.5', weight: 200 }, { address: '10.244.2.5', weight: 300 }]));
    // gcd 100: turns 1, 2 and 3; each round takes 6 slots, so shares are 1/6, 2/6, 3/6 give or take a round.
    expect(Math.abs(s.get('10.244.0.5')! - MH_TAB_SIZE / 6)).toBeLessThanOrEqual(1);
    expect(Math.abs(s.get('10.244.1.5')! - (2 * MH_TAB_SIZE) / 6)).toBeLessThanOrEqual(2);
    expect(Math.abs(s.get('10.244.2.5')! - (3 * MH_TAB_SIZE) / 6)).toBeLessThanOrEqual(3);
  });

  it('shifts large weight ratios down to 6 bits (ip_vs_mh_shift_weight), a small weight still getting one turn', () => {
    // 1000/1 needs 10 bits: shift 4, turns 1000 >> 4 = 62 and 1 >> 4 = 0, which becomes 1.
    const s = shares(service([{ address: '10.244.0.5', weight: 1 }, { address: '10.244.1.5', weight: 1000 }]));
    expect(Math.abs(s.get('10.244.0.5')! - MH_TAB_SIZE / 63)).toBeLessThanOrEqual(1);
  });

  it('a server added with weight 0 gets no slot; all at weight 0 leave the table empty', () => {
    const s = shares(service([{ address: '10.244.0.5', weight: 0 }, { address: '10.244.1.5' }]));
    expect([...s.keys()]).toEqual(['10.244.1.5']);
    expect(buildMhTable(service([{ address: '10.244.0.5', weight: 0 }])).slots.every((i) => i === -1)).toBe(true);
  });
});

describe('mh: scheduling', () => {
  it('sends one client address to one server whatever its port, and spreads clients over the servers', () => {
    const svc = service(backends(4));
    const ports = Array.from({ length: 20 }, (_, i) => mhSchedule(svc, '192.168.1.7', 30000 + i)!.address);
    expect(new Set(ports).size).toBe(1);
    const clients = Array.from({ length: 200 }, (_, i) => mhSchedule(svc, `192.168.${i >> 4}.${i & 15}`, 30000)!.address);
    expect(new Set(clients).size).toBe(4);
  });

  it('with mh-port hashes the source port too: one address and port always the same server, other ports others', () => {
    const svc = service(backends(4), IPVS_SVC_F_SCHED_MH_PORT);
    expect(mhSchedule(svc, '192.168.1.7', 40001)).toBe(mhSchedule(svc, '192.168.1.7', 40001));
    const ports = Array.from({ length: 200 }, (_, i) => mhSchedule(svc, '192.168.1.7', 30000 + i)!.address);
    expect(new Set(ports).size).toBe(4);
  });

  it('a server quiesced to weight 0 keeps its slots: its clients get no server, unless mh-fallback finds another', () => {
    const svc = service(backends(3));
    const before = owners(svc);
    const victim = svc.dests[0]!;
    victim.weight = 0; // kube-proxy's graceful termination: weight 0 through an update keeps last_weight
    expect(owners(svc)).toEqual(before);
    const clients = Array.from({ length: 300 }, (_, i) => `192.168.${i >> 6}.${i & 63}`);
    const hit = clients.filter((c) => mhSchedule(svc, c, 0) === undefined);
    expect(hit.length).toBeGreaterThan(0);
    svc.schedFlags = IPVS_SVC_F_SCHED_MH_FALLBACK;
    for (const c of hit) expect(mhSchedule(svc, c, 0)?.address).toMatch(/^10\.244\.[12]\.5$/);
    // Clients on the other servers never notice.
    for (const c of clients.filter((x) => !hit.includes(x))) expect(mhSchedule(svc, c, 0)).toBeDefined();
  });

  it('rebuilds the table when a server is added', () => {
    const svc = service(backends(2));
    const two = owners(svc);
    addDest(svc, { address: '10.244.2.5', port: 8080 });
    const three = buildMhTable(svc);
    expect(three.dests.map((d) => d.address)).toContain('10.244.2.5');
    const clients = Array.from({ length: 300 }, (_, i) => `192.168.${i >> 6}.${i & 63}`);
    expect(clients.some((c) => mhSchedule(svc, c, 0)!.address === '10.244.2.5')).toBe(true);
    expect(two).not.toEqual(owners(svc));
  });
});
