/**
 * The share link (DESIGN §5): `#s=<version>.<payload>` with optional `&flow=N&hop=M`.
 *
 *   version 1   payload = base64url(deflate-raw(utf-8 YAML))          — what Share writes
 *   version 0   payload = base64url(utf-8 YAML), uncompressed         — hand-made links
 *                 (`printf %s "$yaml" | base64 -w0 | tr '+/' '-_'`); still opens
 *
 * Every version decodes to its own document shape, then ordered migrations (STYLE §20) lift it
 * to the current one. Decoding never throws and never hangs: the hash is bounded before it is
 * read, and inflation streams in small chunks and stops as soon as the output passes the YAML
 * limit, so a valid deflate stream that would inflate to 50 MB is refused after ~64 KiB.
 */
import { Inflate, deflateSync } from 'fflate';

export const SHARE_VERSION = 1;
/** The largest scenario a link may carry (UTF-8 bytes of YAML). */
export const MAX_YAML_BYTES = 64 * 1024;
/** The largest `s=` payload read at all (64 KiB of YAML deflates to far less than this). */
export const MAX_PAYLOAD_CHARS = 128 * 1024;

/** What a link carries, in the current shape. */
export interface SharedScenario {
  text: string;
  flow?: number;
  hop?: number;
}

export type ShareErrorCode = 'no-scenario' | 'unknown-version' | 'bad-base64' | 'corrupt' | 'too-large' | 'bad-text';

export type DecodeResult = { ok: true; value: SharedScenario; version: number } | { ok: false; code: ShareErrorCode; message: string };

class ShareError extends Error {
  constructor(
    readonly code: ShareErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// ── base64url ──────────────────────────────────────────────────────────────────────────────

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
    out += chars.slice(0, Math.min(4, 1 + ((bytes.length - i) * 4) / 3) | 0);
  }
  return out;
}

/** Strict base64url (padding tolerated, `+`/`/` accepted as mail clients sometimes rewrite). */
export function fromBase64Url(text: string): Uint8Array {
  const s = text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  if (s.length % 4 === 1) throw new ShareError('bad-base64', 'The link is cut short: its data has an impossible length.');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of s) {
    const v = B64_INDEX.get(c);
    if (v === undefined) throw new ShareError('bad-base64', `The link contains "${c}", which is not allowed in its data (base64url).`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

// ── bounded inflate ────────────────────────────────────────────────────────────────────────

const CHUNK = 1024;

/** Inflates raw deflate, refusing (without finishing) anything larger than `limit` bytes. */
export function inflateBounded(data: Uint8Array, limit: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  const inf = new Inflate((chunk, final) => {
    size += chunk.length;
    if (size <= limit) parts.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < data.length && size <= limit; i += CHUNK) inf.push(data.subarray(i, i + CHUNK), i + CHUNK >= data.length);
    if (data.length === 0) inf.push(new Uint8Array(0), true);
  } catch (e) {
    throw new ShareError('corrupt', `The link is damaged or cut short (${(e as Error).message || 'invalid compressed data'}).`);
  }
  if (size > limit) throw new ShareError('too-large', `The shared scenario is larger than ${limit / 1024} KiB once unpacked; links are limited to that size. Save it as a .yaml file and send the file instead.`);
  if (!ended) throw new ShareError('corrupt', 'The link is cut short: its compressed data ends too early.');
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ShareError('bad-text', 'The shared scenario is not valid UTF-8 text.');
  }
}

// ── versions and migrations ────────────────────────────────────────────────────────────────

/** A decoded document of some version, before migration. */
export interface VersionedDoc {
  v: number;
  text: string;
  params: Record<string, string>;
}

/** Payload decoders, one per version. */
const DECODERS: Record<number, (payload: string) => string> = {
  0: (payload) => {
    const bytes = fromBase64Url(payload);
    if (bytes.length > MAX_YAML_BYTES) throw tooLarge();
    return utf8(bytes);
  },
  1: (payload) => utf8(inflateBounded(fromBase64Url(payload), MAX_YAML_BYTES)),
};

/**
 * Ordered migrations: `MIGRATIONS[i]` lifts a version-i document to version i+1. Version 0 → 1
 * changes only the payload encoding, so the document passes through; a future link format (say
 * a seed or a second scenario) adds its step here with a fixture test.
 */
export const MIGRATIONS: readonly ((d: VersionedDoc) => VersionedDoc)[] = [(d) => ({ ...d, v: 1 })];

/** Lifts a document to the current version through every migration after its own. */
export function migrate(doc: VersionedDoc): VersionedDoc {
  let d = doc;
  while (d.v < SHARE_VERSION) d = MIGRATIONS[d.v]!(d);
  return d;
}

function tooLarge(): ShareError {
  return new ShareError('too-large', `The shared scenario is larger than ${MAX_YAML_BYTES / 1024} KiB; links are limited to that size. Save it as a .yaml file and send the file instead.`);
}

// ── hash parsing ───────────────────────────────────────────────────────────────────────────

function parseParams(hash: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

function index(v: string | undefined): number | undefined {
  return v !== undefined && /^\d{1,6}$/.test(v) ? Number(v) : undefined;
}

/** Whether a location hash carries a shared scenario at all (even a broken one). */
export function hasSharedScenario(hash: string): boolean {
  return /(^#?|&)s=/.test(hash);
}

/** Reads a location hash. Never throws; every failure is a sentence a person understands. */
export function decodeShare(hash: string): DecodeResult {
  try {
    if (hash.length > MAX_PAYLOAD_CHARS + 64) throw tooLarge();
    const params = parseParams(hash);
    const s = params['s'];
    if (s === undefined) throw new ShareError('no-scenario', 'The link carries no scenario (no "s=" part).');
    const m = /^(\d{1,3})\.(.*)$/s.exec(s);
    if (!m) throw new ShareError('corrupt', 'The link is damaged: its scenario part does not start with a version number.');
    const v = Number(m[1]);
    const decode = DECODERS[v];
    if (!decode) {
      const hint = v > SHARE_VERSION ? ' It was made by a newer Hopscope; reload to update.' : '';
      throw new ShareError('unknown-version', `The link uses format version ${v}, which this Hopscope cannot read.${hint}`);
    }
    const doc = migrate({ v, text: decode(m[2]!), params });
    const flow = index(doc.params['flow']);
    const hop = index(doc.params['hop']);
    return { ok: true, version: v, value: { text: doc.text, ...(flow !== undefined ? { flow } : {}), ...(hop !== undefined ? { hop } : {}) } };
  } catch (e) {
    if (e instanceof ShareError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'corrupt', message: `The link could not be read (${(e as Error).message}).` };
  }
}

export type EncodeResult = { ok: true; hash: string } | { ok: false; message: string };

/** Builds the current-version hash for a scenario and an optional flow and hop. */
export function encodeShare(value: SharedScenario): EncodeResult {
  const bytes = new TextEncoder().encode(value.text);
  if (bytes.length > MAX_YAML_BYTES) return { ok: false, message: tooLarge().message };
  let hash = `#s=${SHARE_VERSION}.${toBase64Url(deflateSync(bytes, { level: 9 }))}`;
  if (value.flow !== undefined) hash += `&flow=${value.flow}`;
  if (value.hop !== undefined) hash += `&hop=${value.hop}`;
  return { ok: true, hash };
}
