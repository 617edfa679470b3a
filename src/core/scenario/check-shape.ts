/**
 * Walks a value against a `Shape`, reporting through positions from a `Locator`.
 * Recursion follows the shape, which is finite, never the value; so hostile input cannot make
 * it recurse deeper than our own declarations.
 */
import { didYouMean } from './did-you-mean';
import type { Reporter } from './diagnostics';
import type { Locator, PathSegment } from './positions';
import type { FieldAt, ListShape, NumberShape, ObjectShape, Shape } from './shape';

/** Creates the `FieldAt` for `path` in an object of `kind`. */
export function fieldAt(kind: string, locator: Locator, out: Reporter, path: readonly PathSegment[] = []): FieldAt {
  const posOf = (sub: readonly PathSegment[] | undefined, where: 'key' | 'value' = 'value') => {
    const full = sub ? [...path, ...sub] : path;
    if (where === 'value') return locator.valuePos(full);
    return full.length === 0 ? locator.pos : locator.keyPos(full);
  };
  return {
    path,
    name: path.join('.'),
    kind,
    error: (code, message, sub, where) => out.error(code, message, posOf(sub, where)),
    warning: (code, message, sub, where) => out.warning(code, message, posOf(sub, where)),
    child: (segment) => fieldAt(kind, locator, out, [...path, segment]),
  };
}

const DEFAULT_EXPECTED: Record<Shape['type'], string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  list: 'a list',
  record: 'a mapping',
  union: 'a value',
  any: 'a value',
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when `value` has the YAML type `shape` wants (used to pick a union member). */
function typeMatches(shape: Shape, value: unknown): boolean {
  switch (shape.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
    case 'record':
      return isPlainObject(value);
    case 'list':
      return Array.isArray(value);
    case 'union':
      return shape.options.some((o) => typeMatches(o, value));
    case 'any':
      return true;
  }
}

function label(at: FieldAt): string {
  return at.name === '' ? `the ${at.kind} YAML doc` : at.name;
}

function checkNumber(shape: NumberShape, value: number, at: FieldAt): void {
  if (!Number.isFinite(value)) return at.error('wrong-type', `${label(at)} must be a finite number`);
  if (shape.integer && !Number.isInteger(value)) return at.error('wrong-type', `${label(at)} must be a whole number`);
  const { min, max } = shape;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = max === undefined ? `at least ${min}` : min === undefined ? `at most ${max}` : `between ${min} and ${max}`;
    return at.error('out-of-range', `${label(at)} must be ${range} (got ${value})`);
  }
  shape.check?.(value, at);
}

function checkObject(shape: ObjectShape, value: Record<string, unknown>, at: FieldAt): void {
  for (const name of shape.required ?? []) {
    if (value[name] === undefined || value[name] === null) {
      at.error('missing-field', `${at.name === '' ? name : `${at.name}.${name}`} is required in ${at.kind}`, [], 'key');
    }
  }
  for (const [name, v] of Object.entries(value)) {
    const fieldShape = shape.fields[name];
    if (fieldShape) {
      if (v !== null && v !== undefined) checkShape(fieldShape, v, at.child(name));
    } else if (!shape.open && !shape.known?.includes(name)) {
      const full = at.name === '' ? name : `${at.name}.${name}`;
      const known = [...Object.keys(shape.fields), ...(shape.known ?? [])];
      at.warning('unknown-field', `unknown field ${full} in ${at.kind}${didYouMean(name, known)}`, [name], 'key');
    }
  }
  shape.check?.(value, at);
}

function checkList(shape: ListShape, value: unknown[], at: FieldAt): void {
  if (shape.minItems !== undefined && value.length < shape.minItems) {
    at.error('missing-field', `${label(at)} needs at least ${shape.minItems} item${shape.minItems === 1 ? '' : 's'}`);
  }
  value.forEach((item, i) => {
    if (item === null || item === undefined) at.child(i).error('wrong-type', `${at.name}.${i} must be ${shape.items.expected ?? DEFAULT_EXPECTED[shape.items.type]}`);
    else checkShape(shape.items, item, at.child(i));
  });
  shape.check?.(value, at);
}

/**
 * The commonest wrong type in a pasted manifest is a quoted number (`containerPort: "80"`): YAML
 * reads it as a string and the apiserver refuses it (cannot unmarshal string into … of type
 * int32), which "must be a number" alone does not explain.
 */
function quotedHint(shape: Shape, value: unknown): string {
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value.trim())) return '';
  const wantsNumber = shape.type === 'number' || (shape.type === 'union' && shape.options.some((o) => o.type === 'number'));
  return wantsNumber ? ` (got the string "${value}"; write ${value.trim()} without quotes)` : '';
}

/**
 * Checks `value` (not null) against `shape` at `at`, reporting every problem found. Never throws
 * for any JSON-like value.
 */
export function checkShape(shape: Shape, value: unknown, at: FieldAt): void {
  if (!typeMatches(shape, value)) {
    at.error('wrong-type', `${label(at)} must be ${shape.expected ?? DEFAULT_EXPECTED[shape.type]}${quotedHint(shape, value)}`);
    return;
  }
  switch (shape.type) {
    case 'string': {
      const s = value as string;
      if (shape.enum && !shape.enum.includes(s)) {
        at.error('invalid-value', `${label(at)} must be one of ${shape.enum.join(', ')} (got "${s}")${didYouMean(s, shape.enum)}`);
      } else shape.check?.(s, at);
      return;
    }
    case 'number':
      return checkNumber(shape, value as number, at);
    case 'object':
      return checkObject(shape, value as Record<string, unknown>, at);
    case 'list':
      return checkList(shape, value as unknown[], at);
    case 'record':
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) checkShape(shape.values, v, at.child(k));
      shape.check?.(value as Record<string, unknown>, at);
      return;
    case 'union': {
      const option = shape.options.find((o) => typeMatches(o, value));
      if (option) checkShape(option, value, at);
      return;
    }
    case 'boolean':
    case 'any':
      return;
  }
}
