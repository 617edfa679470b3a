/**
 * A small declarative description of the fields the parser validates. Each kind's validator is
 * a `Shape` plus a few cross-field checks; `checkShape` walks value and shape together and
 * reports wrong types, missing fields, bad enum values, ranges and unknown fields with the
 * position of the offending field.
 *
 * This is deliberately smaller than JSON Schema: it carries the wording of our messages
 * ("spec.nodes must be a number or a list of nodes") and the list of real Kubernetes fields we
 * accept without modelling, which the generated schema does not know.
 */
import type { PathSegment } from './positions';

/** Where a field is, and how to report about it. Given to custom checks. */
export interface FieldAt {
  /** The field's path from the object root. */
  readonly path: readonly PathSegment[];
  /** The path as printed in messages: `spec.containers.0.name`. */
  readonly name: string;
  /** The kind of the object being checked, for messages ("… in Cluster"). */
  readonly kind: string;
  /**
   * Reports an error at this field's value, or at `sub` below it when given; with `where: 'key'`
   * at the field's key instead (for "unknown field" and "missing field" on the parent).
   */
  error(code: string, message: string, sub?: readonly PathSegment[], where?: 'key' | 'value'): void;
  warning(code: string, message: string, sub?: readonly PathSegment[], where?: 'key' | 'value'): void;
  /** The position-aware handle for a child field. */
  child(segment: PathSegment): FieldAt;
}

interface ShapeBase {
  /** Replaces the default "a string", "a number" … in "X must be …". */
  expected?: string;
}

/** A string, optionally from a fixed set. */
export interface StringShape extends ShapeBase {
  type: 'string';
  enum?: readonly string[];
  check?: (value: string, at: FieldAt) => void;
}

/** A number, optionally an integer within a range (inclusive). */
export interface NumberShape extends ShapeBase {
  type: 'number';
  integer?: boolean;
  min?: number;
  max?: number;
  check?: (value: number, at: FieldAt) => void;
}

export interface BooleanShape extends ShapeBase {
  type: 'boolean';
}

/** A mapping with named fields. */
export interface ObjectShape extends ShapeBase {
  type: 'object';
  fields: Readonly<Record<string, Shape>>;
  required?: readonly string[];
  /** Real fields (Kubernetes API fields we do not model) accepted without checks or warnings. */
  known?: readonly string[];
  /** Accept any other field silently (for parts of the API we only pass through). */
  open?: boolean;
  check?: (value: Record<string, unknown>, at: FieldAt) => void;
}

/** A list whose items all have one shape. */
export interface ListShape extends ShapeBase {
  type: 'list';
  items: Shape;
  /** At least this many items (a Pod needs one container). */
  minItems?: number;
  check?: (value: unknown[], at: FieldAt) => void;
}

/** A mapping from arbitrary keys to values of one shape (labels, annotations). */
export interface RecordShape extends ShapeBase {
  type: 'record';
  values: Shape;
  /** Checks of the map as a whole, such as its keys, after its values were checked. */
  check?: (value: Record<string, unknown>, at: FieldAt) => void;
}

/** One of several shapes, chosen by the value's YAML type. */
export interface UnionShape extends ShapeBase {
  type: 'union';
  options: readonly Shape[];
  expected: string;
}

/** Anything: accepted as is. */
export interface AnyShape extends ShapeBase {
  type: 'any';
}

/** A field description for `checkShape`. */
export type Shape = StringShape | NumberShape | BooleanShape | ObjectShape | ListShape | RecordShape | UnionShape | AnyShape;
