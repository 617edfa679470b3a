/**
 * Text → YAML YAML docs with plain values and positions, applying the resource limits.
 * Every problem becomes a diagnostic; a broken YAML doc is skipped and the others still read.
 *
 * This does what `yaml`'s `parseAllDocuments` does (Parser → Composer, positions from a
 * LineCounter), one token at a time, so that it can stop after `maxDocuments` and refuse a
 * too-deep YAML doc before the recursive composer sees it.
 */
import { Composer, LineCounter, Parser } from 'yaml';
import type { CST, Document, YAMLError } from 'yaml';
import { measureTokens } from './cst-guard';
import type { Reporter } from './diagnostics';
import type { ParseLimits } from './limits';
import { toSourcePos } from './positions';
import { overIndentedLine } from './indent-hint';
import type { DocSource } from './doc-source';
import { COMPOSE_OPTIONS, docSource, isDocToken } from './doc-source';

/** One composed YAML doc whose value could be built. */
export interface YamlDocument {
  /** Where the doc is, and its composed tree until the parse releases it (doc-source.ts). */
  source: DocSource;
  /** The YAML doc as plain JSON-like data (`toJS`). */
  value: unknown;
}

/** Documents and the line table that turns their offsets into positions. */
export interface ReadResult {
  docs: YamlDocument[];
  lines: LineCounter;
}

function reportYamlError(e: YAMLError, lines: LineCounter, out: Reporter, severity: 'error' | 'warning'): void {
  const code = e.code === 'RESOURCE_EXHAUSTION' ? 'yaml-too-deep' : severity === 'error' ? 'yaml-syntax' : 'yaml-warning';
  const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  out.report(severity, code, message, toSourcePos(lines, e.pos[0], e.pos[1]));
}

/** Builds the plain value of a YAML doc, turning `yaml`'s alias-bomb refusal into a diagnostic. */
function toValue(text: string, doc: Document, lines: LineCounter, limits: ParseLimits, out: Reporter): YamlDocument | null {
  const pos = toSourcePos(lines, doc.range?.[0] ?? 0, doc.range?.[1] ?? 0);
  try {
    return { source: docSource(text, lines, doc), value: doc.toJS({ maxAliasCount: limits.maxAliasCount }) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/Excessive alias count/.test(message)) {
      out.error('yaml-alias-limit', `YAML doc expands aliases too many times (more than ${limits.maxAliasCount}); refused as a possible alias bomb`, pos);
    } else if (e instanceof RangeError) {
      out.error('yaml-too-deep', 'YAML doc nests too deeply (through aliases) to read', pos);
    } else {
      out.error('yaml-syntax', message, pos);
    }
    return null;
  }
}

function acceptDocument(text: string, doc: Document, lines: LineCounter, limits: ParseLimits, out: Reporter, docs: YamlDocument[]): void {
  // An over-indented key is named on its own line; yaml's errors about the lines around it
  // (BLOCK_AS_IMPLICIT_KEY, then MULTILINE_IMPLICIT_KEY at the same offset; or BAD_INDENT)
  // give way to it.
  const hinted = new Set<number>();
  for (const e of doc.errors) {
    if (hinted.has(e.pos[0])) continue;
    const hint = overIndentedLine(text, lines, e.pos[0], e.code);
    if (hint) {
      hinted.add(e.pos[0]);
      out.error('yaml-indent', hint.message, toSourcePos(lines, hint.start, hint.end));
    } else reportYamlError(e, lines, out, 'error');
  }
  for (const w of doc.warnings) reportYamlError(w, lines, out, 'warning');
  // A YAML doc with syntax errors would only add confusing follow-on diagnostics.
  if (doc.errors.length > 0 || doc.contents === null) return;
  const read = toValue(text, doc, lines, limits, out);
  // `---` followed by nothing (or only comments) is an empty YAML doc, which kubectl skips too.
  if (read && read.value !== null && read.value !== undefined) docs.push(read);
}

/** Refuses a YAML doc token that is too deep or has too many anchors; returns true to keep it. */
function guardToken(token: CST.Token, lines: LineCounter, limits: ParseLimits, out: Reporter): boolean {
  if (!isDocToken(token)) return true;
  const stats = measureTokens(token, limits.maxDepth);
  if (stats.tooDeepAt >= 0) {
    const pos = toSourcePos(lines, stats.tooDeepAt, stats.tooDeepAt);
    out.error('yaml-too-deep', `YAML doc nests more than ${limits.maxDepth} levels deep; refused`, pos);
    return false;
  }
  if (stats.anchors > limits.maxAnchors) {
    const pos = toSourcePos(lines, token.offset, token.offset);
    out.error('yaml-alias-limit', `YAML doc has ${stats.anchors} anchors and aliases (limit ${limits.maxAnchors}); refused`, pos);
    return false;
  }
  return true;
}

/**
 * Reads every YAML doc of `text`. Does not throw for any string; stops reading (with a
 * `too-many-documents` error) after `limits.maxDocuments` YAML docs.
 */
export function readYaml(text: string, limits: ParseLimits, out: Reporter): ReadResult {
  const lines = new LineCounter();
  const parser = new Parser(lines.addNewLine);
  // Kubernetes reads YAML with merge keys (`<<: *base`), so accept them too.
  const composer = new Composer(COMPOSE_OPTIONS);
  const docs: YamlDocument[] = [];
  let seen = 0;
  for (const token of parser.parse(text)) {
    if (isDocToken(token) && ++seen > limits.maxDocuments) {
      const pos = toSourcePos(lines, token.offset, token.offset);
      out.error('too-many-documents', `more than ${limits.maxDocuments} YAML docs; the rest are not read`, pos);
      break;
    }
    if (!guardToken(token, lines, limits, out)) continue;
    for (const doc of composer.next(token)) acceptDocument(text, doc, lines, limits, out, docs);
  }
  for (const doc of composer.end()) acceptDocument(text, doc, lines, limits, out, docs);
  for (const e of composer.streamInfo().errors) reportYamlError(e, lines, out, 'error');
  return { docs, lines };
}
