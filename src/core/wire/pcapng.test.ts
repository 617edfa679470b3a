import { describe, expect, it } from 'vitest';
import { writePcapng } from './pcapng';

interface Block {
  type: number;
  body: DataView;
}

/** Independent reader: splits a little-endian pcapng file into blocks, checking both lengths. */
function readBlocks(file: Uint8Array): Block[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const blocks: Block[] = [];
  for (let at = 0; at < file.length;) {
    const len = v.getUint32(at + 4, true);
    expect(len % 4).toBe(0);
    expect(v.getUint32(at + len - 4, true)).toBe(len);
    blocks.push({
      type: v.getUint32(at, true),
      body: new DataView(file.buffer, file.byteOffset + at + 8, len - 12),
    });
    at += len;
  }
  return blocks;
}

/** Options from `at` in a block body: code → UTF-8/bytes. */
function readOptions(body: DataView, at: number): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  while (at + 4 <= body.byteLength) {
    const code = body.getUint16(at, true);
    const len = body.getUint16(at + 2, true);
    if (code === 0) break;
    out.set(code, new Uint8Array(body.buffer, body.byteOffset + at + 4, len));
    at += 4 + ((len + 3) & ~3);
  }
  return out;
}

const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

describe('writePcapng', () => {
  const file = writePcapng(
    [
      { name: 'node-1/eth0', linktype: 'ethernet' },
      { name: 'node-1/tunl0', description: 'IPIP tunnel', linktype: 'raw-ipv4' },
    ],
    [
      {
        interfaceIndex: 0,
        timestampMicros: 1_700_000_000_123_456,
        bytes: Uint8Array.of(1, 2, 3),
        comment: 'bridge forwards to veth1 — via FDB',
      },
      { interfaceIndex: 1, timestampMicros: 5, bytes: new Uint8Array(4) },
      { interfaceIndex: 2, timestampMicros: 6, bytes: new Uint8Array(4) },
    ],
  );
  const blocks = readBlocks(file);

  it('writes a section header, one IDB per interface and one EPB per valid packet', () => {
    expect(blocks.map((b) => b.type)).toEqual([0x0a0d0d0a, 1, 1, 6, 6]);
  });

  it('declares little-endian version 1.0 with an unknown section length', () => {
    const shb = blocks[0]!.body;
    expect(shb.getUint32(0, true)).toBe(0x1a2b3c4d);
    expect([shb.getUint16(4, true), shb.getUint16(6, true)]).toEqual([1, 0]);
    expect(shb.getBigInt64(8, true)).toBe(-1n);
    expect(text(readOptions(shb, 16).get(4))).toBe('Hopscope');
  });

  it('names interfaces and gives them link types 1 and 228 with microsecond timestamps', () => {
    const [eth, tun] = [blocks[1]!.body, blocks[2]!.body];
    expect(eth.getUint16(0, true)).toBe(1);
    expect(tun.getUint16(0, true)).toBe(228);
    expect(text(readOptions(eth, 8).get(2))).toBe('node-1/eth0');
    expect(text(readOptions(tun, 8).get(3))).toBe('IPIP tunnel');
    expect([...readOptions(tun, 8).get(9)!]).toEqual([6]);
  });

  it('writes 64-bit timestamps, lengths, padded data and the comment', () => {
    const epb = blocks[3]!.body;
    expect(epb.getUint32(0, true)).toBe(0);
    expect(BigInt(epb.getUint32(4, true)) * 2n ** 32n + BigInt(epb.getUint32(8, true))).toBe(
      1_700_000_000_123_456n,
    );
    expect([epb.getUint32(12, true), epb.getUint32(16, true)]).toEqual([3, 3]);
    expect([epb.getUint8(20), epb.getUint8(21), epb.getUint8(22), epb.getUint8(23)]).toEqual([
      1, 2, 3, 0,
    ]);
    expect(text(readOptions(epb, 24).get(1))).toBe('bridge forwards to veth1 — via FDB');
    expect(blocks[4]!.body.byteLength).toBe(24); // no options, no end-of-options marker
  });

  it('leaves out packets that name no interface instead of writing a broken file', () => {
    expect(blocks.filter((b) => b.type === 6)).toHaveLength(2);
    expect(
      readBlocks(
        writePcapng([], [{ interfaceIndex: 0, timestampMicros: 0, bytes: new Uint8Array(1) }]),
      ).map((b) => b.type),
    ).toEqual([0x0a0d0d0a]);
  });
});
