import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DnsRecord } from '../wire/dns-rdata';
import type { DnsMessage } from '../wire/dns';
import { dnsQuery, emitDns } from '../wire/dns';
import { fitReply, replyBudget, uncompressedLength } from './truncation';
import { optRecord } from './edns';

const NAME = 'web-headless.default.svc.cluster.local';

/**
 * A headless Service's answer: one A record per ready endpoint, as CoreDNS's kubernetes plugin
 * builds it, with the OPT record CoreDNS echoes when the query advertised `ednsSize`.
 */
function headless(n: number, ednsSize?: number, name = NAME): DnsMessage {
  const answers: DnsRecord[] = Array.from({ length: n }, (_, i) => ({ name, class: 1, ttl: 30, type: 'A', address: `10.244.${i % 2}.${4 + Math.floor(i / 2)}` }));
  return { ...dnsQuery(4660, name), qr: true, aa: true, answers, additional: ednsSize !== undefined ? [optRecord(ednsSize)] : [] };
}

describe('fitting a reply into the client buffer (CoreDNS ScrubWriter, miekg/dns Msg.Truncate)', () => {
  it('budgets 512 without EDNS, the OPT size (at least 512) with it, 65535 over TCP', () => {
    expect(replyBudget({ protocol: 'udp' })).toBe(512);
    expect(replyBudget({ protocol: 'udp', ednsSize: 1232 })).toBe(1232);
    expect(replyBudget({ protocol: 'udp', ednsSize: 100 })).toBe(512);
    expect(replyBudget({ protocol: 'tcp' })).toBe(65535);
  });

  it('40 ready endpoints: a query without EDNS gets the 28 A records that fit 512 bytes compressed, with TC', () => {
    const cut = fitReply(headless(40), { protocol: 'udp' });
    // 12 header + 44 question + 28 × 16 (pointer, type, class, TTL, length, address) = 504; a 29th makes 520.
    expect(cut.answers).toHaveLength(28);
    expect(cut.tc).toBe(true);
    expect(emitDns(cut).length).toBe(504);
  });

  it('dig advertises 1232 bytes: all 40 fit once compressed (707 bytes with the OPT record, kept last), no TC; 73 do not', () => {
    const all = fitReply(headless(40, 1232), { protocol: 'udp', ednsSize: 1232 });
    expect(all.answers).toHaveLength(40);
    expect(all.tc).toBe(false);
    expect(emitDns(all).length).toBe(707);
    const big = fitReply(headless(73, 1232), { protocol: 'udp', ednsSize: 1232 });
    expect([big.answers.length, big.tc]).toEqual([72, true]);
    expect(big.additional).toEqual([optRecord(1232)]);
  });

  it('a reply that fits uncompressed is sent uncompressed (miekg/dns Truncate: Compress=false), whole', () => {
    const small = headless(5);
    expect(uncompressedLength(small)).toBe(12 + 44 + 5 * 54);
    const sent = fitReply(small, { protocol: 'udp' });
    expect(sent).toEqual({ ...small, compress: false });
    // No pointer at all: 5 owner names written in full, not 5 two-byte pointers.
    expect(emitDns(sent).length).toBe(12 + 44 + 5 * 54);
    expect(emitDns(small).length).toBe(12 + 44 + 5 * 16);
  });

  it('over TCP nothing is cut nor compressed; over UDP a reply above 1480 bytes (1220 for IPv6) is compressed even when it fits', () => {
    const tcp = fitReply(headless(40), { protocol: 'tcp' });
    expect([tcp.answers.length, tcp.compress, emitDns(tcp).length]).toEqual([40, false, 12 + 44 + 40 * 54]);
    // 12 + 44 + 26 × 54 + 11 = 1471 fits 4096 and stays under 1480: uncompressed.
    expect(fitReply(headless(26, 4096), { protocol: 'udp', ednsSize: 4096 }).compress).toBe(false);
    // 27 records make 1525 bytes: compressed (request.Scrub's last-ditch attempt against fragmentation).
    expect(fitReply(headless(27, 4096), { protocol: 'udp', ednsSize: 4096 }).compress).toBe(true);
    expect(fitReply(headless(22, 4096), { protocol: 'udp', ednsSize: 4096, ipv6: true }).compress).toBe(true);
    expect(fitReply(headless(21, 4096), { protocol: 'udp', ednsSize: 4096, ipv6: true }).compress).toBe(false);
  });

  it('keeps the longest prefix that fits, never more (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.constantFrom(undefined, 512, 1232, 4096), (n, ednsSize) => {
        const m = headless(n, ednsSize);
        const cut = fitReply(m, { protocol: 'udp', ...(ednsSize !== undefined ? { ednsSize } : {}) });
        const budget = Math.max(ednsSize ?? 0, 512);
        expect(cut.answers).toEqual(m.answers.slice(0, cut.answers.length));
        expect(cut.additional).toEqual(m.additional);
        expect(emitDns(cut).length).toBeLessThanOrEqual(budget);
        expect(cut.tc).toBe(cut.answers.length < n);
        // Uncompressed exactly when the whole reply fits so (and stays under the fragmentation limit).
        expect(cut.compress).toBe(uncompressedLength(m) > Math.min(budget, 1480));
        if (cut.tc) expect(emitDns({ ...cut, answers: m.answers.slice(0, cut.answers.length + 1) }).length).toBeGreaterThan(budget);
      }),
      { numRuns: 40 },
    );
  });
});
