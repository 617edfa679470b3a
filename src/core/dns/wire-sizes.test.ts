/**
 * The bytes CoreDNS and its clients put on the wire, checked against sizes real ones printed:
 * - CoreDNS's log in kubernetes/kubernetes#72826 (a glibc pod, no EDNS): "A IN
 *   kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR 106 bytes, "A IN
 *   kubernetes.default.default.svc.cluster.local. udp 62" NXDOMAIN 155, "PTR IN
 *   10.0.96.10.in-addr.arpa. udp 41" NOERROR 116 — every reply uncompressed (request.Scrub);
 * - dig 9.18's query: AD set, OPT udp 1232 with an 8-byte client COOKIE (fixtures/frames
 *   dns-query-a, a capture of the real dig: 70 bytes for web.default.svc.cluster.local).
 */
import { describe, expect, it } from 'vitest';
import { cluster } from '../testing/cluster';
import { resolveSource } from '../simulate/refs';
import type { QueryTransport } from '../simulate/dns-flows';
import { lookupWithFlows, queryWithFlows } from '../simulate/dns-flows';
import { emitDns, parseDns } from '../wire/dns';
import { EDNS_OPTION, optOf, optOptions, optRecord } from './edns';

const service = (name: string, spec: object) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });

function setup() {
  const c = cluster()
    .dns()
    .cni('flannel', { backend: 'vxlan' })
    .pod('client', { node: 'node-1' })
    .raw(service('ext', { type: 'ExternalName', externalName: 'example.com' }))
    .build();
  const src = resolveSource(c.model, 'pod/default/client');
  if (!src.ok) throw new Error(src.error);
  return { model: c.model, src: src.value };
}

const DIG: QueryTransport = { protocol: 'udp', port: 53, qclass: 1, ednsSize: 1232, ednsOptions: [{ code: EDNS_OPTION.cookie, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }], ad: true };

describe('DNS messages on the wire, as CoreDNS and its clients write them', () => {
  it('glibc without EDNS: the replies CoreDNS logged in kubernetes#72826 (106, 155, 116 bytes), uncompressed', () => {
    const { model, src } = setup();
    const sizes = (name: string, type: string) => {
      const e = queryWithFlows(model, src, '10.96.0.10', name, type, { index: 0 });
      return [emitDns(e.query).length, e.reply ? emitDns(e.reply).length : 0];
    };
    expect(sizes('kubernetes.default.svc.cluster.local.', 'A')).toEqual([54, 106]);
    expect(sizes('kubernetes.default.default.svc.cluster.local.', 'A')).toEqual([62, 155]);
    expect(sizes('10.0.96.10.in-addr.arpa.', 'PTR')).toEqual([41, 116]);
  });

  it('a trace carries those sizes in its packets (payload length and tcpdump summary)', () => {
    const { model, src } = setup();
    const l = lookupWithFlows(model, src, 'kubernetes', { index: 0 });
    const answered = l.exchanges.find((e) => e.reply?.answers.length)!;
    const delivered = answered.flow.reply!.hops[answered.flow.reply!.hops.length - 1]!.packet.payload;
    expect(delivered.length).toBe(106);
    expect(delivered.summary).toMatch(/ \(106\)$/);
  });

  it("dig's query: AD, OPT udp 1232 with its 8-byte cookie (70 bytes for web.default.svc.cluster.local, as captured)", () => {
    const { model, src } = setup();
    const e = queryWithFlows(model, src, '10.96.0.10', 'web.default.svc.cluster.local.', 'A', { index: 0, transport: DIG });
    expect(e.query.ad).toBe(true);
    expect(emitDns(e.query).length).toBe(70);
    expect(optOf(e.query)).toEqual(optRecord(1232, DIG.ednsOptions));
  });

  it('CoreDNS echoes the OPT record with the client cookie alone, and still sends the reply uncompressed', () => {
    const { model, src } = setup();
    const e = queryWithFlows(model, src, '10.96.0.10', 'kubernetes.default.svc.cluster.local.', 'A', { index: 0, transport: DIG });
    const reply = e.reply!;
    expect(reply.ad).toBe(false);
    const opt = optOf(reply)!;
    expect(opt.class).toBe(1232);
    expect(optOptions(opt)).toEqual(DIG.ednsOptions);
    // 106 as above, plus the OPT record: 11 bytes and a 12-byte COOKIE option.
    expect(emitDns(reply).length).toBe(106 + 23);
    // The bytes parse back to the same message (the OPT record last in ADDITIONAL).
    const back = parseDns(emitDns(reply));
    expect(back.ok && back.header.additional).toEqual(reply.additional);
  });

  it('an ExternalName CNAME reply (CNAME + the target’s A, chased upstream) is uncompressed too', () => {
    const { model, src } = setup();
    const e = queryWithFlows(model, src, '10.96.0.10', 'ext.default.svc.cluster.local.', 'A', { index: 0 });
    // 12 + question 35 + CNAME (31 + 10 + 13) + A (13 + 10 + 4).
    expect(emitDns(e.reply!).length).toBe(12 + 35 + 54 + 27);
  });

  it('the upstream resolver compresses, answers EDNS with its own size and a server cookie; CoreDNS passes that on at the client’s size', () => {
    const { model, src } = setup();
    const e = queryWithFlows(model, src, '10.96.0.10', 'www.example.com.', 'A', { index: 0, transport: { ...DIG, ednsSize: 4000 } });
    const upstream = e.forwards[0]!.reply!;
    expect(upstream.compress).toBe(true);
    expect(optOf(upstream)!.class).toBe(1232);
    const cookie = optOptions(optOf(upstream)!)[0]!;
    expect([cookie.code, cookie.data.length, [...cookie.data.slice(0, 8)]]).toEqual([EDNS_OPTION.cookie, 24, [1, 2, 3, 4, 5, 6, 7, 8]]);
    const opt = optOf(e.reply!)!;
    expect(opt.class).toBe(4000);
    expect(optOptions(opt)).toEqual([cookie]);
    expect(e.reply!.compress).toBe(false);
  });
});
