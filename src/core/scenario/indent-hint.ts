/**
 * The commonest YAML mistake in a hand-written manifest is one key indented deeper than the
 * key above it, which already has a value:
 *
 *     nodes: 2
 *      cni:
 *
 * `yaml` reads the two lines as one multi-line implicit key and reports two errors ("Nested
 * mappings are not allowed in compact mappings", "Implicit keys need to be on a single line")
 * at the value on the line *above* (`2`), which sends the reader to the wrong line. This module
 * recognises that shape and names the line that is actually wrong, how deep it is, and how deep
 * the key above it is.
 */
import type { LineCounter } from 'yaml';

/** The over-indented line, as offsets into the text, and what to say about it. */
export interface IndentHint {
  start: number;
  end: number;
  message: string;
}

/** Text of line `i` (0-based) without its line break. */
function lineText(text: string, starts: readonly number[], i: number): string {
  const end = i + 1 < starts.length ? starts[i + 1]! : text.length;
  return text.slice(starts[i]!, end).replace(/\r?\n$/, '');
}

/** Column (0-based) where a line's key starts: after its indentation and any `- ` list markers. */
function keyColumn(line: string): number {
  const m = /^[ ]*(?:-[ ]+)*/.exec(line)!;
  return m[0].length;
}

function isBlankOrComment(line: string): boolean {
  return /^\s*(#.*)?$/.test(line);
}

/** The first content line at or after line `i` (0-based), or -1. */
function contentLineFrom(text: string, starts: readonly number[], i: number, step: 1 | -1): number {
  for (let j = i; j >= 0 && j < starts.length; j += step) if (!isBlankOrComment(lineText(text, starts, j))) return j;
  return -1;
}

/**
 * For a `yaml` error at `offset`, the over-indented line when that is what the error is about;
 * otherwise null (the error is some other mistake, and `yaml`'s own message stands). `yaml`
 * reports the shape two ways: BLOCK_AS_IMPLICIT_KEY at the value on the line above when the two
 * lines touch, BAD_INDENT at the start of the next line when a comment line comes between.
 */
export function overIndentedLine(text: string, lines: LineCounter, offset: number, code: string): IndentHint | null {
  const starts = lines.lineStarts;
  const at = lines.linePos(offset).line - 1;
  if (at < 0 || at >= starts.length) return null;
  let aboveAt: number;
  let nextAt: number;
  if (code === 'BLOCK_AS_IMPLICIT_KEY') {
    aboveAt = at;
    nextAt = contentLineFrom(text, starts, at + 1, 1);
  } else if (code === 'BAD_INDENT') {
    nextAt = contentLineFrom(text, starts, at, 1);
    aboveAt = nextAt > 0 ? contentLineFrom(text, starts, nextAt - 1, -1) : -1;
  } else return null;
  if (aboveAt < 0 || nextAt < 0) return null;
  const above = lineText(text, starts, aboveAt);
  const keyAbove = keyColumn(above);
  const pair = /^([^:#]+?):[ \t]+\S/.exec(above.slice(keyAbove));
  if (!pair) return null;
  const next = lineText(text, starts, nextAt);
  const indent = /^[ ]*/.exec(next)![0].length;
  if (indent <= keyAbove) return null;
  const key = next.slice(indent).replace(/\s+#.*$/, '').trimEnd();
  return {
    start: starts[nextAt]! + indent,
    end: starts[nextAt]! + indent + key.length,
    message:
      `line ${nextAt + 1} is indented ${indent} spaces, deeper than "${pair[1]}:" on line ${aboveAt + 1} (${keyAbove}), which already has a value, ` +
      `so YAML cannot read "${key}" as a key of its own; indent it by ${keyAbove} spaces to line up with "${pair[1]}:", or fewer to close the block above`,
  };
}
