/**
 * Splits one iptables-restore line into words the way iptables-restore does: blanks separate
 * words, a double quote opens or closes a quoted stretch (blanks inside are kept), and inside
 * quotes a backslash takes the next character literally (`"a \"b\""` is `a "b"`). Single quotes
 * are ordinary characters (iptables-restore rejects `'a b'` as two words).
 */

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** The words of `line`, or an error for an unterminated quote. */
export function tokenize(line: string): { ok: true; words: string[] } | { ok: false; error: string } {
  // Words are taken as slices of the line (restore reads ~430k lines for 10k Services; building
  // them a character at a time dominated its profile). Quotes and escapes splice the slices.
  const words: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    if (isBlank(line.charCodeAt(i))) {
      i++;
      continue;
    }
    let cur = '';
    let start = i;
    let quoted = false;
    for (; i < n; i++) {
      const c = line.charCodeAt(i);
      if (quoted) {
        if (c === 92 && i + 1 < n) {
          // `\x` inside quotes is `x`.
          cur += line.slice(start, i) + line[i + 1];
          i++;
          start = i + 1;
        } else if (c === 34) {
          cur += line.slice(start, i);
          quoted = false;
          start = i + 1;
        }
      } else if (c === 34) {
        cur += line.slice(start, i);
        quoted = true;
        start = i + 1;
      } else if (isBlank(c)) break;
    }
    if (quoted) return { ok: false, error: 'Unterminated quoted string' };
    words.push(cur + line.slice(start, i));
  }
  return { ok: true, words };
}
