import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToIpv4, fromHex } from './bytes';
import type { DnsMessage } from './dns';
import { dnsQuery, emitDns, formatDns, parseDns } from './dns';
import type { DnsRecord } from './dns-rdata';
import { bytesToIpv6, dnsTypeCode, dnsTypeName, ipv6ToBytes } from './dns-rdata';
import { decodeName, encodeName } from './dns-name';

function frame(name: string): Uint8Array {
  return fromHex(
    readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
  )!;
}

/** The DNS message of a captured frame: Ethernet 14 + IPv4 20 + UDP 8. */
function dnsOf(name: string): Uint8Array {
  return frame(name).subarray(42);
}

function parsed(name: string): DnsMessage {
  const r = parseDns(dnsOf(name));
  if (!r.ok) throw new Error(`${r.error.layer}: ${r.error.reason}`);
  expect(r.rest.length).toBe(0);
  return r.header;
}

const web = 'web.default.svc.cluster.local';
const rr = { class: 1, ttl: 0 };

describe('dns', () => {
  // Expected values as tshark shows them for the dig/dnsmasq exchange in fixtures/frames.
  it('parses the real query dig sent (RD, AD, EDNS OPT kept as raw bytes)', () => {
    const m = parsed('dns-query-a');
    expect(m).toMatchObject({
      id: 0x8f8c,
      qr: false,
      rd: true,
      ad: true,
      questions: [{ name: web, type: 'A', class: 1 }],
    });
    expect(m.additional).toEqual([
      { name: '', class: 1232, ttl: 0, type: 'OTHER', typeCode: 41, data: expect.any(Uint8Array) },
    ]);
    expect(formatDns(m, 70)).toBe(`36748+ [1au] A? ${web}. (70)`);
  });

  it.each([
    ['dns-response-a', [{ name: web, ...rr, type: 'A', address: '10.96.0.10' }]],
    ['dns-response-aaaa', [{ name: web, ...rr, type: 'AAAA', address: 'fd00:10:96::a' }]],
    [
      'dns-response-cname',
      [
        { name: `www.default.svc.cluster.local`, ...rr, type: 'CNAME', target: web },
        { name: web, ...rr, type: 'A', address: '10.96.0.10' },
      ],
    ],
    [
      'dns-response-srv',
      [
        {
          name: `_http._tcp.${web}`,
          ...rr,
          type: 'SRV',
          priority: 0,
          weight: 100,
          port: 80,
          target: web,
        },
      ],
    ],
    ['dns-response-ptr', [{ name: '10.0.96.10.in-addr.arpa', ...rr, type: 'PTR', target: web }]],
  ] as [string, DnsRecord[]][])('parses the real %s', (name, answers) => {
    const m = parsed(name);
    expect(m).toMatchObject({ qr: true, aa: true, ra: true, rcode: 0 });
    expect(m.answers).toEqual(answers);
  });

  it('parses the real NXDOMAIN response', () => {
    const m = parsed('dns-response-nxdomain');
    expect(m).toMatchObject({
      id: 0xb6ad,
      qr: true,
      rcode: 3,
      answers: [],
      questions: [{ name: `nope.default.svc.cluster.local` }],
    });
    expect(formatDns(m, 59)).toBe('46765 NXDomain 0/0/1 (59)');
  });

  it('re-emits real messages byte for byte where its compression choices match dnsmasq', () => {
    for (const name of [
      'dns-query-a',
      'dns-response-a',
      'dns-response-aaaa',
      'dns-response-ptr',
      'dns-response-nxdomain',
    ]) {
      expect(emitDns(parsed(name)), name).toEqual(dnsOf(name));
    }
  });

  it('re-emits the other real messages to the same content (dnsmasq never compresses inside RDATA; we compress CNAME targets)', () => {
    for (const name of ['dns-response-cname', 'dns-response-srv']) {
      const m = parsed(name);
      const again = emitDns(m);
      expect(again.length).toBeLessThanOrEqual(dnsOf(name).length);
      expect(parseDns(again)).toMatchObject({ ok: true, header: m });
    }
  });

  it('formats responses like tcpdump', () => {
    expect(formatDns(parsed('dns-response-a'), 74)).toBe('36748* 1/0/1 A 10.96.0.10 (74)');
    expect(formatDns(parsed('dns-response-cname'))).toBe(`4903* 2/0/1 CNAME ${web}., A 10.96.0.10`);
    expect(formatDns(parsed('dns-response-srv'))).toBe(`30421* 1/0/3 SRV ${web}.:80 0 100`);
  });

  it('writes and reads SOA records, as CoreDNS puts in NXDOMAIN authority sections', () => {
    const soa: DnsRecord = {
      name: 'cluster.local',
      class: 1,
      ttl: 30,
      type: 'SOA',
      mname: 'ns.dns.cluster.local',
      rname: 'hostmaster.cluster.local',
      serial: 1700000000,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: 30,
    };
    const m: DnsMessage = {
      ...dnsQuery(7, 'nope.default.svc.cluster.local'),
      qr: true,
      aa: true,
      rcode: 3,
      authority: [soa],
    };
    expect(parseDns(emitDns(m))).toMatchObject({ ok: true, header: m });
    expect(formatDns(m)).toBe('7 NXDomain*- 0/1/0');
  });

  const label = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
  const name = fc.array(label, { maxLength: 5 }).map((ls) => ls.join('.'));
  const ip4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => bytesToIpv4(b));
  const ip6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => bytesToIpv6(b));
  const u32 = fc.nat({ max: 0xffffffff });
  const u16 = fc.integer({ min: 0, max: 0xffff });
  const record: fc.Arbitrary<DnsRecord> = fc.oneof(
    fc.record({ name, class: u16, ttl: u32, type: fc.constant('A' as const), address: ip4 }),
    fc.record({ name, class: u16, ttl: u32, type: fc.constant('AAAA' as const), address: ip6 }),
    fc.record({
      name,
      class: u16,
      ttl: u32,
      type: fc.constantFrom('CNAME' as const, 'PTR' as const, 'NS' as const),
      target: name,
    }),
    fc.record({
      name,
      class: u16,
      ttl: u32,
      type: fc.constant('SRV' as const),
      priority: u16,
      weight: u16,
      port: u16,
      target: name,
    }),
    fc.record({
      name,
      class: u16,
      ttl: u32,
      type: fc.constant('OTHER' as const),
      typeCode: fc.constantFrom(16, 41, 65, 99),
      data: fc.uint8Array({ maxLength: 20 }),
    }),
  );
  const message: fc.Arbitrary<DnsMessage> = fc.record({
    id: u16,
    qr: fc.boolean(),
    opcode: fc.integer({ min: 0, max: 15 }),
    aa: fc.boolean(),
    tc: fc.boolean(),
    rd: fc.boolean(),
    ra: fc.boolean(),
    ad: fc.boolean(),
    cd: fc.boolean(),
    rcode: fc.integer({ min: 0, max: 15 }),
    questions: fc.array(
      fc.record({ name, type: fc.constantFrom('A', 'AAAA', 'SRV', 'PTR', 'TYPE65'), class: u16 }),
      { maxLength: 2 },
    ),
    answers: fc.array(record, { maxLength: 4 }),
    authority: fc.array(record, { maxLength: 2 }),
    additional: fc.array(record, { maxLength: 2 }),
  });

  it('round-trips any message, compressed', () => {
    fc.assert(
      fc.property(message, (m) => {
        const r = parseDns(emitDns(m));
        const normalise = (x: DnsMessage): DnsMessage => ({
          ...x,
          questions: x.questions.map((q) => ({ ...q, type: dnsTypeName(dnsTypeCode(q.type)) })),
        });
        expect(r.ok && r.header).toEqual(normalise(m));
      }),
    );
  });

  it('never throws on arbitrary or truncated bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(() => parseDns(b)).not.toThrow();
      }),
    );
    const real = dnsOf('dns-response-srv');
    for (let n = 0; n < real.length; n++) expect(parseDns(real.subarray(0, n)).ok).toBe(false);
  });

  it('rejects compression loops and forward pointers', () => {
    const loop = Uint8Array.of(...new Uint8Array(12), 0xc0, 12);
    loop[5] = 1; // one question whose name points at itself
    expect(parseDns(loop)).toMatchObject({
      ok: false,
      error: { reason: 'compression pointer does not point back' },
    });
    expect(decodeName(Uint8Array.of(0xc0, 5, 0, 0, 0, 0), 0)).toMatchObject({ layer: 'dns' });
  });

  it('handles names in presentation format', () => {
    const table = new Map<string, number>();
    const first = encodeName('a\\.b.example', 0, table);
    expect(decodeName(Uint8Array.from(first), 0)).toEqual({
      name: 'a\\.b.example',
      next: first.length,
    });
    const second = encodeName('www.EXAMPLE', first.length, table);
    expect(second).toEqual([3, 119, 119, 119, 0xc0, 4]); // "example" starts after the 4-byte label "a.b"
    expect(encodeName('.', 0)).toEqual([0]);
    expect(encodeName('a.b.', 0)).toEqual(encodeName('a.b', 0));
  });

  it('converts IPv6 text as RFC 5952 says', () => {
    expect(bytesToIpv6(ipv6ToBytes('fd00:10:96::a'))).toBe('fd00:10:96::a');
    expect(bytesToIpv6(ipv6ToBytes('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(bytesToIpv6(ipv6ToBytes('::ffff:10.0.0.1'))).toBe('::ffff:a00:1');
    expect(bytesToIpv6(ipv6ToBytes('::'))).toBe('::');
    expect(bytesToIpv6(ipv6ToBytes('1:2:3:4:5:6:7:0'))).toBe('1:2:3:4:5:6:7:0');
    expect([...ipv6ToBytes('not::an::address')]).toEqual(new Array(16).fill(0));
  });
});
