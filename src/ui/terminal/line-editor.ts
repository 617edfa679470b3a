/**
 * The terminal's line discipline as a small framework-free controller (STYLE §11): it takes the
 * bytes xterm hands over (keys, pastes) and says what to echo, when a line is submitted, and how
 * Tab completes — bash's readline behaviour for the keys people use: printable text, Backspace,
 * Enter, Tab (complete or list), Up/Down (history), Ctrl-C, Ctrl-U, Ctrl-L.
 */

/** What the caller must do after a key. */
export interface EditorEffect {
  /** Text to write to the terminal (already with \r\n line ends). */
  write: string;
  /** A full line the user submitted with Enter. */
  submit?: string;
  /** Clear the screen (Ctrl-L), then write `write`. */
  clear?: boolean;
}

export interface LineEditor {
  /** Feeds what xterm's onData delivered. */
  input(data: string): EditorEffect;
  /** The line typed so far. */
  line(): string;
  /** The prompt (changes when the place changes). */
  setPrompt(p: string): void;
}

/** `complete(line)` gives the candidates for the last word; `history()` the lines run so far. */
export interface EditorDeps {
  prompt: string;
  complete(line: string): string[];
  history(): string[];
}

function commonPrefix(list: string[]): string {
  let p = list[0] ?? '';
  for (const s of list) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** A line editor bound to a shell's completion and history. */
export function createLineEditor(deps: EditorDeps): LineEditor {
  let prompt = deps.prompt;
  let line = '';
  let back = 0; // how far up the history we are (0 = the line being typed)
  let draft = '';

  const replaceLine = (next: string): string => {
    const erase = '\b \b'.repeat(line.length);
    line = next;
    return erase + next;
  };

  const tab = (): string => {
    const list = deps.complete(line);
    const word = /(\S*)$/.exec(line)![1]!;
    if (list.length === 1) return replaceLine(line.slice(0, line.length - word.length) + list[0] + ' ');
    if (list.length > 1) {
      const common = commonPrefix(list);
      if (common.length > word.length) return replaceLine(line.slice(0, line.length - word.length) + common);
      return `\r\n${list.join('  ')}\r\n${prompt}${line}`;
    }
    return '\x07';
  };

  const history = (dir: 1 | -1): string => {
    const h = deps.history();
    const next = Math.max(0, Math.min(h.length, back + dir));
    if (next === back) return '';
    if (back === 0) draft = line;
    back = next;
    return replaceLine(back === 0 ? draft : h[h.length - back]!);
  };

  const key = (k: string): EditorEffect => {
    switch (k) {
      case '\r': {
        const submitted = line;
        line = '';
        back = 0;
        return { write: '\r\n', submit: submitted };
      }
      case '\x7f':
      case '\b':
        if (!line) return { write: '' };
        line = line.slice(0, -1);
        return { write: '\b \b' };
      case '\t':
        return { write: tab() };
      case '\x1b[A':
        return { write: history(1) };
      case '\x1b[B':
        return { write: history(-1) };
      case '\x03':
        line = '';
        back = 0;
        return { write: `^C\r\n${prompt}` };
      case '\x15':
        return { write: replaceLine('') };
      case '\x0c':
        return { write: `${prompt}${line}`, clear: true };
      default:
        if (k.startsWith('\x1b')) return { write: '' }; // other escape sequences: ignored
        line += k;
        return { write: k };
    }
  };

  return {
    input(data) {
      // A paste arrives as one chunk: run it key by key (escape sequences whole).
      // eslint-disable-next-line no-control-regex -- ESC is exactly what an arrow key sends
      const keys = data.match(/\x1b\[[0-9;]*[A-Za-z]|[\s\S]/g) ?? [];
      const out: EditorEffect = { write: '' };
      for (const k of keys) {
        const e = key(k.replace('\n', '\r'));
        out.write += e.write;
        if (e.clear) out.clear = true;
        if (e.submit !== undefined) return { ...out, submit: e.submit };
      }
      return out;
    },
    line: () => line,
    setPrompt(p) {
      prompt = p;
    },
  };
}
