/**
 * How iptables-save prints a free-text value (a comment, a log prefix, an nfacct name): bare
 * when it is only letters, digits, `_` and `-`, otherwise in double quotes with `"`, `'` and `\`
 * backslash-escaped. Verified against iptables v1.8.9: `simple`, `"a.b"`, `"ns1/svc1:p80"`,
 * `"with\'single"`, `""`.
 */

const BARE = /^[A-Za-z0-9_-]+$/;

/** The value as iptables-save prints it, without the leading space. */
export function saveString(value: string): string {
  if (BARE.test(value)) return value;
  return `"${value.replace(/["'\\]/g, (c) => `\\${c}`)}"`;
}
