/**
 * Parse results for the wire layer. Parsers never throw: malformed bytes come back as a
 * `WireError` value naming the layer, the reason and the byte offset where parsing stopped.
 */

/** Why bytes could not be parsed as a given header. */
export interface WireError {
  /** The header being parsed, e.g. "ipv4", "tcp", "dns". */
  layer: string;
  /** A short human-readable reason, e.g. "truncated: need 20 bytes, have 12". */
  reason: string;
  /** Offset within the bytes handed to that parser (not the whole frame). */
  offset: number;
}

/** A parsed header plus the bytes it carries (its payload, trimmed to the header's length). */
export interface Parsed<T> {
  ok: true;
  header: T;
  /** The bytes after this header, a view into the input (no copy). */
  rest: Uint8Array;
}

/** What every `parse…` function returns. */
export type ParseResult<T> = Parsed<T> | { ok: false; error: WireError };

/** Builds the failure half of a `ParseResult`. */
export function wireError(
  layer: string,
  reason: string,
  offset = 0,
): { ok: false; error: WireError } {
  return { ok: false, error: { layer, reason, offset } };
}

/** Fails with a "truncated" error unless `bytes` holds at least `need` bytes. */
export function needBytes(
  layer: string,
  bytes: Uint8Array,
  need: number,
): { ok: false; error: WireError } | null {
  return bytes.length < need
    ? wireError(layer, `truncated: need ${need} bytes, have ${bytes.length}`, bytes.length)
    : null;
}
