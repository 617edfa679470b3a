/**
 * Fills in what `restore` precomputes for rules built by hand (as TypeScript objects rather than
 * restore text): address numbers and each module's parsed options. Idempotent and cheap when
 * already done. Options a module rejects leave the match or target unmodelled, never throw.
 */
import { compileAddress } from './address';
import { getMatchModule } from './matches/registry';
import { protocolNumber } from './protocols';
import { fromTuples } from './rule-parse';
import { getTargetModule } from './targets/registry';
import type { Rule } from './types';

/** Prepares a rule for matching and rendering. */
export function compileRule(rule: Rule): void {
  if (rule.src) compileAddress(rule.src);
  if (rule.dst) compileAddress(rule.dst);
  const protocol = rule.protocol ? protocolNumber(rule.protocol.name) : undefined;
  const rctx = { table: 'filter' as const, chain: rule.chain, ...(protocol ? { protocol } : {}) };
  for (const m of rule.matches) {
    if (m.parsed !== undefined || m.unmodelled) continue;
    const module = getMatchModule(m.module);
    const r = module?.parse(fromTuples(m.options), rctx);
    if (r?.ok) m.parsed = r.parsed;
    else m.unmodelled = true;
  }
  const t = rule.target;
  if (t && t.parsed === undefined && !t.unmodelled) {
    const module = getTargetModule(t.name);
    // Without a module the name is a user chain (a jump); nothing to parse.
    if (module) {
      const r = module.parse(fromTuples(t.options), rctx);
      if (r.ok) t.parsed = r.parsed;
      else t.unmodelled = true;
    }
  }
}
