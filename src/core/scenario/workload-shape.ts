/**
 * Shapes for the workload controllers that create pods: Deployment, ReplicaSet, DaemonSet.
 */
import { LABEL_SELECTOR, metadataShape } from './common-shapes';
import { POD_TEMPLATE } from './pod-shape';
import type { FieldAt, ObjectShape } from './shape';

/** The API server rejects a workload whose selector does not select its own template. */
function checkSelectorMatchesTemplate(spec: Record<string, unknown>, at: FieldAt): void {
  const selector = spec['selector'] as { matchLabels?: unknown } | undefined;
  const template = spec['template'] as { metadata?: { labels?: unknown } } | undefined;
  const match = selector?.matchLabels;
  if (!match || typeof match !== 'object') return;
  const labels = (template?.metadata?.labels ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(match as Record<string, unknown>)) {
    if (labels[k] !== v) {
      at.error('selector-mismatch', `${at.name}.selector.matchLabels ${k}=${String(v)} does not match the template's labels`, ['selector', 'matchLabels', k]);
      return;
    }
  }
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
        check: checkSelectorMatchesTemplate,
      },
      status: { type: 'any' },
    },
    required: ['metadata', 'spec'],
  };
}

/** apps/v1 Deployment. */
export const DEPLOYMENT = workload(true);
/** apps/v1 ReplicaSet. */
export const REPLICA_SET = workload(true);
/** apps/v1 DaemonSet (one pod per node, no replicas). */
export const DAEMON_SET = workload(false);
