/**
 * Measures a document's token tree before `yaml` composes it. Composing recurses once per
 * nesting level and gets slow with many anchors, so a pathological document must be refused
 * while it is still a flat token stream (see `ParseLimits`).
 */
import type { CST } from 'yaml';

/** What the guard learned about one document's tokens. */
export interface TokenStats {
  /** Deepest collection nesting. */
  depth: number;
  /** Offset of the first collection nested deeper than the limit, or -1. */
  tooDeepAt: number;
  /** Anchors (`&a`) plus aliases (`*a`). */
  anchors: number;
}

/**
 * Walks `token` without recursion and counts nesting and anchors; stops descending below
 * `maxDepth`. Token trees are plain objects without cycles, so every object is visited once.
 */
export function measureTokens(token: CST.Token, maxDepth: number): TokenStats {
  const stats: TokenStats = { depth: 0, tooDeepAt: -1, anchors: 0 };
  const stack: { value: unknown; depth: number }[] = [{ value: token, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v === 'object') stack.push({ value: v, depth });
      continue;
    }
    const t = value as { type?: string; offset?: number; items?: unknown[] } & Record<string, unknown>;
    if (t.type === 'anchor' || t.type === 'alias') stats.anchors++;
    let childDepth = depth;
    if (Array.isArray(t.items)) {
      childDepth = depth + 1;
      stats.depth = Math.max(stats.depth, childDepth);
      if (childDepth > maxDepth) {
        const at = t.offset ?? 0;
        if (stats.tooDeepAt < 0 || at < stats.tooDeepAt) stats.tooDeepAt = at;
        continue;
      }
    }
    for (const key in t) {
      const v = t[key];
      if (v && typeof v === 'object') stack.push({ value: v, depth: childDepth });
    }
  }
  return stats;
}
