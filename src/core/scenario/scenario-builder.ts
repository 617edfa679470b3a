/**
 * Validates objects one at a time and collects the valid ones into a `Scenario`: checks kind and
 * apiVersion, the kind's shape and name, fills the default namespace in a copy, and refuses
 * duplicates (the second of two objects with the same kind, namespace and name) and a second
 * Cluster or KubeProxyConfiguration.
 */
import { copyWith } from '../util/copy-with';
import { fieldAt, checkShape } from './check-shape';
import { didYouMean } from './did-you-mean';
import type { Reporter } from './diagnostics';
import { HOPSCOPE_API_VERSION, KINDS, UNMODELLED_KINDS } from './kinds';
import type { KindSpec } from './kinds';
import type { RawObject } from './objects';
import { toLocated } from './positions';
import type { Located, Scenario } from './types';

/** Accumulates objects into a scenario; `add` reports every problem of the object it is given. */
export interface ScenarioBuilder {
  add(obj: RawObject): void;
  scenario: Scenario;
}

/** A scenario with nothing in it. */
export function emptyScenario(): Scenario {
  return {
    cluster: null,
    traffic: [],
    pods: [],
    deployments: [],
    replicaSets: [],
    daemonSets: [],
    services: [],
    endpointSlices: [],
    namespaces: [],
    nodes: [],
    kubeProxyConfig: null,
    others: [],
  };
}

interface Meta {
  name?: unknown;
  generateName?: unknown;
  namespace?: unknown;
}

function checkApiVersion(kind: string, spec: KindSpec, obj: RawObject, out: Reporter): void {
  const apiVersion = obj.value['apiVersion'];
  const current = spec.apiVersions[0] ?? '';
  const pos = obj.locator.valuePos(['apiVersion']);
  if (apiVersion === undefined || apiVersion === null) {
    out.warning('missing-api-version', `apiVersion is missing in ${kind}; expected ${current}`, obj.locator.pos);
  } else if (typeof apiVersion !== 'string') {
    out.error('wrong-type', `apiVersion must be a string such as ${current}`, pos);
  } else if (!spec.apiVersions.includes(apiVersion)) {
    if (current === HOPSCOPE_API_VERSION || apiVersion.startsWith('hopscope/')) {
      out.error('unsupported-api-version', `${kind} apiVersion ${apiVersion} is not supported; use ${current}`, pos);
    } else {
      out.warning('unsupported-api-version', `${kind} is not served as ${apiVersion}; reading it as ${current}`, pos);
    }
  } else if (apiVersion !== current) {
    // Every older apiVersion we accept is one Kubernetes has stopped serving (extensions/v1beta1 and
    // apps/v1beta1|2 workloads in 1.16, v1beta1 Ingress in 1.22, EndpointSlice in 1.25): a real
    // cluster refuses the file, so "deprecated" would understate it.
    out.warning('deprecated-api-version', `${kind} apiVersion ${apiVersion} is no longer served by Kubernetes (kubectl apply fails: no matches for kind "${kind}" in version "${apiVersion}"); reading it as ${current}`, pos);
  }
}

/** The value to store: a copy whose metadata has the default namespace filled in when needed. */
function withDefaults(value: Record<string, unknown>, spec: KindSpec): Record<string, unknown> {
  if (!spec.namespaced) return value;
  const meta = (value['metadata'] ?? {}) as Meta & Record<string, unknown>;
  if (typeof meta.namespace === 'string' && meta.namespace !== '') return value;
  // copyWith rather than spreads: one shape for every pod's copy (util/copy-with.ts).
  return copyWith(value, { metadata: copyWith(meta, { namespace: 'default' }) });
}


/** Checks kind, apiVersion, shape and name; returns the kind's spec when the object is valid. */
function validate(obj: RawObject, out: Reporter): { kind: string; spec: KindSpec } | null {
  const kind = obj.value['kind'];
  if (kind === undefined || kind === null) {
    out.error('missing-kind', 'kind is missing; every YAML doc needs apiVersion and kind', obj.locator.pos);
    return null;
  }
  if (typeof kind !== 'string') {
    out.error('wrong-type', 'kind must be a string', obj.locator.valuePos(['kind']));
    return null;
  }
  const spec = KINDS.get(kind);
  const unmodelled = spec ? undefined : UNMODELLED_KINDS.get(kind);
  if (unmodelled) {
    out.warning('unmodelled-kind', `${kind} is a Kubernetes kind Hopscope does not model; the YAML doc is ignored: ${unmodelled}`, obj.locator.valuePos(['kind']));
    return null;
  }
  if (!spec) {
    out.warning('unknown-kind', `unknown kind ${kind}; the YAML doc is ignored${didYouMean(kind, KINDS.keys())}`, obj.locator.valuePos(['kind']));
    return null;
  }
  const errorsBefore = out.errorCount();
  checkApiVersion(kind, spec, obj, out);
  checkShape(spec.shape, obj.value, fieldAt(kind, obj.locator, out));
  const meta = (obj.value['metadata'] ?? {}) as Meta;
  if (spec.nameRequired && typeof meta === 'object' && meta.name == null && meta.generateName == null) {
    out.error('missing-field', `metadata.name is required in ${kind}`, obj.locator.keyPos(['metadata']));
  }
  if (spec.note) out.info('ignored-kind', spec.note, obj.locator.valuePos(['kind']));
  const errorsAfter = out.errorCount();
  return errorsAfter === errorsBefore ? { kind, spec } : null;
}

/** Creates a builder; objects with errors are reported and left out of the scenario. */
export function createScenarioBuilder(out: Reporter): ScenarioBuilder {
  const scenario = emptyScenario();
  const firstLine = new Map<string, number>();
  const add = (obj: RawObject): void => {
    const valid = validate(obj, out);
    if (!valid) return;
    const { kind, spec } = valid;
    const value = withDefaults(obj.value, spec);
    const meta = (value['metadata'] ?? {}) as Meta;
    const singleton = spec.bucket === 'cluster' || spec.bucket === 'kubeProxyConfig';
    const key = singleton ? kind : meta.name == null ? null : `${kind}/${String(meta.namespace ?? '')}/${String(meta.name)}`;
    if (key !== null) {
      const first = firstLine.get(key);
      if (first !== undefined) {
        const what = singleton ? `more than one ${kind} YAML doc` : `duplicate ${kind} ${spec.namespaced ? `${String(meta.namespace)}/` : ''}${String(meta.name)}`;
        const pos = singleton ? obj.locator.valuePos(['kind']) : obj.locator.valuePos(['metadata', 'name']);
        out.error(singleton ? 'duplicate-singleton' : 'duplicate-name', `${what}; first defined at line ${first}`, pos);
        return;
      }
      firstLine.set(key, obj.locator.pos.line);
    }
    const located = toLocated(value, obj.locator);
    const bucket = scenario[spec.bucket];
    if (Array.isArray(bucket)) (bucket as Located<unknown>[]).push(located);
    else (scenario as unknown as Record<string, unknown>)[spec.bucket] = located;
  };
  return { add, scenario };
}
