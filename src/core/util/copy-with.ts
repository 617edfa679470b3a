/**
 * `{ ...obj, k1: v1, k2: v2 }` with one shape for every copy. On V8 (Node 20) a spread followed by
 * keys it did not copy gives each result a map (hidden class) of its own, and a spread made by code
 * still warming up does too: every pod a Deployment expands, or whose namespace the parser fills
 * in, had metadata of its own shape, so each controller reading it went megamorphic, and the next
 * scenario's objects were new shapes again, throwing away the code optimised on the last ones.
 * Object.assign onto a fresh `{}` and plain stores share one shape per key sequence, with the
 * spread's key order (an existing key keeps its place, new keys follow in order).
 */

/**
 * A copy of `obj` with `extra`'s keys set in order, as `{ ...obj, ...extra }` makes it. An own
 * `__proto__` key (YAML can hold one) would set the copy's prototype under assignment, so an object
 * holding one is copied with the spread.
 */
export function copyWith<T extends object>(obj: T | undefined, extra: Record<string, unknown>): T {
  if (obj !== undefined && Object.hasOwn(obj, '__proto__')) return { ...obj, ...extra };
  if (Object.hasOwn(extra, '__proto__')) return { ...obj, ...extra } as T;
  const out = Object.assign({}, obj) as Record<string, unknown>;
  for (const k in extra) out[k] = extra[k];
  return out as T;
}
