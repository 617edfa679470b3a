/**
 * The shape of `kind: Traffic` (hopscope/v1alpha1): requests to send and faults to apply.
 * References (`pod/NS/NAME`, `node/NAME`) are checked for form here; whether they name
 * something that exists is for `compile`, which knows the generated pod names.
 */
import { nameShape } from './common-shapes';
import type { FieldAt, ObjectShape } from './shape';

const FROM = /^(pod\/[^/\s]+(\/[^/\s]+){0,2}|node\/[^/\s]+|external\/[^/\s]+)$/;
const POD_REF = /^pod\/[^/\s]+(\/[^/\s]+)?$/;
const NODE_REF = /^node\/[^/\s]+$/;
const SCHEMES = ['http', 'https', 'tcp', 'udp', 'icmp'];

function checkFrom(s: string, at: FieldAt): void {
  if (!FROM.test(s)) {
    at.error('invalid-value', `${at.name} "${s}" must be pod/NAME, pod/NS/NAME, pod/NS/NAME/CONTAINER, node/NAME or external/NAME`);
  }
}

function checkTo(s: string, at: FieldAt): void {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(s)?.[1];
  if (s.trim() === '') at.error('invalid-value', `${at.name} must not be empty`);
  else if (scheme !== undefined && !SCHEMES.includes(scheme.toLowerCase())) {
    at.error('invalid-value', `${at.name} uses scheme ${scheme}; supported are ${SCHEMES.join(', ')}`);
  }
  const port = /:(\d+)(\/|$)/.exec(s.replace(/^[a-zA-Z]+:\/\//, ''))?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    at.error('out-of-range', `${at.name} has port ${port}; ports are 1 to 65535`);
  }
}

/** Pod faults need a pod target and node faults a node target. */
function checkFault(fault: Record<string, unknown>, at: FieldAt): void {
  const { action, target } = fault;
  if (typeof action !== 'string' || typeof target !== 'string') return;
  const wantsNode = action === 'node-down' || action === 'node-up';
  const ok = wantsNode ? NODE_REF.test(target) : POD_REF.test(target);
  if (!ok) at.error('invalid-value', `${at.name}.target "${target}" must be ${wantsNode ? 'node/NAME' : 'pod/NAME or pod/NS/NAME'} for action ${action}`, ['target']);
}

/** A whole Traffic object. */
export const TRAFFIC: ObjectShape = {
  type: 'object',
  fields: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object', fields: { name: nameShape() }, known: ['namespace', 'labels', 'annotations'] },
    spec: {
      type: 'object',
      fields: {
        requests: {
          type: 'list',
          items: {
            type: 'object',
            fields: {
              from: { type: 'string', check: checkFrom },
              to: { type: 'string', check: checkTo },
              protocol: { type: 'string', enum: ['TCP', 'UDP', 'ICMP', 'SCTP'] },
              count: { type: 'number', integer: true, min: 1, max: 10000 },
            },
            required: ['from', 'to'],
          },
        },
        faults: {
          type: 'list',
          items: {
            type: 'object',
            fields: {
              after: { type: 'number', integer: true, min: 0 },
              action: { type: 'string', enum: ['delete', 'not-ready', 'ready', 'node-down', 'node-up'] },
              target: { type: 'string' },
            },
            required: ['action', 'target'],
            check: checkFault,
          },
        },
      },
    },
  },
  required: ['spec'],
};
