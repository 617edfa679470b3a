/**
 * Source positions for parsed objects. `yaml` keeps offsets on every node; this module turns a
 * field path into the position of that field's value (or key), so that a validator can say
 * "spec.nodes is wrong" and the editor underlines exactly `two` in `nodes: two`.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node as YamlNode, Pair } from 'yaml';
import type { DocSource, HeldDoc } from './doc-source';
import { heldDoc } from './doc-source';
import type { Located, SourcePos } from './types';

/** One step of a field path: a mapping key or a list index. */
export type PathSegment = string | number;

/** Finds positions of fields inside one object of the scenario. */
export interface Locator {
  /** The position of the object itself. */
  readonly pos: SourcePos;
  /** The position of the value at `path`, or of its nearest existing parent. */
  valuePos(path: readonly PathSegment[]): SourcePos;
  /** The position of the key at `path` (its value's position for list items), or of its nearest existing parent. */
  keyPos(path: readonly PathSegment[]): SourcePos;
}

/** Converts a text range to a `SourcePos` with 1-based line and column. */
export function toSourcePos(lines: LineCounter, offset: number, end: number): SourcePos {
  const { line, col } = lines.linePos(offset);
  // linePos reports line 0 before the first recorded newline; the parser records offset 0, so
  // this only guards against a counter that saw no text.
  return { line: Math.max(1, line), col: Math.max(1, col), offset, end };
}

/** Splits a dotted path (`spec.containers.0.name`); numeric parts stay strings and match list indexes. */
export function splitPath(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

interface Step {
  node: YamlNode | null;
  key: YamlNode | null;
}

/** A node's text range, counted in the whole text (a recomposed doc counts from `base`). */
function nodeRange(node: YamlNode | null, base: number): [number, number] | null {
  const r = node?.range;
  return r ? [r[0] + base, r[1] + base] : null;
}

function scalarKeyText(pair: Pair): string | null {
  return isScalar(pair.key) ? String(pair.key.value) : null;
}

/**
 * The pair of `map` whose key is the longest run of `segments` from `i` joined by dots, so that a
 * dotted path still reaches keys that contain dots (annotation keys such as `hopscope.dev/pod-ip`).
 */
function findPair(items: Pair[], segments: readonly PathSegment[], i: number): { pair: Pair; used: number } | null {
  for (let j = segments.length; j > i; j--) {
    const key = segments.slice(i, j).join('.');
    const pair = items.find((p) => isPair(p) && scalarKeyText(p) === key);
    if (pair) return { pair, used: j - i };
  }
  return null;
}

/** Walks `segments` from `root`, returning the steps taken (the last one is the deepest found). */
function walk(doc: Document, root: YamlNode | null, segments: readonly PathSegment[]): Step[] {
  const steps: Step[] = [{ node: root, key: null }];
  let node = root;
  let i = 0;
  // Each step consumes at least one segment, so the walk ends after segments.length steps.
  while (i < segments.length && node) {
    // WARNING: Alias.resolve scans the whole YAML doc; fine for the few lookups diagnostics make.
    if (isAlias(node)) node = (node.resolve(doc) as YamlNode | undefined) ?? null;
    if (isMap(node)) {
      const found = findPair(node.items as Pair[], segments, i);
      if (!found) break;
      node = (found.pair.value as YamlNode | null) ?? null;
      steps.push({ node, key: found.pair.key as YamlNode });
      i += found.used;
    } else if (isSeq(node)) {
      const item = node.items[Number(segments[i])];
      if (!/^\d+$/.test(String(segments[i])) || item === undefined) break;
      node = item as YamlNode;
      steps.push({ node, key: null });
      i += 1;
    } else break;
  }
  return steps;
}

/** The node at `rootPath` of a held doc (the doc's root for a plain object, an item of a List). */
function rootNodeOf(held: HeldDoc, rootPath: readonly PathSegment[]): YamlNode | null {
  const steps = walk(held.doc, held.doc.contents as YamlNode | null, rootPath);
  return steps[steps.length - 1]?.node ?? null;
}

/**
 * Builds a `Locator` for the object at `rootPath` inside the doc `src`, which must be held (the
 * parse builds every locator before it releases its docs). Later lookups compose the doc again
 * if it was released (doc-source.ts).
 */
export function createLocator(src: DocSource, rootPath: readonly PathSegment[] = []): Locator {
  const { lines } = src;
  const pos = rootPosOf(src, rootPath);
  // Nothing of the tree is kept here (the closure would keep it alive): each lookup starts from
  // the doc as `heldDoc` gives it.
  const at = (path: readonly PathSegment[], preferKey: boolean): SourcePos => {
    const held = heldDoc(src);
    if (!held) return pos;
    const steps = walk(held.doc, rootNodeOf(held, rootPath), path);
    for (let k = steps.length - 1; k >= 0; k--) {
      const step = steps[k] as Step;
      const value = nodeRange(step.node, held.base);
      const key = nodeRange(step.key, held.base);
      // An empty value (`nodes:` with nothing after it) has a zero-length range after the colon;
      // the key is the better place to point at.
      const valueEmpty = !value || value[0] === value[1];
      const range = preferKey || valueEmpty ? (key ?? value) : value;
      if (range) return toSourcePos(lines, range[0], range[1]);
    }
    return pos;
  };
  return { pos, valuePos: (path) => at(path, false), keyPos: (path) => at(path, true) };
}

/** The position of the object itself: its node's range, or the doc's start. */
function rootPosOf(src: DocSource, rootPath: readonly PathSegment[]): SourcePos {
  const held = heldDoc(src);
  const range = (held && nodeRange(rootNodeOf(held, rootPath), held.base)) ?? [src.start, src.start];
  return toSourcePos(src.lines, range[0], range[1]);
}

/** Wraps a value with its position and a dotted-path `fieldPos` lookup (see `Located`). */
export function toLocated<T>(value: T, locator: Locator): Located<T> {
  return { value, pos: locator.pos, fieldPos: (path) => locator.valuePos(splitPath(path)) };
}
