// Expired conntrack entries are freed as the kernel's gc_worker frees them, by a sweep as new
// connections come, so the table holds about the live connections only. Nothing a reader can
// see changes: only entries already expired at `now` go, never one still in flight.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConntrackEntry, ConntrackTable } from './conntrack';
import { confirmEntry, createConntrack, createEntry, lookupConntrack, removeConntrack, renderConntrack } from './conntrack';
import type { NfPacket } from './types';

const udp = (src: string, sport: number, dst: string, dport: number): NfPacket => ({ src, dst, sport, dport, protocol: 'udp', mark: 0, length: 40 });

/** A confirmed, unreplied UDP entry created at `now` (it lives 30 s: expires = now + 30). */
function udpEntry(ct: ConntrackTable, sport: number, now: number): ConntrackEntry {
  const e = createEntry(ct, udp('10.0.0.1', sport, '10.0.0.2', 53), now);
  confirmEntry(e);
  return e;
}

describe('conntrack garbage collection (gc_worker)', () => {
  it('holds about the live connections only, one new connection a second for an hour', () => {
    const ct = createConntrack();
    let most = 0;
    for (let now = 0; now < 3600; now++) {
      udpEntry(ct, 10000 + now, now);
      most = Math.max(most, ct.entries.size);
    }
    // 31 are live at any time (created in the last 30 s, or at `now - 30` and expiring at `now`);
    // the sweep lets an expired one linger for about one pass over the table.
    expect(most).toBeLessThan(2 * 31);
    // What is left is what `conntrack -L` shows, plus entries expired but not yet swept.
    const listed = renderConntrack(ct, 3599).split('\n').filter(Boolean).length;
    expect(listed).toBe(30);
    for (const e of ct.entries.values()) expect(e.expires).toBeGreaterThan(3599 - 2 * 31);
    // Freed entries leave the hash too: two keys (original and reply) per entry held.
    expect(ct.index.size).toBe(2 * ct.entries.size);
  });

  it('never frees an unconfirmed entry: it belongs to a packet still on its way', () => {
    const ct = createConntrack();
    const inFlight = createEntry(ct, udp('10.0.0.9', 9999, '10.0.0.2', 53), 0);
    for (let now = 100; now < 200; now++) udpEntry(ct, 10000 + now, now);
    expect(ct.entries.get(inFlight.id)).toBe(inFlight);
    expect(lookupConntrack(ct, udp('10.0.0.9', 9999, '10.0.0.2', 53), 200)?.entry).toBe(inFlight);
  });

  it('never frees an entry that expires at `now`: it still serves the rest of its packet’s hooks', () => {
    const ct = createConntrack();
    const dying = udpEntry(ct, 9999, 0);
    dying.expires = 100; // killed at 100 (a RST on a never-assured connection sets expires = now)
    for (let i = 0; i < 50; i++) udpEntry(ct, 10000 + i, 100);
    expect(ct.entries.get(dying.id)).toBe(dying);
    expect(lookupConntrack(ct, udp('10.0.0.1', 9999, '10.0.0.2', 53), 100)?.entry).toBe(dying);
    // One second later it is gone for every reader, and the next new connections free it.
    for (let i = 0; i < 50; i++) udpEntry(ct, 20000 + i, 101);
    expect(ct.entries.get(dying.id)).toBeUndefined();
  });
});

// The sweep against what it must leave unchanged: after any sequence of new connections,
// confirmations, refreshes, removals and clock steps, the table still holds every entry a reader
// can see (unconfirmed, or expiring at `now` or later), the index holds exactly the table, and a
// bounded number of new connections frees every expired entry. A faster sweep (an expiry queue,
// an array pass) must pass this as the Map-iterator sweep does.
describe('the sweep, property', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), confirm: fc.boolean(), ttl: fc.constantFrom(0, 1, 5, 30, 600) }),
    fc.record({ kind: fc.constant('refresh' as const), which: fc.nat(), ttl: fc.constantFrom(0, 3, 60) }),
    fc.record({ kind: fc.constant('remove' as const), which: fc.nat() }),
    fc.record({ kind: fc.constant('tick' as const), by: fc.constantFrom(1, 2, 10) }),
  );
  it('frees expired entries only, and all of them within a bounded lag', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const ct = createConntrack();
        const made: ConntrackEntry[] = [];
        const removed = new Set<ConntrackEntry>();
        let now = 0;
        let port = 1;
        for (const o of ops) {
          if (o.kind === 'create') {
            const e = createEntry(ct, udp('10.0.0.1', port++, '10.0.0.2', 53), now);
            e.expires = now + o.ttl;
            if (o.confirm) confirmEntry(e);
            made.push(e);
          } else if (o.kind === 'refresh' && made.length) {
            const e = made[o.which % made.length]!;
            if (!removed.has(e) && e.expires >= now) e.expires = now + o.ttl;
          } else if (o.kind === 'remove' && made.length) {
            const e = made[o.which % made.length]!;
            if (!removed.has(e)) {
              removeConntrack(ct, e);
              removed.add(e);
            }
          } else if (o.kind === 'tick') now += o.by;
          for (const e of made) {
            const held = ct.entries.get(e.id) === e;
            // A reader sees it: it must still be there (unless removed on purpose).
            if (!removed.has(e) && (!e.confirmed || e.expires >= now)) expect(held).toBe(true);
            if (removed.has(e)) expect(held).toBe(false);
          }
        }
        // Freed entries left the hash too: two keys (original and reply) per entry held.
        expect(ct.index.size).toBe(2 * ct.entries.size);
        // The lag bound: as many new connections as the table holds (each sweeps 4 entries, and
        // each adds one) make the sweep look at every entry it held, freeing every expired one.
        const held = ct.entries.size;
        now += 1;
        for (let i = 0; i < held + 2; i++) confirmEntry(createEntry(ct, udp('10.0.0.3', port++, '10.0.0.2', 53), now));
        for (const e of ct.entries.values()) if (e.confirmed) expect(e.expires).toBeGreaterThanOrEqual(now);
      }),
      { numRuns: 300 },
    );
  });
});
