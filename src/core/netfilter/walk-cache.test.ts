// The walk cache replays recorded table walks (walk-cache.ts). Whatever the rules and their
// changes between packets, a hook run with the cache must do exactly what it does without it:
// same results (verdict, packet and mark, records, decided rule, NAT, policy, notes, LOG lines)
// and the same rule and chain counters, conntrack and `-m recent` lists alike.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ruleBodyArbitrary } from '../testing/iptables-rule-arbitrary';
import { createRng } from '../util/rng';
import { createConntrack } from './conntrack';
import type { ConntrackTable } from './conntrack';
import { runHook } from './evaluate';
import { setIpset } from './ipset';
import { restore } from './restore';
import { createNetfilter, ensureChain, getChain, getTable } from './state';
import type { HookEnv, HookName, NetfilterState, NfPacket, Rule, TableName } from './types';
import { MAX_LEAVES, resetWalkCacheCounts, setWalkCache, walkCacheCounts } from './walk-cache';

afterEach(() => setWalkCache(true));

const TABLES: Readonly<Record<'filter' | 'mangle' | 'nat', readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};
type T = keyof typeof TABLES;

/**
 * Targets by table; user chain X may jump to Y, Y jumps nowhere (the kernel refuses loops), the
 * built-in chains jump to X, Y and Z (which changes below delete and create again).
 */
const COMMON = ['-j ACCEPT', '-j RETURN', '-j LOG --log-prefix "p "', '-j NFLOG', ''];
const TARGETS: Readonly<Record<T, readonly string[]>> = {
  filter: [...COMMON, '-j DROP', '-j REJECT', '-j REJECT --reject-with icmp-host-unreachable'],
  mangle: [...COMMON, '-j MARK --set-xmark 0x1/0x1', '-j MARK --set-xmark 0x2/0x3', '-j DROP'],
  nat: [...COMMON, '-j DNAT --to-destination 10.0.0.9:8080', '-j SNAT --to-source 10.0.0.7', '-j MASQUERADE', '-j REDIRECT'],
};

const EXTRAS = [
  '-m mark --mark 0x1/0x1',
  '-m mark ! --mark 0x2/0x2',
  '-m conntrack --ctstate NEW',
  '-m conntrack --ctstate RELATED,ESTABLISHED',
  '-m conntrack --ctdir REPLY',
  '-m state --state NEW',
  '-m addrtype --dst-type LOCAL',
  '-m addrtype ! --src-type LOCAL',
  '-m set --match-set S src',
  '-m set ! --match-set S dst',
  '-m physdev --physdev-is-bridged',
  '-m physdev --physdev-in veth+',
  '-m statistic --mode random --probability 0.5',
  '-m statistic --mode nth --every 3 --packet 0',
  '-m recent --set --name R',
  '-m recent --rcheck --name R --seconds 5',
  '-m nfacct --nfacct-name acct',
  '-m tcp --sport 1000:1001',
  '-m udp --dport 53',
  '-m icmp --icmp-type 8',
  '-s 10.0.0.0/8',
  '-d 10.0.0.2/32',
  '! -s 10.0.0.1/32',
];

/** Rule words after `-A CHAIN` for a chain of a table. */
function bodies(table: T, chain: string): fc.Arbitrary<string> {
  const targets = chain === 'Z' ? TARGETS[table] : TARGETS[table].flatMap((t) => (chain === 'Y' ? [t] : [t, '-j Y', '-g Y', ...(chain === 'X' ? [] : ['-j X', '-j Z'])]));
  return ruleBodyArbitrary({
    ifaces: ['-i eth0', '-o eth1', '-i veth+', '-o cni0'],
    protos: ['tcp', 'udp', 'icmp', 'all'],
    comment: fc.constantFrom('a', 'b c'),
    extras: EXTRAS,
    targets,
  });
}

/** A whole ruleset: per table, per chain (built-in chains, X and Y), a few rules. */
const rulesetArb = fc.record(
  Object.fromEntries(
    (Object.keys(TABLES) as T[]).map((t) => [
      t,
      // Lines iptables-restore refuses (a port without its protocol …) are left out.
      fc.tuple(...[...TABLES[t], 'X', 'Y', 'Z'].map((c) => fc.array(bodies(t, c).filter((b) => parseRule(t, c, b) !== undefined).map((b) => `-A ${c} ${b}`), { maxLength: 4 }))).map((xs) => xs.flat()),
    ]),
  ) as Record<T, fc.Arbitrary<string[]>>,
);

function restoreText(rs: Record<T, string[]>): string {
  return (Object.keys(TABLES) as T[]).map((t) => `*${t}\n:X - [0:0]\n:Y - [0:0]\n:Z - [0:0]\n${rs[t].join('\n')}\nCOMMIT\n`).join('');
}

/** One rule parsed in a scratch table (chain Z declared, so `-j Z` is a jump wherever Z exists). */
function parseRule(table: T, chain: string, body: string): Rule | undefined {
  const nf = createNetfilter();
  const r = restore(nf, `*${table}\n:X - [0:0]\n:Y - [0:0]\n:Z - [0:0]\n-A ${chain} ${body}\nCOMMIT\n`, { noflush: true });
  return r.ok ? getChain(nf, table, chain)!.rules[0] : undefined;
}

const mutationArb = fc.record({
  kind: fc.constantFrom('insert', 'append', 'delete', 'in-place', 'replace', 'policy', 'new-chain', 'drop-chain', 'ipset', 'restore'),
  table: fc.constantFrom<T>('filter', 'mangle', 'nat'),
  chain: fc.nat(),
  at: fc.nat(),
  body: fc.nat(),
});

const packetArb = fc.record({
  hook: fc.constantFrom<HookName>('PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'),
  src: fc.constantFrom('10.0.0.1', '10.0.0.2', '192.168.1.1'),
  dst: fc.constantFrom('10.0.0.2', '10.1.0.5', '8.8.8.8'),
  protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
  dport: fc.constantFrom(80, 53),
  mark: fc.constantFrom(0, 1, 2),
  inIface: fc.constantFrom('eth0', 'veth1', undefined),
  outIface: fc.constantFrom('eth1', 'cni0', undefined),
  bridged: fc.boolean(),
});

/** One side of the comparison: its own tables, conntrack and random stream. */
interface Side {
  nf: NetfilterState;
  ct: ConntrackTable;
  env: HookEnv;
}

function side(text: string): Side {
  const nf = createNetfilter();
  expect(restore(nf, text, { noflush: true })).toEqual({ ok: true });
  setIpset(nf, 'S', 'hash:ip', ['10.0.0.1']);
  const env: HookEnv = { isLocal: (ip) => ip === '10.0.0.2', primaryAddress: (i) => (i === 'eth1' || i === 'eth0' ? '10.0.0.254' : undefined), rng: createRng(7, 'w'), now: 0 };
  return { nf, ct: createConntrack(), env };
}

/** Applies one mutation the same way to a side's tables (fresh rule objects on each side). */
type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutate(s: Side, m: Mutation, bodyPool: readonly string[], text: string): void {
  const t = getTable(s.nf, m.table);
  const names = [...t.chains.keys()];
  const chain = t.chains.get(names[m.chain % names.length]!)!;
  const rules = chain.rules;
  const body = bodyPool[m.body % bodyPool.length]!;
  switch (m.kind) {
    case 'insert':
    case 'append':
    case 'replace':
    case 'in-place': {
      const fresh = parseRule(m.table, chain.name === 'Z' ? 'X' : chain.name, body);
      if (!fresh) return;
      fresh.chain = chain.name;
      if (m.kind === 'append') rules.push(fresh);
      else if (m.kind === 'insert') rules.splice(m.at % (rules.length + 1), 0, fresh);
      else if (!rules.length) return;
      else if (m.kind === 'replace') rules[m.at % rules.length] = fresh;
      else {
        // Edited in place: another rule's fields on the same object, its cached text dropped.
        const r = rules[m.at % rules.length]!;
        for (const k of ['src', 'dst', 'inIface', 'outIface', 'protocol', 'goto', 'target', 'text'] as const) delete r[k];
        Object.assign(r, { ...fresh, chain: r.chain, packets: r.packets, bytes: r.bytes });
        delete r.text;
      }
      return;
    }
    case 'delete':
      if (rules.length) rules.splice(m.at % rules.length, 1);
      return;
    case 'policy':
      if (chain.policy) chain.policy = chain.policy === 'ACCEPT' ? 'DROP' : 'ACCEPT';
      return;
    case 'new-chain': {
      const z = ensureChain(s.nf, m.table, 'Z');
      const fresh = parseRule(m.table, 'Z', body.replace(/-[jg] [XYZ]\b/, '-j RETURN'));
      if (fresh) z.rules.push(fresh);
      return;
    }
    case 'drop-chain':
      if (t.chains.get('Z')?.rules.length === 0 || m.at % 2) t.chains.delete('Z');
      return;
    case 'ipset':
      setIpset(s.nf, 'S', 'hash:ip', m.at % 2 ? ['10.0.0.1', '192.168.1.1'] : ['10.0.0.2']);
      return;
    case 'restore':
      // A full restore of the original rules: new chain Maps, new rule objects.
      expect(restore(s.nf, text, { noflush: false })).toEqual({ ok: true });
  }
}

/** Every rule and chain counter of a side, in table and chain order. */
function counters(nf: NetfilterState): number[] {
  const out: number[] = [];
  for (const name of ['raw', 'mangle', 'nat', 'filter'] as TableName[]) {
    const t = nf.tables.get(name);
    if (!t) continue;
    for (const c of t.chains.values()) {
      out.push(c.packets, c.bytes);
      for (const r of c.rules) out.push(r.packets, r.bytes);
    }
  }
  return out;
}

describe('walk cache', () => {
  it('a hook with the cache does what it does without it, across rule changes between packets', () => {
    resetWalkCacheCounts();
    const bodyPool = [...EXTRAS.map((e) => `${e} -j ACCEPT`), '-p tcp -m tcp --dport 80 -j DROP', '-m mark --mark 0x1/0x1 -j RETURN', '-s 10.0.0.0/8 -j Y', '-j Z', '-j LOG --log-prefix "q "', '-d 10.0.0.2/32 -j REJECT'];
    // A few packets per run, sent again and again with other source ports between changes.
    const sends = fc.array(fc.tuple(fc.nat(), fc.constantFrom(1000, 1001, 2000, 3000)), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(rulesetArb, fc.array(packetArb, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(fc.option(mutationArb, { freq: 3, nil: undefined }), sends), { minLength: 1, maxLength: 10 }), (rs, pool, steps) => {
        const text = restoreText(rs);
        const probe = createNetfilter();
        fc.pre(restore(probe, text, { noflush: true }).ok);
        const on = side(text);
        const off = side(text);
        for (const [m, packets] of steps) {
          if (m) {
            mutate(on, m, bodyPool, text);
            mutate(off, m, bodyPool, text);
          }
          for (const [i, sport] of packets) {
            const p = { ...pool[i % pool.length]!, sport };
            const packet: NfPacket = { src: p.src, dst: p.dst, protocol: p.protocol, mark: p.mark, length: 60 + p.sport % 7, sport: undefined, dport: undefined, tcpFlags: undefined, icmpType: undefined };
            if (p.protocol === 'icmp') packet.icmpType = 8;
            else {
              packet.sport = p.sport;
              packet.dport = p.dport;
              if (p.protocol === 'tcp') packet.tcpFlags = 'S';
            }
            const input = { hook: p.hook, packet, inIface: p.inIface, outIface: p.outIface, bridged: p.bridged, physInIface: p.bridged ? 'veth1' : undefined };
            on.env.now = off.env.now = on.env.now + 1;
            setWalkCache(true);
            const got = runHook(on.nf, on.ct, input, on.env);
            setWalkCache(false);
            const want = runHook(off.nf, off.ct, input, off.env);
            expect(JSON.stringify(got)).toBe(JSON.stringify(want));
            expect(counters(on.nf)).toEqual(counters(off.nf));
          }
        }
        expect(on.nf.recent).toEqual(off.nf.recent);
      }),
      { numRuns: 300 },
    );
    // Not vacuous: walks were replayed, and recorded ones were found stale after changes.
    let hits = 0;
    let stale = 0;
    for (const c of walkCacheCounts().values()) {
      hits += c.hits;
      stale += c.stale;
    }
    expect(hits).toBeGreaterThan(500);
    expect(stale).toBeGreaterThan(20);
  });

  /** A FORWARD hook over `rules` (filter table) with a packet from `src`, cache on; and the same with it off. */
  function pair(rules: string) {
    const make = () => {
      const nf = createNetfilter();
      expect(restore(nf, `*filter\n:Z - [0:0]\n${rules}\nCOMMIT\n`, { noflush: true })).toEqual({ ok: true });
      setIpset(nf, 'S', 'hash:ip', ['10.0.0.1']);
      return { nf, ct: createConntrack() };
    };
    const sides = [make(), make()] as const;
    const env: HookEnv = { isLocal: () => false, primaryAddress: () => undefined, rng: createRng(1, 't'), now: 0 };
    let sport = 1000;
    const run = (src = '10.0.0.1') => {
      sport++;
      const input = { hook: 'FORWARD' as const, packet: { src, dst: '10.0.0.2', protocol: 'tcp' as const, sport, dport: 80, tcpFlags: 'S', mark: 0, length: 60 } };
      setWalkCache(true);
      const got = runHook(sides[0].nf, sides[0].ct, input, env);
      setWalkCache(false);
      const want = runHook(sides[1].nf, sides[1].ct, input, env);
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      expect(counters(sides[0].nf)).toEqual(counters(sides[1].nf));
      return got;
    };
    const both = (f: (nf: NetfilterState) => void) => sides.forEach((s) => f(s.nf));
    return { run, both };
  }

  it('sees a jump target chain deleted and created again (same chain count), and deleted', () => {
    const { run, both } = pair('-A FORWARD -j Z\n-A Z -j DROP');
    expect(run().verdict).toBe('DROP');
    expect(run().verdict).toBe('DROP');
    // As Calico's Felix does: deleted and created again, empty, between two packets.
    both((nf) => {
      getTable(nf, 'filter').chains.delete('Z');
      ensureChain(nf, 'filter', 'Z');
    });
    expect(run().verdict).toBe('ACCEPT');
    expect(run().evaluated.length).toBe(1);
    both((nf) => getTable(nf, 'filter').chains.delete('Z'));
    expect(run()).toMatchObject({ verdict: 'ACCEPT', unmodelled: ['-j Z'] });
  });

  it('keys on ipset membership, read afresh', () => {
    const { run, both } = pair('-A FORWARD -m set --match-set S src -j DROP');
    expect(run().verdict).toBe('DROP');
    expect(run('10.0.0.3').verdict).toBe('ACCEPT');
    both((nf) => setIpset(nf, 'S', 'hash:ip', ['10.0.0.3']));
    expect(run().verdict).toBe('ACCEPT');
    expect(run('10.0.0.3').verdict).toBe('DROP');
  });

  it('keeps at most MAX_LEAVES walks per table and hook, then starts again', () => {
    const { run } = pair('-A FORWARD -s 10.0.0.1/32 -j DROP');
    const src = (i: number) => `10.1.${i >> 8}.${i & 255}`;
    resetWalkCacheCounts();
    for (let i = 0; i < MAX_LEAVES; i++) run(src(i));
    expect(run(src(0)).verdict).toBe('ACCEPT');
    expect(walkCacheCounts().get('filter/FORWARD')).toMatchObject({ hits: 1, misses: MAX_LEAVES });
    run(src(MAX_LEAVES)); // one more: the tree is full, it starts again with this walk
    expect(run(src(0)).verdict).toBe('ACCEPT');
    expect(run(src(MAX_LEAVES)).verdict).toBe('ACCEPT');
    expect(walkCacheCounts().get('filter/FORWARD')).toMatchObject({ hits: 2, misses: MAX_LEAVES + 2 });
  });

  it('replays a walk through jumps and returns, and walks again after a rule of a user chain changes', () => {
    // The path: FORWARD 0 → X 0, 1 → back in FORWARD 1 → Y 0 (goto) → its end returns to
    // FORWARD's caller (the policy): spans of three chains, one chain entered twice.
    const { run, both } = pair('-A FORWARD -j Z\n-A FORWARD -s 10.9.0.0/16 -j ACCEPT\n-A FORWARD -g Z\n-A Z -d 10.9.9.9/32 -j DROP\n-A Z -p udp -j DROP');
    resetWalkCacheCounts();
    expect(run()).toMatchObject({ verdict: 'ACCEPT', evaluated: [{ index: 0 }, { index: 0 }, { index: 1 }, { index: 1 }, { index: 2 }, { index: 0 }, { index: 1 }] });
    expect(run().verdict).toBe('ACCEPT');
    expect(walkCacheCounts().get('filter/FORWARD')).toMatchObject({ hits: 1, misses: 1, stale: 0 });
    // The second rule of Z replaced by a copy of itself (same text, another object), then edited in place.
    both((nf) => {
      const z = getChain(nf, 'filter', 'Z')!.rules;
      z[1] = { ...z[1]! };
    });
    expect(run().verdict).toBe('ACCEPT');
    expect(walkCacheCounts().get('filter/FORWARD')).toMatchObject({ hits: 1, misses: 2, stale: 1 });
    expect(run().verdict).toBe('ACCEPT');
    both((nf) => {
      const r = getChain(nf, 'filter', 'Z')!.rules[1]!;
      r.protocol = { name: 'tcp', negate: false };
      delete r.text;
    });
    expect(run()).toMatchObject({ verdict: 'DROP', evaluated: [{ index: 0 }, { index: 0 }, { index: 1, matched: true }] });
    expect(walkCacheCounts().get('filter/FORWARD')).toMatchObject({ hits: 2, misses: 3, stale: 2 });
  });

  it('replays a repeated walk, and walks again after the rule it read is replaced', () => {
    const nf = createNetfilter();
    expect(restore(nf, '*filter\n-A FORWARD -p tcp -m tcp --dport 80 -j DROP\nCOMMIT\n', { noflush: true })).toEqual({ ok: true });
    const env: HookEnv = { isLocal: () => false, primaryAddress: () => undefined, rng: createRng(1, 't'), now: 0 };
    const ct = createConntrack();
    const run = (sport: number) => runHook(nf, ct, { hook: 'FORWARD', packet: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', sport, dport: 80, tcpFlags: 'S', mark: 0, length: 60 } }, env);
    resetWalkCacheCounts();
    expect(run(1000).verdict).toBe('DROP');
    expect(run(1001).verdict).toBe('DROP');
    expect(walkCacheCounts().get('filter/FORWARD')).toMatchObject({ hits: 1, misses: 1 });
    const rules = getChain(nf, 'filter', 'FORWARD')!.rules;
    rules[0] = { ...rules[0]!, target: { name: 'ACCEPT', options: [], parsed: null } };
    delete rules[0].text;
    expect(run(1002).verdict).toBe('ACCEPT');
    expect(walkCacheCounts().get('filter/FORWARD')).toMatchObject({ hits: 1, misses: 2, stale: 1 });
    expect(rules[0].packets).toBe(3);
  });
});
