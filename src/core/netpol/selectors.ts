/**
 * Label selectors (`metav1.LabelSelector`): matching and validation. `matchLabels` and
 * `matchExpressions` are ANDed; an empty selector matches everything.
 *
 * Read first: apimachinery pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector) and
 * pkg/apis/meta/v1/validation (ValidateLabelSelector).
 */
import type { LabelSelector, LabelSelectorRequirement } from '../k8s/types';

export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** True when `labels` satisfy one requirement. A missing key satisfies `NotIn` and `DoesNotExist`. */
export function matchRequirement(
  req: LabelSelectorRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(labels[req.key]!);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(labels[req.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // Validation rejects other operators; an unknown one selects nothing, as the apiserver would refuse it.
      return false;
  }
}

/** True when `labels` satisfy the selector (undefined or `{}` matches everything). */
export function matchSelector(
  sel: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const req of sel.matchExpressions ?? []) if (!matchRequirement(req, labels)) return false;
  return true;
}

/** True for `{}` (or undefined): selects everything. */
export function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return (
    !sel ||
    (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)
  );
}

/** One problem found in a selector, at a path relative to the selector. */
export interface SelectorProblem {
  path: string;
  message: string;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !PREFIX.test(prefix)))
    return `"${key}": the prefix must be a DNS subdomain (lowercase letters, digits, '-' and '.')`;
  if (!NAME.test(name))
    return `"${key}": a label key's name must be 1-63 characters, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character`;
  return undefined;
}

/** A label value: empty, or at most 63 alphanumeric, `-`, `_`, `.` characters starting and ending alphanumeric. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string')
    return `${JSON.stringify(value)} is not a string (label values are strings; quote numbers and booleans)`;
  if (value.length > 63 || !VALUE.test(value))
    return `"${value}": a label value must be at most 63 characters, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character`;
  return undefined;
}

function requirementProblems(req: unknown, at: string): SelectorProblem[] {
  if (!req || typeof req !== 'object' || Array.isArray(req))
    return [
      {
        path: at,
        message: 'a match expression must be a map with key, operator and values',
      },
    ];
  const r = req as Record<string, unknown>;
  const out: SelectorProblem[] = [];
  if (typeof r.key !== 'string') out.push({ path: `${at}.key`, message: 'key is required' });
  else {
    const p = labelKeyProblem(r.key);
    if (p) out.push({ path: `${at}.key`, message: p });
  }
  const op = r.operator;
  const values = r.values;
  if (values !== undefined && !Array.isArray(values))
    out.push({
      path: `${at}.values`,
      message: 'values must be a list of strings',
    });
  const n = Array.isArray(values) ? values.length : 0;
  if (op === 'In' || op === 'NotIn') {
    if (n === 0)
      out.push({
        path: `${at}.values`,
        message: `values: Required value: must be specified when \`operator\` is '${op}'`,
      });
    if (Array.isArray(values))
      values.forEach((v, i) => {
        const p = labelValueProblem(v);
        if (p) out.push({ path: `${at}.values.${i}`, message: p });
      });
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (n > 0)
      out.push({
        path: `${at}.values`,
        message: `values: Forbidden: may not be specified when \`operator\` is '${op}'`,
      });
  } else {
    out.push({
      path: `${at}.operator`,
      message: `operator: Unsupported value: ${JSON.stringify(op)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`,
    });
  }
  return out;
}

/** What the apiserver would reject in a selector (ValidateLabelSelector); empty when valid. */
export function selectorProblems(sel: unknown): SelectorProblem[] {
  if (sel === null || sel === undefined) return [];
  if (typeof sel !== 'object' || Array.isArray(sel))
    return [
      {
        path: '',
        message: 'a label selector must be a map (matchLabels, matchExpressions)',
      },
    ];
  const s = sel as Record<string, unknown>;
  const out: SelectorProblem[] = [];
  for (const k of Object.keys(s))
    if (k !== 'matchLabels' && k !== 'matchExpressions')
      out.push({
        path: k,
        message: `unknown field "${k}" in a label selector (matchLabels, matchExpressions)`,
      });
  if (s.matchLabels !== undefined && s.matchLabels !== null) {
    if (typeof s.matchLabels !== 'object' || Array.isArray(s.matchLabels))
      out.push({
        path: 'matchLabels',
        message: 'matchLabels must be a map of label keys to values',
      });
    else
      for (const [k, v] of Object.entries(s.matchLabels)) {
        const p = labelKeyProblem(k) ?? labelValueProblem(v);
        if (p) out.push({ path: `matchLabels.${k}`, message: p });
      }
  }
  if (s.matchExpressions !== undefined && s.matchExpressions !== null) {
    if (!Array.isArray(s.matchExpressions))
      out.push({
        path: 'matchExpressions',
        message: 'matchExpressions must be a list',
      });
    else
      s.matchExpressions.forEach((r, i) =>
        out.push(...requirementProblems(r, `matchExpressions.${i}`)),
      );
  }
  return out;
}

/** The selector as `kubectl` prints it: `pod=a,role in (db,cache),!env`; `<all>` when empty. */
export function formatSelector(sel: LabelSelector | undefined): string {
  if (isEmptySelector(sel)) return '<all>';
  const parts = Object.entries(sel!.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of sel!.matchExpressions ?? []) {
    const vs = (r.values ?? []).join(',');
    if (r.operator === 'In') parts.push(`${r.key} in (${vs})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${vs})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.join(',');
}
