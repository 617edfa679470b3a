import { describe, expect, it } from 'vitest';
import { crc32c, emitSctp, parseSctp } from './sctp';
import { emitPacket, parsePacket } from './packet-bytes';
import type { Packet } from '../datapath/packet';

describe('sctp', () => {
  it('CRC32c matches the standard check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('emits and parses INIT, INIT ACK and ABORT with a verified checksum', () => {
    for (const chunk of ['INIT', 'INIT_ACK', 'ABORT'] as const) {
      const h = { kind: 'sctp' as const, sport: 40000, dport: 80, vtag: chunk === 'INIT' ? 0 : 12345, chunk };
      const bytes = emitSctp(h);
      const r = parseSctp(bytes);
      expect(r.ok && r.header).toEqual(h);
      bytes[13] = (bytes[13] ?? 0) ^ 1; // corrupt the chunk flags
      expect(parseSctp(bytes).ok).toBe(false);
    }
  });

  it('round-trips inside IPv4 (protocol 132)', () => {
    const p: Packet = {
      headers: [
        { kind: 'ipv4', src: '10.244.0.2', dst: '10.244.1.2', ttl: 64, protocol: 'sctp', id: 7, df: true },
        { kind: 'sctp', sport: 40000, dport: 80, vtag: 0, chunk: 'INIT' },
      ],
      payload: { length: 0, summary: '' },
    };
    const r = parsePacket(emitPacket(p), 'ipv4');
    expect(r.ok && r.packet.headers).toEqual(p.headers);
  });
});
