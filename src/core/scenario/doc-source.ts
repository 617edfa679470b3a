/**
 * A YAML doc kept as where it is in the text rather than as its composed tree. `yaml`'s tree
 * (a node, a range array and an items array per scalar, pair, map and list) is only needed to
 * find a field's position for a diagnostic, yet kept for every doc it was most of a parsed
 * scenario: 16.6 MB of the 21.3 MB a parsed 3,001-doc scenario kept, alive through every compile
 * of it, where each full garbage collection had to mark it. So the tree is held
 * while the parse reports, then released, and composed again from the same text on the rare
 * later lookup (a compile diagnostic about one field).
 */
import { Composer, Parser } from 'yaml';
import type { CST, Document, LineCounter } from 'yaml';

/** How every scenario doc is composed (read-yaml.ts); a recomposed doc must come out the same. */
export const COMPOSE_OPTIONS = { merge: true, uniqueKeys: true } as const;

/** A composed doc and the offset its node ranges count from (0 for the parse's own). */
export interface HeldDoc {
  doc: Document;
  base: number;
}

/** One YAML doc of a scenario text. */
export interface DocSource {
  readonly text: string;
  readonly lines: LineCounter;
  /** The doc's range in `text`: start (its `---` or first content) and end of its content. */
  readonly start: number;
  readonly contentEnd: number;
  /** The composed doc while held; null once released (composed again on demand). */
  held: HeldDoc | null;
}

/**
 * Whether a top-level parser token is a YAML doc (`CST.Document`). Of the tokens `Parser.parse`
 * yields at top level (doc, doc-end, directive, error, comment/space/newline/BOM), only a doc
 * carries a `start` array and no `source`; the check is structural so no string compare is needed.
 */
export function isDocToken(token: CST.Token): token is CST.Document {
  return 'start' in token && Array.isArray(token.start) && !('source' in token);
}

export function docSource(text: string, lines: LineCounter, doc: Document): DocSource {
  const range = doc.range ?? [0, 0, 0];
  return { text, lines, start: range[0], contentEnd: range[1], held: { doc, base: 0 } };
}

/**
 * Lets the tree go once the parse is done with it. A doc read under a `%YAML 1.1` or `%TAG`
 * directive is kept: directives can carry over from earlier docs of the stream (YAML 1.1), and a
 * doc composed again on its own would read its scalars under the defaults.
 */
export function releaseDoc(src: DocSource): void {
  const d = src.held?.doc.directives;
  if (!d || d.yaml.version !== '1.2') return;
  const tags = Object.keys(d.tags);
  if (tags.length !== 1 || d.tags['!!'] !== DEFAULT_TAG_PREFIX) return;
  src.held = null;
}

const DEFAULT_TAG_PREFIX = 'tag:yaml.org,2002:';

/**
 * The doc's tree: the held one, or the doc composed again from its own lines of the text (a doc
 * starts at a line's start, or after the indentation of the first doc; its tree depends only on
 * its own token). Null if that fails to give back the same doc, which the caller answers with
 * the object's own position.
 */
export function heldDoc(src: DocSource): HeldDoc | null {
  if (src.held) return src.held;
  try {
    const { col } = src.lines.linePos(src.start);
    const base = src.start - Math.max(0, col - 1);
    for (const token of new Parser().parse(src.text.slice(base))) {
      if (!isDocToken(token)) continue;
      const composer = new Composer(COMPOSE_OPTIONS);
      const doc = [...composer.next(token), ...composer.end()][0];
      const range = doc?.range;
      if (!doc || !range || doc.errors.length || range[0] + base !== src.start || range[1] + base !== src.contentEnd) return null;
      // Kept from now on: a doc asked about once is usually asked about again (each diagnostic).
      return (src.held = { doc, base });
    }
  } catch {
    // A doc that composed once composes again; should it not, the object's position will do.
  }
  return null;
}
