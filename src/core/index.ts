/**
 * Hopscope's core: a pure, deterministic engine (DESIGN §1). The same functions run in the
 * browser worker, the CLI and the tests.
 *
 *   parseScenario(text)      YAML → Scenario + diagnostics
 *   compile(scenario)        Scenario → ClusterModel (netns, devices, routes, rules …)
 *   traceFlow(model, req)    one request and its reply, as hops
 *   traceRequest(model, req) a request as an app makes it: DNS flows, the connection, an ingress leg
 *   render*(…)               the real tools' text: ip route/addr/neigh, bridge fdb, kubectl, iptables-save
 *
 * May import: `yaml`, `ip-num`, `@noble/hashes`. Never the DOM, Node, React or the worker.
 * Guarantees: no input makes these functions throw; the same input and seed give the same output.
 */
export { parseScenario, formatDiagnostic } from './scenario/index';
export { compile } from './compile/compile';
export { loadScenario } from './compile/load';
export type { LoadResult } from './compile/load';
export type { CompileResult } from './compile/compile';
export { traceFlow } from './simulate/flow';
export type { FlowOptions, FlowRequest, FlowResult } from './simulate/flow';
export { traceRequest } from './simulate/request';
export type { IngressHop, RequestOptions, RequestResult, RequestTrace } from './simulate/request';
export { renderIpRoute } from './render/ip-route';
export { renderIpAddr, renderIpLink } from './render/ip-addr';
export { renderIpNeigh } from './render/ip-neigh';
export { renderBridgeFdb } from './render/bridge-fdb';
export { renderGetNodes, renderGetPods } from './render/kubectl';
export { summarizeModel } from './view/summary';
export type { ModelSummary, NetnsSummary, DeviceSummary, LinkSummary, PendingPodSummary } from './view/summary';
export type { Diagnostic, ParseResult, Scenario } from './scenario/types';
export type { ClusterModel } from './model/types';
export type { Flow, Hop } from './trace/types';
