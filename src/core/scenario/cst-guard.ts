/**
 * Measures a YAML doc's token tree before `yaml` composes it. Composing recurses once per
 * nesting level and gets slow with many anchors, so a pathological YAML doc must be refused
 * while it is still a flat token stream (see `ParseLimits`).
 */
import type { CST } from 'yaml';

/** What the guard learned about one YAML doc's tokens. */
export interface TokenStats {
  /** Deepest collection nesting. */
  depth: number;
  /** Offset of the first collection nested deeper than the limit, or -1. */
  tooDeepAt: number;
  /** Anchors (`&a`) plus aliases (`*a`). */
  anchors: number;
}

/** The token fields that can hold nested tokens (see yaml's `CST` types). */
interface TokenLike {
  type: string;
  offset: number;
  items?: { start?: TokenLike[]; key?: TokenLike | null; sep?: TokenLike[]; value?: TokenLike }[];
  start?: TokenLike[] | TokenLike;
  props?: TokenLike[];
  value?: TokenLike;
  key?: TokenLike | null;
  sep?: TokenLike[];
}

function countAnchors(tokens: TokenLike[] | TokenLike | undefined): number {
  if (!Array.isArray(tokens)) return 0;
  let n = 0;
  for (const t of tokens) if (t.type === 'anchor') n++;
  return n;
}

/**
 * Walks `token` without recursion, counting nesting and anchors; does not descend below
 * `maxDepth`. Only structural fields are followed (collection items, their keys and values,
 * property lists), which is where anchors, aliases and nested collections can be.
 */
export function measureTokens(token: CST.Token, maxDepth: number): TokenStats {
  const stats: TokenStats = { depth: 0, tooDeepAt: -1, anchors: 0 };
  const stack: { t: TokenLike; depth: number }[] = [{ t: token as TokenLike, depth: 0 }];
  const push = (t: TokenLike | null | undefined, depth: number) => {
    if (t) stack.push({ t, depth });
  };
  while (stack.length > 0) {
    const { t, depth } = stack.pop() as { t: TokenLike; depth: number };
    if (t.type === 'alias') stats.anchors++;
    stats.anchors += countAnchors(t.start) + countAnchors(t.props);
    push(t.value, depth);
    if (!t.items) continue;
    const inner = depth + 1;
    stats.depth = Math.max(stats.depth, inner);
    if (inner > maxDepth) {
      if (stats.tooDeepAt < 0 || t.offset < stats.tooDeepAt) stats.tooDeepAt = t.offset;
      continue;
    }
    for (const item of t.items) {
      stats.anchors += countAnchors(item.start) + countAnchors(item.sep);
      push(item.key, inner);
      push(item.value, inner);
    }
  }
  return stats;
}
