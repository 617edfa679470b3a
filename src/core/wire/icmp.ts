/**
 * ICMP for IPv4 (RFC 792): echo request/reply, destination unreachable and time exceeded. The
 * model's `IcmpHeader` is the repr. Its `id` and `seq` are the two 16-bit halves of the 4-byte
 * "rest of header": identifier and sequence for echo, zero for time exceeded, and for
 * unreachable code 4 (fragmentation needed) `seq` holds the next-hop MTU (RFC 1191). The
 * payload of an error message is the quoted original datagram (its IPv4 header + 8 bytes).
 */
import type { IcmpHeader } from '../datapath/packet';
import { viewOf } from './bytes';
import { checksumOk, internetChecksum } from './checksum';
import type { ParseResult } from './result';
import { needBytes, wireError } from './result';

/** Bytes of an ICMP header. */
export const ICMP_HEADER_LEN = 8;

/** ICMP type numbers the model uses. */
export const ICMP_TYPES = {
  echoReply: 0,
  unreachable: 3,
  echoRequest: 8,
  timeExceeded: 11,
} as const;

/** Error types (RFC 1122 §3.2.2): unreachable, source quench, redirect, time exceeded, parameter problem. */
export const ICMP_ERROR_TYPES: readonly number[] = [3, 4, 5, 11, 12];

/** Writes the 8-byte header (checksum over header and payload computed) followed by `payload`. */
export function emitIcmp(h: IcmpHeader, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(ICMP_HEADER_LEN + payload.length);
  const v = viewOf(out);
  out[0] = h.type & 0xff;
  out[1] = h.code & 0xff;
  v.setUint16(4, h.id & 0xffff);
  v.setUint16(6, h.seq & 0xffff);
  out.set(payload, ICMP_HEADER_LEN);
  v.setUint16(2, internetChecksum([out]));
  return out;
}

/**
 * Reads an ICMP header and checks the checksum over the whole message (`bytes` must end where
 * the message ends). Any type parses; `formatIcmp` names the ones the model uses.
 */
export function parseIcmp(bytes: Uint8Array): ParseResult<IcmpHeader> {
  const short = needBytes('icmp', bytes, ICMP_HEADER_LEN);
  if (short) return short;
  if (!checksumOk([bytes])) return wireError('icmp', 'bad checksum', 2);
  const v = viewOf(bytes);
  return {
    ok: true,
    header: {
      kind: 'icmp',
      type: bytes[0]!,
      code: bytes[1]!,
      id: v.getUint16(4),
      seq: v.getUint16(6),
    },
    rest: bytes.subarray(ICMP_HEADER_LEN),
  };
}

const UNREACHABLE: Record<number, string> = {
  0: 'net unreachable',
  1: 'host unreachable',
  2: 'protocol unreachable',
  3: 'port unreachable',
  4: 'need to frag',
  9: 'net prohibited',
  10: 'host prohibited',
  13: 'communication prohibited by filter',
};

/** The tcpdump description of the message, e.g. "echo request, id 1, seq 2". */
function describe(h: IcmpHeader): string {
  switch (h.type) {
    case ICMP_TYPES.echoRequest:
      return `echo request, id ${h.id}, seq ${h.seq}`;
    case ICMP_TYPES.echoReply:
      return `echo reply, id ${h.id}, seq ${h.seq}`;
    case ICMP_TYPES.unreachable:
      if (h.code === 4) return `unreachable - need to frag (mtu ${h.seq})`;
      return UNREACHABLE[h.code] ?? `unreachable code ${h.code}`;
    case ICMP_TYPES.timeExceeded:
      return h.code === 0 ? 'time exceeded in-transit' : 'ip reassembly time exceeded';
    default:
      return `type-#${h.type}`;
  }
}

/** tcpdump style: "ICMP echo request, id 1, seq 2, length 64" (`length` = whole ICMP message). */
export function formatIcmp(h: IcmpHeader, messageLength?: number): string {
  const len = messageLength === undefined ? '' : `, length ${messageLength}`;
  return `ICMP ${describe(h)}${len}`;
}
