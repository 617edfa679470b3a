/**
 * Splits a command line the way a POSIX shell does for the cases a terminal user types: words
 * separated by blanks, single quotes (literal), double quotes (backslash escapes `"` `\` `$`),
 * backslash outside quotes, `#` comments, and the list operators `;`, `&&`, `||`, `&` and `|`.
 * No expansion of variables, globs or substitutions: the words are what was typed.
 */

/** One simple command of a line and the operator that follows it. */
export interface Pipeline {
  /** The commands joined by `|`, each a list of words. */
  commands: string[][];
  /** What joins this pipeline to the next: `;`, `&&`, `||`, `&` (background), or end. */
  then: ';' | '&&' | '||' | '&' | 'end';
}

export type SplitResult = { ok: true; pipelines: Pipeline[] } | { ok: false; error: string };

const OPERATORS = ['&&', '||', ';', '&', '|'] as const;

interface Lexer {
  words: string[];
  cur: string;
  inWord: boolean;
  pipelines: Pipeline[];
  commands: string[][];
}

function endWord(l: Lexer): void {
  if (l.inWord) l.words.push(l.cur);
  l.cur = '';
  l.inWord = false;
}

function endCommand(l: Lexer, op: string): string | undefined {
  endWord(l);
  if (!l.words.length) return op === 'end' && !l.commands.length ? undefined : `bash: syntax error near unexpected token \`${op === 'end' ? 'newline' : op}'`;
  l.commands.push(l.words);
  l.words = [];
  if (op !== '|') {
    l.pipelines.push({ commands: l.commands, then: op as Pipeline['then'] });
    l.commands = [];
  }
  return undefined;
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
  const l: Lexer = { words: [], cur: '', inWord: false, pipelines: [], commands: [] };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'" || ch === '"') {
      const close = readQuoted(line, i, ch, l);
      if (close < 0) return { ok: false, error: `bash: unexpected EOF while looking for matching \`${ch}'` };
      l.inWord = true;
      i = close;
    } else if (ch === '\\' && i + 1 < line.length) {
      l.cur += line[++i];
      l.inWord = true;
    } else if (ch === ' ' || ch === '\t') endWord(l);
    else if (ch === '#' && !l.inWord) break;
    else if ('&|;'.includes(ch)) {
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
