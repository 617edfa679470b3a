/**
 * A pcapng writer (draft-ietf-opsawg-pcapng): one Section Header Block, one Interface
 * Description Block per interface (with `if_name`, optional `if_description`, `if_tsresol` 6
 * = microseconds) and one Enhanced Packet Block per packet (with `opt_comment` for the hop's
 * explanation). Little-endian throughout, as the byte-order magic declares. Wireshark and
 * tshark open the result directly.
 */
import { utf8Encode, viewOf } from './bytes';

/** An interface packets were captured on. */
export interface PcapngInterface {
  /** Written as `if_name`, e.g. "node-1/flannel.1". */
  name: string;
  /** Written as `if_description` when given. */
  description?: string;
  /** `ethernet` = LINKTYPE_ETHERNET (1); `raw-ipv4` = LINKTYPE_IPV4 (228), for L3 devices like tunl0. */
  linktype: 'ethernet' | 'raw-ipv4';
}

/** One captured packet. */
export interface PcapngPacket {
  /** Index into the interfaces array. */
  interfaceIndex: number;
  /** Capture time in microseconds since the Unix epoch (the trace's injected clock). */
  timestampMicros: number;
  /** The frame (Ethernet) or packet (raw IPv4) as `emitPacket` returns it. */
  bytes: Uint8Array;
  /** Written as `opt_comment`, e.g. the hop's explanation. */
  comment?: string;
}

const LINKTYPES = { ethernet: 1, 'raw-ipv4': 228 } as const;
const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Encodes options (code, length, value padded to 4) and the end-of-options marker. */
function encodeOptions(opts: readonly (readonly [number, Uint8Array])[]): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  const size = opts.reduce((n, [, v]) => n + 4 + pad4(v.length), 4);
  const out = new Uint8Array(size);
  const dv = viewOf(out);
  let at = 0;
  for (const [code, value] of opts) {
    dv.setUint16(at, code, true);
    dv.setUint16(at + 2, value.length, true);
    out.set(value, at + 4);
    at += 4 + pad4(value.length);
  }
  return out; // the final 4 zero bytes are opt_endofopt
}

/** Frames a block: type, total length, body (padded), total length again. */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length);
  const out = new Uint8Array(total);
  const dv = viewOf(out);
  dv.setUint32(0, type, true);
  dv.setUint32(4, total, true);
  out.set(body, 8);
  dv.setUint32(total - 4, total, true);
  return out;
}

function sectionHeader(): Uint8Array {
  const options = encodeOptions([[4, utf8Encode('Hopscope')]]); // shb_userappl
  const body = new Uint8Array(16 + options.length);
  const dv = viewOf(body);
  dv.setUint32(0, 0x1a2b3c4d, true);
  dv.setUint16(4, 1, true);
  dv.setUint16(6, 0, true);
  dv.setInt32(8, -1, true); // section length unknown: -1 as a 64-bit integer
  dv.setInt32(12, -1, true);
  body.set(options, 16);
  return block(SHB, body);
}

function interfaceDescription(i: PcapngInterface): Uint8Array {
  const opts: [number, Uint8Array][] = [[2, utf8Encode(i.name)]];
  if (i.description !== undefined) opts.push([3, utf8Encode(i.description)]);
  opts.push([9, Uint8Array.of(6)]); // if_tsresol: 10^-6 s
  const options = encodeOptions(opts);
  const body = new Uint8Array(8 + options.length);
  const dv = viewOf(body);
  dv.setUint16(0, LINKTYPES[i.linktype], true);
  dv.setUint32(4, 0, true); // snaplen 0: no limit
  body.set(options, 8);
  return block(IDB, body);
}

function enhancedPacket(p: PcapngPacket): Uint8Array {
  const options = encodeOptions(p.comment === undefined ? [] : [[1, utf8Encode(p.comment)]]);
  const dataLen = pad4(p.bytes.length);
  const body = new Uint8Array(20 + dataLen + options.length);
  const dv = viewOf(body);
  const t = Number.isFinite(p.timestampMicros) ? Math.max(0, Math.floor(p.timestampMicros)) : 0;
  dv.setUint32(0, p.interfaceIndex, true);
  dv.setUint32(4, Math.floor(t / 2 ** 32), true);
  dv.setUint32(8, t % 2 ** 32, true);
  dv.setUint32(12, p.bytes.length, true);
  dv.setUint32(16, p.bytes.length, true);
  body.set(p.bytes, 20);
  body.set(options, 20 + dataLen);
  return block(EPB, body);
}

/**
 * Writes a pcapng file. Total: never throws. A packet whose `interfaceIndex` names no interface
 * is left out (a reader would reject the whole file); a non-finite or negative timestamp is
 * written as 0.
 */
export function writePcapng(
  interfaces: readonly PcapngInterface[],
  packets: readonly PcapngPacket[],
): Uint8Array {
  const blocks = [sectionHeader(), ...interfaces.map(interfaceDescription)];
  for (const p of packets) {
    if (
      Number.isInteger(p.interfaceIndex) &&
      p.interfaceIndex >= 0 &&
      p.interfaceIndex < interfaces.length
    ) {
      blocks.push(enhancedPacket(p));
    }
  }
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
