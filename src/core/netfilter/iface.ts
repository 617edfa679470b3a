/** Interface-name matching as `-i`/`-o`/`--physdev-in` do it: `eth+` matches every name starting with `eth`. */

/** True if interface `name` matches the pattern (exact, or prefix when it ends in `+`). */
export function ifaceMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}
