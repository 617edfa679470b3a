// The conntrack hash (numeric hash of the five key fields, chained slots) against the plain
// string-keyed Map it replaced: after any sequence of creations, NAT rewrites of the reply
// tuple and removals, every packet form finds the same entry and direction in both.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IpProtocol } from '../datapath/packet';
import type { NfPacket } from './types';
import type { ConntrackEntry, CtTuple } from './conntrack';
import { createConntrack, createEntry, lookupConntrack, removeConntrack, replyTupleTaken, setReplyTuple } from './conntrack';

type Ref = Map<string, { entry: ConntrackEntry; dir: 'original' | 'reply' }>;

const key = (p: IpProtocol, src: string, sport: number, dst: string, dport: number) => `${p} ${src} ${sport} ${dst} ${dport}`;

/** The reference: the six forms of an entry as string keys, set in order (a later one wins). */
function refKeys(e: ConntrackEntry): string[] {
  const p = e.protocol;
  const o = e.orig;
  const r = e.reply;
  return [key(p, o.src, o.sport, r.src, r.sport), key(p, r.src, r.sport, o.src, o.sport), key(p, r.dst, r.dport, r.src, r.sport), key(p, o.dst, o.dport, o.src, o.sport), key(p, o.src, o.sport, o.dst, o.dport), key(p, r.src, r.sport, r.dst, r.dport)];
}
function refIndex(ref: Ref, e: ConntrackEntry): void {
  refKeys(e).forEach((k, i) => ref.set(k, { entry: e, dir: i % 2 === 0 ? 'original' : 'reply' }));
}
function refUnindex(ref: Ref, e: ConntrackEntry): void {
  for (const k of refKeys(e)) if (ref.get(k)?.entry === e) ref.delete(k);
}

// Few addresses and ports, so forms collide and chains and overwrites are exercised.
const ip = fc.constantFrom('10.0.0.1', '10.0.0.2', '10.96.0.10', '192.168.0.12');
const port = fc.constantFrom(53, 80, 8080, 40000);
const proto = fc.constantFrom<IpProtocol>('tcp', 'udp', 'icmp');
const tuple = fc.record({ src: ip, sport: port, dst: ip, dport: port });
const op = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), proto, t: tuple }),
  fc.record({ kind: fc.constant('nat' as const), which: fc.nat(), t: tuple }),
  fc.record({ kind: fc.constant('remove' as const), which: fc.nat() }),
);

const packet = (protocol: IpProtocol, t: CtTuple): NfPacket => (protocol === 'icmp' ? { src: t.src, dst: t.dst, protocol, icmpId: t.sport, icmpType: 8, mark: 0, length: 84 } : { src: t.src, dst: t.dst, sport: t.sport, dport: t.dport, protocol, mark: 0, length: 60 });

describe('the conntrack hash', () => {
  it('answers every lookup as the string-keyed Map does', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(fc.tuple(proto, tuple), { minLength: 20, maxLength: 20 }), (ops, probes) => {
        const ct = createConntrack();
        const ref: Ref = new Map();
        const live: ConntrackEntry[] = [];
        for (const o of ops) {
          if (o.kind === 'create') {
            const t = o.proto === 'icmp' ? { ...o.t, dport: o.t.sport } : o.t;
            const e = createEntry(ct, packet(o.proto, t), 0);
            refIndex(ref, e);
            live.push(e);
          } else if (o.kind === 'nat' && live.length) {
            const e = live[o.which % live.length]!;
            refUnindex(ref, e);
            setReplyTuple(ct, e, { ...e.reply, ...o.t });
            refIndex(ref, e);
          } else if (o.kind === 'remove' && live.length) {
            const e = live.splice(o.which % live.length, 1)[0]!;
            refUnindex(ref, e);
            removeConntrack(ct, e);
          }
        }
        const forms: [IpProtocol, CtTuple][] = [...probes];
        for (const e of live) forms.push([e.protocol, e.orig], [e.protocol, e.reply]);
        for (const [p, t] of forms) {
          const tt = p === 'icmp' ? { ...t, dport: t.sport } : t;
          const want = ref.get(key(p, tt.src, tt.sport, tt.dst, tt.dport));
          const got = lookupConntrack(ct, packet(p, tt), 0);
          expect(got?.entry).toBe(want?.entry);
          expect(got?.dir).toBe(want?.dir);
          if (live[0]) expect(replyTupleTaken(ct, p, tt, live[0])).toBe(want !== undefined && want.entry !== live[0] && want.dir === 'reply');
        }
        if (!live.length) expect(ct.index.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('answers the same after the bucket array grew (hundreds of entries), and counts one slot per key', () => {
    // Wide address and port ranges: most forms are distinct keys, so the index passes several
    // doublings; removals in between leave chains relinked by an earlier growth.
    const wideIp = fc.integer({ min: 1, max: 250 }).map((n) => `10.244.${n % 7}.${n}`);
    const widePort = fc.integer({ min: 1, max: 65535 });
    const wide = fc.record({ src: wideIp, sport: widePort, dst: wideIp, dport: widePort });
    fc.assert(
      fc.property(fc.array(fc.tuple(proto, wide, fc.boolean(), fc.option(wide)), { minLength: 150, maxLength: 400 }), (ops) => {
        const ct = createConntrack();
        const ref: Ref = new Map();
        const live: ConntrackEntry[] = [];
        ops.forEach(([p, t0, remove, nat], i) => {
          const t = p === 'icmp' ? { ...t0, dport: t0.sport } : t0;
          // Looked up before and after each change: the lookup's memory of its last answer
          // must not outlive a change of the index.
          const probe = () => {
            const want = ref.get(key(p, t.src, t.sport, t.dst, t.dport));
            const got = lookupConntrack(ct, packet(p, t), 0);
            expect(got?.entry).toBe(want?.entry);
            expect(got?.dir).toBe(want?.dir);
          };
          probe();
          const e = createEntry(ct, packet(p, t), 0);
          refIndex(ref, e);
          live.push(e);
          probe();
          if (nat) {
            refUnindex(ref, e);
            setReplyTuple(ct, e, { ...e.reply, ...nat });
            refIndex(ref, e);
          }
          if (remove && live.length > 1) {
            const gone = live.splice((i * 7) % live.length, 1)[0]!;
            refUnindex(ref, gone);
            removeConntrack(ct, gone);
          }
          probe();
        });
        expect(ct.index.size).toBe(ref.size);
        for (const e of live)
          for (const t of [e.orig, e.reply]) {
            const tt = e.protocol === 'icmp' ? { ...t, dport: t.sport } : t;
            const want = ref.get(key(e.protocol, tt.src, tt.sport, tt.dst, tt.dport));
            const got = lookupConntrack(ct, packet(e.protocol, tt), 0);
            expect(got?.entry).toBe(want?.entry);
            expect(got?.dir).toBe(want?.dir);
          }
        for (const e of [...live]) removeConntrack(ct, e);
        expect(ct.index.size).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('answers the lookup right after a creation as a fresh lookup does (the creation primes the lookup memory)', () => {
    // Each creation is followed by a lookup of its own tuple (the packet at its next hook), then
    // of its reply, then of the tuple again; few addresses and ports, so a tuple is often its
    // own inverse (then the reply form is the one the key finds) or an earlier entry's form.
    fc.assert(
      fc.property(fc.array(fc.tuple(proto, tuple), { minLength: 1, maxLength: 30 }), (ops) => {
        const ct = createConntrack();
        const ref: Ref = new Map();
        for (const [p, t0] of ops) {
          const t = p === 'icmp' ? { ...t0, dport: t0.sport } : t0;
          const e = createEntry(ct, packet(p, t), 0);
          refIndex(ref, e);
          for (const u of [t, { src: t.dst, sport: t.dport, dst: t.src, dport: t.sport }, t]) {
            const want = ref.get(key(p, u.src, u.sport, u.dst, u.dport));
            const got = lookupConntrack(ct, packet(p, u), 0);
            expect(got?.entry).toBe(want?.entry);
            expect(got?.dir).toBe(want?.dir);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
