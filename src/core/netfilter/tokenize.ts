/**
 * Splits one iptables-restore line into words the way iptables-restore does: blanks separate
 * words, a double quote opens or closes a quoted stretch (blanks inside are kept), and inside
 * quotes a backslash takes the next character literally (`"a \"b\""` is `a "b"`). Single quotes
 * are ordinary characters (iptables-restore rejects `'a b'` as two words).
 */

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/**
 * One word starting at `i` (not a blank) when it may hold quotes: read a character at a time,
 * quotes and escapes splicing the slices. Returns the word and where it ends, or undefined for an
 * unterminated quote.
 */
function quotedWord(line: string, i: number): { word: string; end: number } | undefined {
  const n = line.length;
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
  if (quoted) return undefined;
  return { word: cur + line.slice(start, i), end: i };
}

/** The words of `line`, or an error for an unterminated quote. */
export function tokenize(line: string): { ok: true; words: string[] } | { ok: false; error: string } {
  const words: string[] = [];
  const error = tokenizeInto(line, words);
  return error === undefined ? { ok: true, words } : { ok: false, error };
}

/**
 * The words of `line` pushed onto `words` (emptied first), or an error message for an
 * unterminated quote. For a caller that reads many lines and keeps none of the arrays.
 */
export function tokenizeInto(line: string, words: string[]): string | undefined {
  // Restore reads ~430k lines for 10k Services. Words are slices of the line, found with
  // indexOf (a character-at-a-time loop over every line dominated restore's profile); only a
  // word with a quote in it is read character by character.
  words.length = 0;
  const n = line.length;
  // Tabs and carriage returns are blanks too; a line holding one takes the careful path.
  const spacesOnly = line.indexOf('\t') < 0 && line.indexOf('\r') < 0 && line.indexOf('\n') < 0;
  let quote = line.indexOf('"');
  let i = 0;
  while (i < n) {
    if (isBlank(line.charCodeAt(i))) {
      i++;
      continue;
    }
    if (quote >= 0 && quote < i) quote = line.indexOf('"', i);
    let end = spacesOnly ? line.indexOf(' ', i) : -1;
    if (end < 0) end = n;
    if (spacesOnly && (quote < 0 || quote >= end)) {
      words.push(line.slice(i, end));
      i = end;
      continue;
    }
    const q = quotedWord(line, i);
    if (!q) return 'Unterminated quoted string';
    words.push(q.word);
    i = q.end;
  }
  return undefined;
}
