/**
 * Shapes for the workload controllers that create pods: Deployment, ReplicaSet, DaemonSet.
 */
import { LABEL_SELECTOR, metadataShape } from './common-shapes';
import { POD_TEMPLATE } from './pod-shape';
import type { LabelSelector } from '../k8s/types';
import { formatSelector, isEmptySelector, matchSelector, selectorProblems } from '../netpol/selectors';
import type { FieldAt, ObjectShape } from './shape';

/**
 * What the API server checks of a workload's selector (pkg/apis/apps/validation: ValidateDeploymentSpec,
 * ValidateReplicaSetSpec, ValidateDaemonSetSpec): apps/v1 requires one (the old extensions and
 * apps/v1beta1 versions defaulted it from the template's labels), it may not be empty, it must be
 * a valid label selector, and it must select the template's own labels, matchExpressions
 * included, or the controller could never find the pods it creates. The messages are the
 * apiserver's, so a student can match them with what `kubectl apply` prints.
 */
function checkWorkloadSelector(obj: Record<string, unknown>, at: FieldAt): void {
  const spec = obj['spec'];
  if (!isMap(spec)) return;
  const selector = spec['selector'];
  const template = spec['template'];
  if (selector === undefined || selector === null) {
    if (!SELECTOR_DEFAULTED.has(String(obj['apiVersion']))) {
      at.error('missing-selector', `spec.selector: Required value: ${at.kind} ${String(obj['apiVersion'])} needs a selector that matches spec.template.metadata.labels (e.g. selector: {matchLabels: {app: web}})`, ['spec'], 'key');
    }
    return;
  }
  if (!isMap(selector)) return; // the shape reported it
  const problems = selectorProblems(selector);
  for (const p of problems) {
    // A value that is not a string already has the shape's wrong-type error at the same place.
    if (p.message.includes('is not a string')) continue;
    const path = p.path.split('.');
    const leaf = `${path[path.length - 1]}: `;
    const message = p.message.startsWith(leaf) ? p.message.slice(leaf.length) : p.message;
    at.error('invalid-selector', `spec.selector.${p.path}: ${message}`, ['spec', 'selector', ...path]);
  }
  if (problems.length) return;
  const sel = selector as LabelSelector;
  if (isEmptySelector(sel)) {
    at.error('invalid-selector', `spec.selector: Invalid value: {}: empty selector is invalid for ${at.kind.toLowerCase()}`, ['spec', 'selector']);
    return;
  }
  const meta = isMap(template) ? template['metadata'] : undefined;
  const raw = isMap(meta) ? meta['labels'] : undefined;
  const labels: Record<string, string> = {};
  if (isMap(raw)) for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') labels[k] = v;
  if (!matchSelector(sel, labels)) {
    const where = isMap(raw) ? ['spec', 'template', 'metadata', 'labels'] : ['spec', 'template'];
    at.error(
      'selector-mismatch',
      `spec.template.metadata.labels: Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\` (spec.selector is ${formatSelector(sel)})`,
      where,
    );
  }
}

/** apiVersions whose defaulting filled a missing selector in from the template's labels. */
const SELECTOR_DEFAULTED: ReadonlySet<string> = new Set(['extensions/v1beta1', 'apps/v1beta1']);

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const WORKLOAD_SPEC_KNOWN = [
  'strategy', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds',
] as const;

function workload(withReplicas: boolean): ObjectShape {
  return {
    type: 'object',
    fields: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: metadataShape(),
      spec: {
        type: 'object',
        fields: {
          ...(withReplicas ? { replicas: { type: 'number', integer: true, min: 0, max: 1000 } } : {}),
          selector: LABEL_SELECTOR,
          template: POD_TEMPLATE,
        },
        required: ['template'],
        known: WORKLOAD_SPEC_KNOWN,
      },
      status: { type: 'any' },
    },
    required: ['metadata', 'spec'],
    check: checkWorkloadSelector,
  };
}

/** apps/v1 Deployment. */
export const DEPLOYMENT = workload(true);
/** apps/v1 ReplicaSet. */
export const REPLICA_SET = workload(true);
/** apps/v1 DaemonSet (one pod per node, no replicas). */
export const DAEMON_SET = workload(false);
