import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { MAX_YAML_BYTES, MIGRATIONS, SHARE_VERSION, decodeShare, encodeShare, fromBase64Url, hasSharedScenario, migrate, toBase64Url } from './codec';

const YAML = 'apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: démo ✓}\nspec: {seed: 7}\n';

function encoded(text: string, flow?: number, hop?: number): string {
  const r = encodeShare({ text, ...(flow !== undefined ? { flow } : {}), ...(hop !== undefined ? { hop } : {}) });
  if (!r.ok) throw new Error(r.message);
  return r.hash;
}

describe('share codec', () => {
  it('round-trips text, flow and hop in the version-1 format', () => {
    const hash = encoded(YAML, 2, 5);
    expect(hash).toMatch(/^#s=1\.[A-Za-z0-9_-]+&flow=2&hop=5$/);
    expect(decodeShare(hash)).toEqual({ ok: true, version: 1, value: { text: YAML, flow: 2, hop: 5 } });
    expect(decodeShare(encoded(YAML))).toEqual({ ok: true, version: 1, value: { text: YAML } });
  });

  it('round-trips any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.option(fc.nat(50), { nil: undefined }), (text, flow) => {
        const r = decodeShare(encoded(text, flow));
        expect(r).toEqual({ ok: true, version: 1, value: flow === undefined ? { text } : { text, flow } });
      }),
    );
  });

  it('base64url matches the platform encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const want = Buffer.from(bytes).toString('base64url');
        expect(toBase64Url(bytes)).toBe(want);
        expect([...fromBase64Url(want)]).toEqual([...bytes]);
      }),
    );
  });

  it('opens the uncompressed version-0 fixture through the migrations', () => {
    // Fixture: a hand-made v0 link (`printf %s "$yaml" | base64 -w0 | tr '+/' '-_'`).
    const v0 = '#s=0.a2luZDogQ2x1c3Rlcgo&flow=1&hop=0';
    expect(decodeShare(v0)).toEqual({ ok: true, version: 0, value: { text: 'kind: Cluster\n', flow: 1, hop: 0 } });
    expect(MIGRATIONS).toHaveLength(SHARE_VERSION);
    expect(migrate({ v: 0, text: 'x', params: { flow: '3' } })).toEqual({ v: 1, text: 'x', params: { flow: '3' } });
  });

  it('refuses a version from the future with a sentence', () => {
    const r = decodeShare('#s=9.abc');
    expect(r).toMatchObject({ ok: false, code: 'unknown-version' });
    expect(!r.ok && r.message).toMatch(/version 9.*newer Hopscope/);
  });

  it('refuses invalid base64', () => {
    const r = decodeShare('#s=1.abc$%def');
    expect(r).toMatchObject({ ok: false, code: 'bad-base64' });
    expect(!r.ok && r.message).toMatch(/not allowed/);
  });

  it('refuses a truncated link', () => {
    const full = encoded(YAML.repeat(20));
    const cut = full.slice(0, Math.floor(full.length / 2));
    const r = decodeShare(cut);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toMatch(/corrupt|bad-base64/);
    expect(!r.ok && r.message).toMatch(/damaged|cut short/);
  });

  it('refuses garbage that is valid base64 but not deflate', () => {
    const r = decodeShare(`#s=1.${toBase64Url(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0x12]))}`);
    expect(r).toMatchObject({ ok: false, code: 'corrupt' });
  });

  it('refuses a valid deflate stream of 50 MB quickly, without inflating it all', () => {
    const bomb = deflateSync(new Uint8Array(50 * 1024 * 1024).fill(0x41), { level: 9 });
    const hash = `#s=1.${toBase64Url(bomb)}`;
    const t0 = performance.now();
    const r = decodeShare(hash);
    const ms = performance.now() - t0;
    expect(r).toMatchObject({ ok: false, code: 'too-large' });
    expect(!r.ok && r.message).toMatch(/larger than 64 KiB/);
    expect(ms).toBeLessThan(1000);
  });

  it('refuses an oversized scenario when sharing and when opening', () => {
    const big = 'a'.repeat(MAX_YAML_BYTES + 1);
    expect(encodeShare({ text: big })).toMatchObject({ ok: false });
    expect(decodeShare(`#s=1.${toBase64Url(deflateSync(new TextEncoder().encode(big)))}`)).toMatchObject({ ok: false, code: 'too-large' });
    expect(decodeShare(`#s=0.${toBase64Url(new TextEncoder().encode(big))}`)).toMatchObject({ ok: false, code: 'too-large' });
    expect(decodeShare(`#s=1.${'A'.repeat(300_000)}`)).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(decodeShare(`#s=0.${toBase64Url(new Uint8Array([0xc3, 0x28]))}`)).toMatchObject({ ok: false, code: 'bad-text' });
  });

  it('ignores malformed flow and hop numbers and other parameters', () => {
    const hash = `${encoded('x')}&flow=-1&hop=abc&utm=1`;
    expect(decodeShare(hash)).toEqual({ ok: true, version: 1, value: { text: 'x' } });
  });

  it('tells a share hash from other hashes', () => {
    expect(hasSharedScenario('#s=1.abc')).toBe(true);
    expect(hasSharedScenario('#flow=1&s=')).toBe(true);
    expect(hasSharedScenario('#section')).toBe(false);
    expect(decodeShare('#section')).toMatchObject({ ok: false, code: 'no-scenario' });
  });
});
