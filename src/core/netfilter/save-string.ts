/**
 * How iptables-save prints a free-text value (a comment, a log prefix, an nfacct name): bare
 * when it is only letters, digits, `_` and `-`, otherwise in double quotes with `"`, `'` and `\`
 * backslash-escaped. Verified against iptables v1.8.9: `simple`, `"a.b"`, `"ns1/svc1:p80"`,
 * `"with\'single"`, `""`.
 */

/** 0: bare character, 1: needs quotes, 2: needs quotes and a backslash before it. */
function charClass(c: number): 0 | 1 | 2 {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45) return 0;
  return c === 34 || c === 39 || c === 92 ? 2 : 1;
}

/** The value as iptables-save prints it, without the leading space. */
export function saveString(value: string): string {
  // One pass over the characters instead of a regex test and a replace per value: kube-proxy
  // puts a comment on nearly every one of its hundreds of thousands of rules.
  let worst = value.length === 0 ? 1 : 0;
  for (let i = 0; i < value.length && worst < 2; i++) {
    const k = charClass(value.charCodeAt(i));
    if (k > worst) worst = k;
  }
  if (worst === 0) return value;
  if (worst === 1) return '"' + value + '"';
  return `"${value.replace(/["'\\]/g, (c) => `\\${c}`)}"`;
}
