/**
 * Splits one iptables-restore line into words the way iptables-restore does: blanks separate
 * words, a double quote opens or closes a quoted stretch (blanks inside are kept), and inside
 * quotes a backslash takes the next character literally (`"a \"b\""` is `a "b"`). Single quotes
 * are ordinary characters (iptables-restore rejects `'a b'` as two words).
 */

/** The words of `line`, or an error for an unterminated quote. */
export function tokenize(line: string): { ok: true; words: string[] } | { ok: false; error: string } {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '\\' && i + 1 < line.length) cur += line[++i];
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') {
      quoted = true;
      inWord = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quoted) return { ok: false, error: 'Unterminated quoted string' };
  if (inWord) words.push(cur);
  return { ok: true, words };
}
