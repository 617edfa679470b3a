/**
 * `-j LOG [--log-prefix P] [--log-level L] [--log-tcp-sequence] [--log-tcp-options]
 * [--log-ip-options] [--log-uid]`: non-terminating; we record a line in `HookResult.logs`.
 * Saved with the prefix first, the level as a number and omitted when 4 (warning, the default).
 */
import type { TargetModule } from '../module';
import { saveString } from '../save-string';

/** Parsed LOG. */
export interface LogTarget {
  prefix?: string;
  level: number;
  flags: string[];
}

const LEVELS = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];
const FLAG_ORDER = ['--log-tcp-sequence', '--log-tcp-options', '--log-ip-options', '--log-uid', '--log-macdecode'];

/** The `LOG` target. */
export const logTarget: TargetModule<LogTarget> = {
  name: 'LOG',
  options: { '--log-prefix': 1, '--log-level': 1, '--log-tcp-sequence': 0, '--log-tcp-options': 0, '--log-ip-options': 0, '--log-uid': 0, '--log-macdecode': 0 },
  parse(options) {
    const t: LogTarget = { level: 4, flags: [] };
    for (const o of options) {
      const a = o.args[0] ?? '';
      if (o.name === '--log-prefix') t.prefix = a;
      else if (o.name === '--log-level') {
        const n = /^[0-7]$/.test(a) ? Number(a) : LEVELS.indexOf(a);
        if (n < 0) return { ok: false, error: `log level "${a}" unknown` };
        t.level = n;
      } else if (!t.flags.includes(o.name)) t.flags.push(o.name);
    }
    t.flags.sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b));
    return { ok: true, parsed: t };
  },
  render(t) {
    let s = t.prefix === undefined ? '' : ` --log-prefix ${saveString(t.prefix)}`;
    if (t.level !== 4) s += ` --log-level ${t.level}`;
    return s + t.flags.map((f) => ` ${f}`).join('');
  },
  apply(t, ctx) {
    const p = ctx.packet;
    const ports = p.sport === undefined ? '' : ` SPT=${p.sport} DPT=${p.dport ?? 0}`;
    // A hook starts with a shared, frozen empty list (evaluate.ts): the first line gets its own.
    if (Object.isFrozen(ctx.logs)) ctx.logs = [];
    ctx.logs.push(`${t.prefix ?? ''}IN=${ctx.input.inIface ?? ''} OUT=${ctx.input.outIface ?? ''} SRC=${p.src} DST=${p.dst} PROTO=${p.protocol.toUpperCase()}${ports}`);
    return { kind: 'continue' };
  },
  // A replay logs the live packet again (its line reads fields no walk is keyed on).
  replayAs: 'continue',
};
