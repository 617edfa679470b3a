/**
 * The scenario layer: YAML text → `Scenario` (typed objects with source positions) and
 * `Diagnostic`s (DESIGN §2, §5).
 *
 * May import: `yaml`, `../util`, `../k8s/types`. Nothing else of the core, no DOM, no Node.
 *
 * Guarantees:
 * - `parseScenario` never throws and terminates quickly for any string: size, YAML doc count,
 *   nesting depth and alias expansion are limited (`ParseLimits`), and each limit hit is a
 *   diagnostic (`file-too-large`, `too-many-documents`, `yaml-too-deep`, `yaml-alias-limit`).
 * - Every diagnostic has a 1-based line and column and a stable `code`; diagnostics come
 *   ordered by position.
 * - A YAML syntax error skips only its own YAML doc. Unknown kinds and unknown fields are
 *   warnings; wrong types, missing required fields, bad addresses, ranges and enum values,
 *   overlapping networks and duplicate names are errors.
 * - Objects with errors are left out of the scenario, so what is in it matches the types for
 *   every field we model. Defaults other than the namespace are applied by `compile`.
 */
export { parseScenario } from './parse';
export type { ParseOptions } from './parse';
export { formatDiagnostic } from './format';
export { DEFAULT_LIMITS } from './limits';
export type { ParseLimits } from './limits';
export { CLUSTER_DEFAULTS, CNI_BACKENDS, IPVS_SCHEDULERS } from './cluster-defaults';
export { KINDS, HOPSCOPE_API_VERSION } from './kinds';
export type { KindSpec } from './kinds';
export { isDns1123Label, isDns1123Subdomain } from './names';
export { clusterNodeNames, findMissingNodeNames } from './node-refs';
export type {
  ClusterDocument,
  ClusterNodeSpec,
  ClusterSpec,
  CniPluginName,
  CniSpec,
  Diagnostic,
  KubeProxySpec,
  Located,
  ParseResult,
  ProxyMode,
  Scenario,
  Severity,
  SourcePos,
  TrafficDocument,
  TrafficFault,
  TrafficRequest,
  UnderlaySpec,
} from './types';
