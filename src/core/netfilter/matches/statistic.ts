/**
 * `-m statistic --mode random --probability P` and `--mode nth --every N --packet P`.
 *
 * The kernel keeps the probability as a 31-bit integer (P × 2^31, rounded) and matches when
 * `random_u32 & 0x7fffffff` is below it; iptables-save prints that integer / 2^31 with 11
 * decimals, so kube-proxy's `0.3333333333` is saved as `0.33333333349` (verified with
 * iptables v1.8.9). We draw from `env.rng` exactly as the kernel draws from get_random_u32.
 * nth keeps a per-rule counter: it matches whenever the counter wraps to 0.
 */
import type { MatchModule, ModuleOption, ParseResult } from '../module';

/** Parsed `-m statistic`. */
export type StatisticMatch =
  | { mode: 'random'; threshold: number; negate: boolean }
  | { mode: 'nth'; every: number; packet: number; count: number; negate: boolean };

const TWO31 = 0x80000000;

/** Saved probabilities by threshold: kube-proxy uses a handful (1/n for small n), on 100k rules. */
const probabilityTexts = new Map<number, string>();

function probabilityText(threshold: number): string {
  let text = probabilityTexts.get(threshold);
  if (text === undefined) {
    text = (threshold / TWO31).toFixed(11);
    if (probabilityTexts.size < 4096) probabilityTexts.set(threshold, text);
  }
  return text;
}

/** The `statistic` match module. */
export const statisticMatch: MatchModule<StatisticMatch> = {
  name: 'statistic',
  options: { '--mode': 1, '--probability': 1, '--every': 1, '--packet': 1 },
  parse(options): ParseResult<StatisticMatch> {
    // One pass over the options (the first of each name counts, as `find` would give it):
    // kube-proxy writes this match on ~100k rules at 10k Services.
    let mode: ModuleOption | undefined;
    let probability: ModuleOption | undefined;
    let everyOpt: ModuleOption | undefined;
    let packetOpt: ModuleOption | undefined;
    let negate = false;
    for (const o of options) {
      if (o.negate) negate = true;
      if (o.name === '--mode') mode ??= o;
      else if (o.name === '--probability') probability ??= o;
      else if (o.name === '--every') everyOpt ??= o;
      else if (o.name === '--packet') packetOpt ??= o;
    }
    if (mode?.negate) return { ok: false, error: 'statistic: option "--mode" cannot be inverted.' };
    if (mode?.args[0] === 'random') {
      const p = Number(probability?.args[0]);
      if (!Number.isFinite(p) || p < 0 || p > 1) return { ok: false, error: 'statistic: --probability must be between 0 and 1' };
      return { ok: true, parsed: { mode: 'random', threshold: Math.round(p * TWO31), negate } };
    }
    if (mode?.args[0] === 'nth') {
      const every = Number(everyOpt?.args[0]);
      const packet = Number(packetOpt?.args[0] ?? 'x');
      if (!Number.isInteger(every) || every < 1) return { ok: false, error: 'statistic: --every must be at least 1' };
      if (!Number.isInteger(packet)) return { ok: false, error: 'statistic: option "--every" also requires "--packet".' };
      if (packet >= every) return { ok: false, error: 'statistic: --packet must be less than --every' };
      return { ok: true, parsed: { mode: 'nth', every, packet, count: packet, negate } };
    }
    return { ok: false, error: 'statistic: bad mode' };
  },
  render(m) {
    const neg = m.negate ? ' !' : '';
    if (m.mode === 'random') return ` --mode random${neg} --probability ${probabilityText(m.threshold)}`;
    return ` --mode nth${neg} --every ${m.every} --packet ${m.packet}`;
  },
  evaluate(m, ctx) {
    if (m.mode === 'random') return ((ctx.env.rng.u32() & 0x7fffffff) >>> 0 < m.threshold) !== m.negate;
    m.count = m.count === m.every - 1 ? 0 : m.count + 1;
    return (m.count === 0) !== m.negate;
  },
};
