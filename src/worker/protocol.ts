/**
 * The typed message protocol between the UI and the simulation worker (STYLE §8).
 *
 * One `MessageMap` keyed by `type`; request and response payloads are derived from it. Every
 * request carries an `id` and the response echoes it. Large payloads (summary, renderings,
 * flows) travel once per compile; nothing is posted while packets animate.
 */
import type { Diagnostic, Flow, ModelSummary } from '../core/index';
import type { ReachResult } from '../core/simulate/reach';

/** Bump when a message shape changes; the client refuses a worker that speaks another version. */
export const PROTOCOL_VERSION = 2;

/** What the real tools print for one namespace, rendered by the core once per compile. */
export interface NetnsRenderings {
  ipRoute: string;
  ipAddr: string;
  /** Only for namespaces with netfilter rules worth showing (nodes). */
  iptablesSave?: string;
  /** `nft list ruleset`: only for namespaces with nftables tables (kube-proxy's nftables mode). */
  nft?: string;
  bridgeFdb?: string;
  /** Pods only: the runtime's CNI calls (ADD lo, ADD eth0) with config and result JSON. */
  cni?: string;
}

export interface LoadResponse {
  /** The model drawn on the canvas: the new one, or the last good one when `stale`. */
  summary: ModelSummary | null;
  diagnostics: Diagnostic[];
  hasErrors: boolean;
  /** True when this text had errors and `summary` is the last good model's. */
  stale: boolean;
  renderings: Record<string, NetnsRenderings>;
  /** `kubectl get pods -o wide` of the model on screen. */
  pods: string;
  /** Wall-clock ms the worker spent parsing and compiling. */
  compileMs: number;
}

export interface TraceRequest {
  /** Explicit request; when both are absent the scenario's Traffic requests are traced. */
  from?: string;
  to?: string;
  protocol?: 'TCP' | 'UDP' | 'ICMP' | 'SCTP';
  seed?: number;
  /** The flow's index (it seeds ports and picks); the reach matrix probes cell k with index k. */
  index?: number;
}

/** Reachability (issue 8): every pod to every pod of the last good model, as `hopscope reach`. */
export interface ReachRequest {
  port?: number;
  protocol?: 'TCP' | 'UDP' | 'ICMP' | 'SCTP';
  /** Only these namespaces; default every namespace but kube-system. */
  namespaces?: string[];
}

export interface ReachResponse {
  result: ReachResult;
  /** Wall-clock ms the worker spent tracing the probes. */
  ms: number;
}

/** One traced request: the flow, or why it could not be traced. */
export interface FlowEntry {
  from: string;
  to: string;
  /** Which repetition of a Traffic request this is (0-based). */
  index: number;
  /** Which Traffic request (0-based), when traced from the scenario. */
  request?: number;
  /** A DNS question the request's name needed, the connection itself, or an ingress controller's connection to the backend. */
  role?: 'dns' | 'connection' | 'upstream';
  flow?: Flow;
  error?: string;
}

/** One Traffic request run `count` times (faults applied): answers per endpoint (`NS/POD`). */
export interface RequestTally {
  from: string;
  to: string;
  count: number;
  delivered: number;
  dropped: number;
  byEndpoint: Record<string, number>;
}

/** One place a flow passed, for the fan-out animation (see worker/paths.ts). */
export interface PathStep {
  /** A device id (`netns#dev`) or a namespace id, as hops carry them. */
  at: string;
  netns: string;
  reply?: boolean;
  /** An address or port was rewritten here (DNAT, SNAT, un-NAT). */
  nat?: boolean;
  /** The packet is inside a tunnel here. */
  encap?: boolean;
}

/** Every flow of a Traffic run as a reference into interned routes. */
export interface FlowPaths {
  routes: PathStep[][];
  flows: { request: number; route: number; verdict: 'delivered' | 'dropped'; endpoint?: string }[];
  /** Flows run in all (more than `flows` when capped). */
  total: number;
}

export interface TraceResponse {
  flows: FlowEntry[];
  /** The whole run's paths, for the fan-out animation (scenario Traffic only). */
  paths?: FlowPaths;
  /** Present when the scenario's Traffic was run whole (not for an explicit from/to trace). */
  tallies?: RequestTally[];
}

export interface MessageMap {
  hello: { req: Record<string, never>; res: { version: number } };
  load: { req: { text: string }; res: LoadResponse };
  trace: { req: TraceRequest; res: TraceResponse };
  reach: { req: ReachRequest; res: ReachResponse };
}

export type MessageType = keyof MessageMap;
export type RequestPayload<K extends MessageType> = MessageMap[K]['req'];
export type ResponsePayload<K extends MessageType> = MessageMap[K]['res'];

export interface RequestMessage<K extends MessageType = MessageType> {
  v: number;
  id: number;
  type: K;
  payload: RequestPayload<K>;
}

export type ResponseMessage<K extends MessageType = MessageType> =
  | { v: number; id: number; type: K; ok: true; payload: ResponsePayload<K> }
  | { v: number; id: number; type: K; ok: false; error: string };

/** A handler per message type: the worker's whole behaviour, as a table. */
export type HandlerTable = { [K in MessageType]: (payload: RequestPayload<K>) => ResponsePayload<K> };

/** Calls the table's handler for one request and wraps the result; never throws. */
export function dispatch(table: HandlerTable, msg: RequestMessage): ResponseMessage {
  const handler = table[msg.type] as ((p: unknown) => unknown) | undefined;
  if (!handler) return { v: PROTOCOL_VERSION, id: msg.id, type: msg.type, ok: false, error: `unknown message type "${String(msg.type)}"` };
  if (msg.v !== PROTOCOL_VERSION) return { v: PROTOCOL_VERSION, id: msg.id, type: msg.type, ok: false, error: `protocol version ${msg.v} ≠ ${PROTOCOL_VERSION}` };
  try {
    return { v: PROTOCOL_VERSION, id: msg.id, type: msg.type, ok: true, payload: handler(msg.payload) } as ResponseMessage;
  } catch (e) {
    return { v: PROTOCOL_VERSION, id: msg.id, type: msg.type, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
