/**
 * `-j MARK`: `skb->mark = (skb->mark & ~mask) ^ value`. Every spelling is saved as
 * `--set-xmark value/mask` (verified): `--set-mark v[/m]` → v/(m|v) (m defaults to all ones),
 * `--or-mark v` → v/v, `--and-mark v` → 0/~v, `--xor-mark v` → v/0.
 */
import type { TargetModule } from '../module';
import { hex, parseU32 } from '../module';

/** Parsed MARK: the xmark pair. */
export interface MarkTarget {
  value: number;
  mask: number;
}

/** The `MARK` target. */
export const markTarget: TargetModule<MarkTarget> = {
  name: 'MARK',
  options: { '--set-xmark': 1, '--set-mark': 1, '--or-mark': 1, '--and-mark': 1, '--xor-mark': 1 },
  parse(options) {
    const o = options[options.length - 1];
    const [vs, ms] = (o?.args[0] ?? '').split('/');
    const v = parseU32(vs ?? '');
    const m = ms === undefined ? 0xffffffff : parseU32(ms);
    if (!o || v === undefined || m === undefined) return { ok: false, error: `MARK: Bad value "${o?.args[0] ?? ''}"` };
    switch (o.name) {
      case '--set-xmark':
        return { ok: true, parsed: { value: v, mask: m } };
      case '--set-mark':
        return { ok: true, parsed: { value: v, mask: (m | v) >>> 0 } };
      case '--or-mark':
        return { ok: true, parsed: { value: v, mask: v } };
      case '--and-mark':
        return { ok: true, parsed: { value: 0, mask: ~v >>> 0 } };
      default:
        return { ok: true, parsed: { value: v, mask: 0 } };
    }
  },
  render: (t) => ` --set-xmark ${hex(t.value)}/${hex(t.mask)}`,
  apply(t, ctx) {
    ctx.packet.mark = ((ctx.packet.mark & ~t.mask) ^ t.value) >>> 0;
    return { kind: 'continue' };
  },
  replayAs: 'continue',
};
