import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DnsRecord } from '../wire/dns-rdata';
import type { DnsMessage } from '../wire/dns';
import { dnsQuery, emitDns } from '../wire/dns';
import { fitReply, replyBudget, uncompressedLength } from './truncation';

const NAME = 'web-headless.default.svc.cluster.local';

/** A headless Service's answer: one A record per ready endpoint, as CoreDNS's kubernetes plugin builds it. */
function headless(n: number, name = NAME): DnsMessage {
  const answers: DnsRecord[] = Array.from({ length: n }, (_, i) => ({ name, class: 1, ttl: 30, type: 'A', address: `10.244.${i % 2}.${4 + Math.floor(i / 2)}` }));
  return { ...dnsQuery(4660, name), qr: true, aa: true, answers };
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

  it('dig advertises 1232 bytes: all 40 fit once compressed (707 bytes with the OPT record), no TC; 73 do not', () => {
    const all = fitReply(headless(40), { protocol: 'udp', ednsSize: 1232 });
    expect(all.answers).toHaveLength(40);
    expect(all.tc).toBe(false);
    expect(emitDns(all).length + 11).toBe(707);
    const big = fitReply(headless(73), { protocol: 'udp', ednsSize: 1232 });
    expect([big.answers.length, big.tc]).toEqual([72, true]);
  });

  it('a reply that fits uncompressed is sent untouched; over TCP nothing is cut', () => {
    const small = headless(5);
    expect(uncompressedLength(small)).toBe(12 + 44 + 5 * 54);
    expect(fitReply(small, { protocol: 'udp' })).toBe(small);
    expect(fitReply(headless(40), { protocol: 'tcp' }).answers).toHaveLength(40);
  });

  it('keeps the longest prefix that fits, never more (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.constantFrom(undefined, 512, 1232, 4096), (n, ednsSize) => {
        const m = headless(n);
        const cut = fitReply(m, { protocol: 'udp', ...(ednsSize !== undefined ? { ednsSize } : {}) });
        const opt = ednsSize !== undefined ? 11 : 0;
        const budget = Math.max(ednsSize ?? 0, 512);
        expect(cut.answers).toEqual(m.answers.slice(0, cut.answers.length));
        expect(emitDns(cut).length + opt).toBeLessThanOrEqual(budget);
        expect(cut.tc).toBe(cut.answers.length < n);
        if (cut.tc) expect(emitDns({ ...cut, answers: m.answers.slice(0, cut.answers.length + 1) }).length + opt).toBeGreaterThan(budget);
      }),
      { numRuns: 40 },
    );
  });
});
