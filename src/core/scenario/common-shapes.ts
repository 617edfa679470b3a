/**
 * Shapes shared by several kinds: ports, addresses, CIDRs, names, label maps, object metadata.
 */
import { isIPv4, parseCidr } from '../util/ip';
import { labelKeyProblem, labelValueProblem } from '../netpol/selectors';
import { nameProblem } from './names';
import type { NumberShape, ObjectShape, RecordShape, Shape, StringShape } from './shape';

/** A TCP/UDP port, 1–65535. */
export const PORT: NumberShape = { type: 'number', integer: true, min: 1, max: 65535, expected: 'a port number' };

/** An IPv4 address in dotted-quad form. */
export const IPV4: StringShape = {
  type: 'string',
  expected: 'an IPv4 address',
  check: (s, at) => {
    if (!isIPv4(s)) at.error('invalid-ip', `${at.name} must be an IPv4 address such as 10.0.0.1 (got "${s}")`);
  },
};

/**
 * A CIDR with no host bits set (Kubernetes rejects 10.244.1.1/16); `example` is the one the
 * message suggests, a value of the field's own kind (a service CIDR's example is not a pod CIDR).
 */
export function cidrShape(example: string): StringShape {
  return {
    type: 'string',
    expected: `a CIDR such as ${example}`,
    check: (s, at) => {
      if (!s.includes('/') || !parseCidr(s)) {
        at.error('invalid-cidr', `${at.name} must be a CIDR such as ${example} (got "${s}")`);
        return;
      }
      const loose = parseCidr(s);
      if (!parseCidr(s, true) && loose) at.error('invalid-cidr', `${at.name} has host bits set; did you mean ${loose.text}?`);
    },
  };
}

/** A pod-network CIDR such as 10.244.0.0/16. */
export const CIDR: StringShape = cidrShape('10.244.0.0/16');

/** An object name: a DNS-1123 subdomain (`label` selects the stricter DNS-1123 label rule). */
export function nameShape(label = false): StringShape {
  return {
    type: 'string',
    check: (s, at) => {
      const problem = nameProblem(s, label);
      if (problem) at.error('invalid-name', `${at.name} "${s}" ${problem}`);
    },
  };
}

/** `key: value` string maps: labels, annotations, selectors. Numbers must be quoted in YAML. */
export const STRING_MAP: RecordShape = {
  type: 'record',
  values: { type: 'string', expected: 'a string (quote numbers and booleans: "80", "true")' },
};

/**
 * Labels, and the label maps validated like them (a Service's selector, a pod's nodeSelector):
 * apimachinery's ValidateLabels checks every key as a qualified name and every value as a label
 * value, and the API server refuses the object otherwise (`metadata.labels: Invalid value: …`).
 */
export const LABELS: RecordShape = {
  type: 'record',
  values: {
    type: 'string',
    expected: STRING_MAP.values.expected!,
    check: (s, at) => {
      const problem = labelValueProblem(s);
      if (problem) at.error('invalid-label', `${at.name}: Invalid value: ${problem}`);
    },
  },
  check: (map, at) => {
    for (const key of Object.keys(map)) {
      const problem = labelKeyProblem(key);
      if (problem) at.error('invalid-label', `${at.name}: Invalid value: ${problem}`, [key], 'key');
    }
  },
};

/** Every field of ObjectMeta in the Kubernetes API that we accept but do not model. */
const META_KNOWN = [
  'generateName', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences', 'finalizers', 'managedFields',
] as const;

/** `metadata` of a Kubernetes object; `nameIsLabel` for kinds whose names are DNS labels. */
export function metadataShape(nameIsLabel = false): ObjectShape {
  return {
    type: 'object',
    fields: { name: nameShape(nameIsLabel), namespace: nameShape(true), labels: LABELS, annotations: STRING_MAP },
    known: META_KNOWN,
  };
}

/** A list of strings. */
export const STRING_LIST: Shape = { type: 'list', items: { type: 'string' }, expected: 'a list of strings' };

/** `matchLabels` / `matchExpressions` label selector. */
export const LABEL_SELECTOR: ObjectShape = {
  type: 'object',
  fields: {
    matchLabels: STRING_MAP,
    matchExpressions: {
      type: 'list',
      items: {
        type: 'object',
        fields: {
          key: { type: 'string' },
          operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: STRING_LIST,
        },
        required: ['key', 'operator'],
      },
    },
  },
};
