/**
 * Splits a command line the way a POSIX shell does for the cases a terminal user types: words
 * separated by blanks, single quotes (literal), double quotes (backslash escapes `"` `\` `$`),
 * backslash outside quotes, `#` comments, the list operators `;`, `&&`, `||`, `&` and `|`, and
 * the redirections `>`, `>>`, `<`, `N>`, `N>>`, `N>&M`, `>&M`, `&>` and `&>>` (bash's
 * parse.y: a word of digits right before `>`/`<` is the descriptor, `&>F` is `>F 2>&1`).
 * No expansion of variables, globs or substitutions: the words are what was typed.
 */

/** One redirection, in the order typed (bash applies them left to right). */
export interface Redirect {
  /** The descriptor redirected: 0 stdin, 1 stdout, 2 stderr. */
  fd: number;
  /** `>` truncate, `>>` append, `<` read, `>&` duplicate the descriptor `target`. */
  op: '>' | '>>' | '<' | '>&';
  /** A path, or for `>&` a descriptor number. */
  target: string;
}

/** One simple command of a line and the operator that follows it. */
export interface Pipeline {
  /** The commands joined by `|`, each a list of words. */
  commands: string[][];
  /** Each command's redirections (same index as `commands`). */
  redirects: Redirect[][];
  /** What joins this pipeline to the next: `;`, `&&`, `||`, `&` (background), or end. */
  then: ';' | '&&' | '||' | '&' | 'end';
}

export type SplitResult = { ok: true; pipelines: Pipeline[] } | { ok: false; error: string };

const OPERATORS = ['&&', '||', ';', '&', '|'] as const;

interface Lexer {
  words: string[];
  cur: string;
  inWord: boolean;
  /** The current word holds quoted text (so `'2'>` is a word, not a descriptor). */
  quoted: boolean;
  pipelines: Pipeline[];
  commands: string[][];
  redirects: Redirect[];
  commandRedirects: Redirect[][];
  /** A redirection waiting for its target word (`&>` also sends stderr there once it arrives). */
  pending?: Omit<Redirect, 'target'> & { andStderr?: boolean };
}

function syntaxError(op: string): string {
  return `bash: syntax error near unexpected token \`${op === 'end' ? 'newline' : op}'`;
}

function endWord(l: Lexer): void {
  if (l.inWord) {
    if (l.pending) {
      const { andStderr, ...r } = l.pending;
      l.redirects.push({ ...r, target: l.cur });
      if (andStderr) l.redirects.push({ fd: 2, op: '>&', target: '1' });
    } else l.words.push(l.cur);
    delete l.pending;
  }
  l.cur = '';
  l.inWord = false;
  l.quoted = false;
}

function endCommand(l: Lexer, op: string): string | undefined {
  endWord(l);
  if (l.pending) return syntaxError(op);
  if (!l.words.length && !l.redirects.length) return op === 'end' && !l.commands.length ? undefined : syntaxError(op);
  l.commands.push(l.words);
  l.commandRedirects.push(l.redirects);
  l.words = [];
  l.redirects = [];
  if (op !== '|') {
    l.pipelines.push({ commands: l.commands, redirects: l.commandRedirects, then: op as Pipeline['then'] });
    l.commands = [];
    l.commandRedirects = [];
  }
  return undefined;
}

/**
 * Reads the redirection operator at `i` (`>`, `>>`, `<`, `>&`, `&>`, `&>>`, after an optional
 * descriptor already in the current word); returns the index of its last character, or an error.
 */
function readRedirect(line: string, i: number, l: Lexer): number | string {
  if (l.pending) return syntaxError(line[i] === '<' ? '<' : '>');
  let fd: number | undefined;
  if (l.inWord && !l.quoted && /^\d+$/.test(l.cur)) {
    fd = Number(l.cur);
    l.cur = '';
    l.inWord = false;
  } else endWord(l);
  if (line.startsWith('&>', i)) {
    const append = line[i + 2] === '>';
    // `&>F` is `>F 2>&1`: the target is read next; the duplicate follows it.
    l.pending = { fd: 1, op: append ? '>>' : '>', andStderr: true };
    return i + (append ? 2 : 1);
  }
  if (line[i] === '<') {
    l.pending = { fd: fd ?? 0, op: '<' };
    return i;
  }
  if (line.startsWith('>>', i)) {
    l.pending = { fd: fd ?? 1, op: '>>' };
    return i + 1;
  }
  if (line.startsWith('>&', i)) {
    const m = /^\d+|^-/.exec(line.slice(i + 2));
    if (!m) return syntaxError('&');
    l.redirects.push({ fd: fd ?? 1, op: '>&', target: m[0] });
    return i + 1 + m[0].length;
  }
  l.pending = { fd: fd ?? 1, op: '>' };
  return line[i + 1] === '|' ? i + 1 : i; // `>|` (noclobber override) is `>` here
}

/** Reads a quoted stretch starting after the quote at `i`; returns the index of the closing quote. */
function readQuoted(line: string, i: number, q: string, l: Lexer): number {
  for (let j = i + 1; j < line.length; j++) {
    const ch = line[j]!;
    if (ch === q) return j;
    if (q === '"' && ch === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) l.cur += line[++j];
    else l.cur += ch;
  }
  return -1;
}

/** Splits `line` into pipelines, or reports the error bash would. */
export function splitLine(line: string): SplitResult {
  const l: Lexer = { words: [], cur: '', inWord: false, quoted: false, pipelines: [], commands: [], redirects: [], commandRedirects: [] };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'" || ch === '"') {
      const close = readQuoted(line, i, ch, l);
      if (close < 0) return { ok: false, error: `bash: unexpected EOF while looking for matching \`${ch}'` };
      l.inWord = true;
      l.quoted = true;
      i = close;
    } else if (ch === '\\' && i + 1 < line.length) {
      l.cur += line[++i];
      l.inWord = true;
      l.quoted = true;
    } else if (ch === ' ' || ch === '\t') endWord(l);
    else if (ch === '#' && !l.inWord) break;
    else if (ch === '>' || ch === '<' || line.startsWith('&>', i)) {
      const end = readRedirect(line, i, l);
      if (typeof end === 'string') return { ok: false, error: end };
      i = end;
    } else if ('&|;'.includes(ch)) {
      const op = OPERATORS.find((o) => line.startsWith(o, i))!;
      const e = endCommand(l, op);
      if (e) return { ok: false, error: e };
      i += op.length - 1;
    } else {
      l.cur += ch;
      l.inWord = true;
    }
  }
  const e = endCommand(l, 'end');
  if (e) return { ok: false, error: e };
  return { ok: true, pipelines: l.pipelines };
}

/** Quotes a word for display so that splitLine reads it back unchanged. */
export function quoteWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
