/**
 * Wireshark as an oracle (DESIGN §6): a synthetic flannel VXLAN trace (TCP handshake and data,
 * DNS over VXLAN, an ICMP error quoting its datagram) and an IPIP packet on a LINKTYPE_IPV4
 * interface are written with `writePcapng` and decoded by tshark with checksum validation on.
 * Skips when /usr/bin/tshark is absent (install: `apt-get install -y tshark`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Header, Ipv4Header, Packet, TcpHeader } from '../datapath/packet';
import { utf8Encode } from './bytes';
import type { DnsMessage } from './dns';
import { dnsQuery } from './dns';
import type { EmitPacketOptions } from './packet-bytes';
import { emitPacket } from './packet-bytes';
import type { PcapngPacket } from './pcapng';
import { writePcapng } from './pcapng';

const TSHARK = '/usr/bin/tshark';
const hasTshark = existsSync(TSHARK);

const podA = '10.244.0.5';
const podB = '10.244.1.7';
const coredns = '10.244.1.3';

function outer(forward: boolean, id: number): Header[] {
  const [src, dst] = forward ? ['192.168.0.11', '192.168.0.12'] : ['192.168.0.12', '192.168.0.11'];
  const [smac, dmac] = forward
    ? ['52:54:00:00:00:11', '52:54:00:00:00:12']
    : ['52:54:00:00:00:12', '52:54:00:00:00:11'];
  const [vsrc, vdst] = forward
    ? ['0a:58:0a:f4:00:00', '0a:58:0a:f4:01:00']
    : ['0a:58:0a:f4:01:00', '0a:58:0a:f4:00:00'];
  return [
    { kind: 'eth', src: smac, dst: dmac, ethertype: 0x0800 },
    { kind: 'ipv4', src, dst, ttl: 64, protocol: 'udp', id, df: false },
    { kind: 'udp', sport: forward ? 41644 : 52011, dport: 8472 },
    { kind: 'vxlan', vni: 1 },
    { kind: 'eth', src: vsrc, dst: vdst, ethertype: 0x0800 },
  ];
}

function inner(src: string, dst: string, protocol: 'tcp' | 'udp' | 'icmp', id: number): Ipv4Header {
  return { kind: 'ipv4', src, dst, ttl: 63, protocol, id, df: true };
}

const http = utf8Encode('GET / HTTP/1.1\r\nHost: web\r\n\r\n');
const tcp = (flags: string, seq: number, ack: number, fwd: boolean, mss?: number): TcpHeader => ({
  kind: 'tcp',
  sport: fwd ? 43210 : 80,
  dport: fwd ? 80 : 43210,
  flags,
  seq,
  ack,
  windowSize: 64860,
  ...(mss ? { mss } : {}),
});

function vxlanTcp(
  fwd: boolean,
  n: number,
  t: TcpHeader,
  payload: Uint8Array = new Uint8Array(0),
): [Packet, EmitPacketOptions] {
  const [s, d] = fwd ? [podA, podB] : [podB, podA];
  return [
    {
      headers: [...outer(fwd, 100 + n), inner(s, d, 'tcp', 200 + n), t],
      payload: { length: payload.length, summary: '' },
    },
    { payload },
  ];
}

function dnsPackets(): [Packet, EmitPacketOptions][] {
  const q = dnsQuery(0x4d2, 'web.default.svc.cluster.local');
  const a: DnsMessage = {
    ...q,
    qr: true,
    aa: true,
    ra: true,
    answers: [
      {
        name: 'web.default.svc.cluster.local',
        class: 1,
        ttl: 30,
        type: 'A',
        address: '10.96.0.10',
      },
    ],
  };
  const udp = (fwd: boolean): Header => ({
    kind: 'udp',
    sport: fwd ? 36000 : 53,
    dport: fwd ? 53 : 36000,
  });
  return [
    [
      {
        headers: [...outer(true, 120), inner(podA, coredns, 'udp', 300), udp(true)],
        payload: { length: 0, summary: '' },
      },
      { dns: q },
    ],
    [
      {
        headers: [...outer(false, 121), inner(coredns, podA, 'udp', 301), udp(false)],
        payload: { length: 0, summary: '' },
      },
      { dns: a },
    ],
  ];
}

function timeExceeded(): [Packet, EmitPacketOptions] {
  const original: Packet = {
    headers: [inner(podA, '10.99.0.9', 'udp', 400), { kind: 'udp', sport: 33434, dport: 33435 }],
    payload: { length: 32, summary: '' },
  };
  const quote = emitPacket(original).subarray(0, 28);
  const headers: Header[] = [
    { kind: 'eth', src: '0a:58:0a:f4:00:01', dst: '0a:58:0a:f4:00:05', ethertype: 0x0800 },
    { kind: 'ipv4', src: '10.244.0.1', dst: podA, ttl: 64, protocol: 'icmp', id: 401, df: false },
    { kind: 'icmp', type: 11, code: 0, id: 0, seq: 0 },
  ];
  return [{ headers, payload: { length: quote.length, summary: '' } }, { payload: quote }];
}

function ipipPacket(): Packet {
  return {
    headers: [
      {
        kind: 'ipv4',
        src: '192.168.0.11',
        dst: '192.168.0.12',
        ttl: 64,
        protocol: 'ipip',
        id: 500,
        df: false,
      },
      inner(podA, podB, 'icmp', 501),
      { kind: 'icmp', type: 8, code: 0, id: 7, seq: 1 },
    ],
    payload: { length: 56, summary: '' },
  };
}

function trace(): PcapngPacket[] {
  const isn = [1_000_000, 2_000_000];
  const eth: [Packet, EmitPacketOptions][] = [
    vxlanTcp(true, 0, tcp('S', isn[0]!, 0, true, 1410)),
    vxlanTcp(false, 1, tcp('S.', isn[1]!, isn[0]! + 1, false, 1410)),
    vxlanTcp(true, 2, tcp('.', isn[0]! + 1, isn[1]! + 1, true)),
    vxlanTcp(true, 3, tcp('P.', isn[0]! + 1, isn[1]! + 1, true), http),
    vxlanTcp(false, 4, tcp('.', isn[1]! + 1, isn[0]! + 1 + http.length, false)),
    ...dnsPackets(),
    timeExceeded(),
  ];
  const packets: PcapngPacket[] = eth.map(([p, opts], i) => ({
    interfaceIndex: 0,
    timestampMicros: 1_700_000_000_000_000 + i * 100,
    bytes: emitPacket(p, opts),
    comment: `hop ${i + 1}`,
  }));
  packets.push({
    interfaceIndex: 1,
    timestampMicros: 1_700_000_000_001_000,
    bytes: emitPacket(ipipPacket()),
    comment: 'tunl0 encap',
  });
  return packets;
}

describe.skipIf(!hasTshark)('tshark decodes exported pcapng', () => {
  it('without malformed packets, expert errors or bad checksums', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hopscope-wire-'));
    try {
      const file = join(dir, 'trace.pcapng');
      writeFileSync(
        file,
        writePcapng(
          [
            { name: 'node-1/eth0', linktype: 'ethernet' },
            { name: 'node-1/tunl0', linktype: 'raw-ipv4' },
          ],
          trace(),
        ),
      );
      const fields = [
        'frame.number',
        'frame.interface_name',
        'frame.protocols',
        'ip.checksum.status',
        'udp.checksum.status',
        'tcp.checksum.status',
        'icmp.checksum.status',
        '_ws.malformed',
        '_ws.expert.severity',
        'frame.comment',
        'vxlan.vni',
        'dns.a',
      ];
      const out = execFileSync(
        TSHARK,
        [
          '-r',
          file,
          '-o',
          'udp.check_checksum:TRUE',
          '-o',
          'ip.check_checksum:TRUE',
          '-o',
          'tcp.check_checksum:TRUE',
          '-d',
          'udp.port==8472,vxlan',
          '-T',
          'fields',
          '-E',
          'separator=|',
          '-E',
          'occurrence=a',
          ...fields.flatMap((f) => ['-e', f]),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const rows = out
        .trim()
        .split('\n')
        .map((l) => Object.fromEntries(l.split('|').map((v, i) => [fields[i]!, v])));
      expect(rows).toHaveLength(9);
      for (const r of rows) {
        expect(r['_ws.malformed'], r['frame.number']).toBe('');
        // Wireshark checksum status: 0 bad, 1 good, 2 unverified. Every one we write must verify,
        // except the UDP header an ICMP error quotes: 8 bytes of it cannot be checked.
        const quoted = r['frame.number'] === '8' ? ['2'] : [];
        for (const f of [
          'ip.checksum.status',
          'udp.checksum.status',
          'tcp.checksum.status',
          'icmp.checksum.status',
        ]) {
          const notGood = r[f]!.split(',').filter((s) => s !== '' && s !== '1');
          expect(notGood, `${f} in frame ${r['frame.number']}`).toEqual(
            f === 'udp.checksum.status' ? quoted : [],
          );
        }
        // Expert severities: chat 0x200000, note 0x400000, warn 0x600000, error 0x800000.
        const worst = Math.max(
          0,
          ...r['_ws.expert.severity']!.split(',').filter(Boolean).map(Number),
        );
        expect(
          worst,
          `expert severity in frame ${r['frame.number']}: ${r['frame.protocols']}`,
        ).toBeLessThan(0x600000);
      }
      expect(rows[0]!['frame.protocols']).toBe('eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp');
      expect(rows[0]!['vxlan.vni']).toBe('1');
      expect(rows[3]!['frame.protocols']).toContain('vxlan:eth:ethertype:ip:tcp:http');
      expect(rows[6]!['dns.a']).toBe('10.96.0.10');
      expect(rows[7]!['frame.protocols']).toBe('eth:ethertype:ip:icmp:ip:udp');
      expect(rows[8]!['frame.protocols']).toBe('ip:ip:icmp:data');
      expect(rows[8]!['frame.interface_name']).toBe('node-1/tunl0');
      expect(rows[8]!['frame.comment']).toBe('tunl0 encap');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

if (!hasTshark)
  console.warn(`pcapng.tshark.test.ts: ${TSHARK} not found, Wireshark oracle skipped`);
