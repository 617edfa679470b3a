/**
 * The main thread's handle on the simulator (STYLE §8): queues requests until the worker says
 * hello, returns promises, lets a newer `load` supersede a queued older one, and restarts a
 * worker that crashes or runs past the watchdog, reporting it through `onStatus`.
 */
import { PROTOCOL_VERSION } from './protocol';
import type { LoadResponse, MessageType, ReachRequest, ReachResponse, RequestMessage, RequestPayload, ResponseMessage, ResponsePayload, TraceRequest, TraceResponse } from './protocol';
import { defaultTransport } from './transport';
import type { Transport, TransportFactory } from './transport';

export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer edit');
    this.name = 'SupersededError';
  }
}

export type ClientStatus = { kind: 'ready' } | { kind: 'restarted'; reason: string };

export interface SimClientOptions {
  transport?: TransportFactory;
  /** Watchdog: a request running longer than this restarts the worker. */
  timeoutMs?: number;
  onStatus?: (s: ClientStatus) => void;
}

export interface SimClient {
  load(text: string): Promise<LoadResponse>;
  trace(req?: TraceRequest): Promise<TraceResponse>;
  /** The reachability matrix of the last good model (issue 8). */
  reach(req?: ReachRequest): Promise<ReachResponse>;
  dispose(): void;
}

interface Pending {
  resolve: (v: never) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export function createSimClient(opts: SimClientOptions = {}): SimClient {
  const factory = opts.transport ?? defaultTransport();
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pending = new Map<number, Pending>();
  let outbox: RequestMessage[] = [];
  let nextId = 1;
  let ready = false;
  let transport: Transport;
  let queuedLoad: { text: string; resolve: (v: LoadResponse) => void; reject: (e: Error) => void } | null = null;
  let loadInFlight = false;

  function onMessage(m: ResponseMessage): void {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.type === 'hello' && m.ok) {
      ready = true;
      opts.onStatus?.({ kind: 'ready' });
      const waiting = outbox;
      outbox = [];
      for (const w of waiting) transport.post(w);
    }
    if (m.ok) p.resolve(m.payload as never);
    else p.reject(new Error(m.error));
  }

  function restart(reason: string): void {
    transport.terminate();
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`simulation worker restarted: ${reason}`));
    }
    pending.clear();
    outbox = [];
    start();
    opts.onStatus?.({ kind: 'restarted', reason });
  }

  function request<K extends MessageType>(type: K, payload: RequestPayload<K>): Promise<ResponsePayload<K>> {
    const msg: RequestMessage<K> = { v: PROTOCOL_VERSION, id: nextId++, type, payload };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => restart(`no answer to "${type}" within ${timeoutMs / 1000} s`), timeoutMs);
      pending.set(msg.id, { resolve: resolve as (v: never) => void, reject, timer });
      if (ready || type === 'hello') transport.post(msg as RequestMessage);
      else outbox.push(msg as RequestMessage);
    });
  }

  function start(): void {
    ready = false;
    transport = factory(onMessage, (reason) => restart(reason));
    request('hello', {}).catch(() => undefined);
  }

  function pumpLoad(): void {
    if (loadInFlight || !queuedLoad) return;
    const job = queuedLoad;
    queuedLoad = null;
    loadInFlight = true;
    request('load', { text: job.text })
      .then(job.resolve, job.reject)
      .finally(() => {
        loadInFlight = false;
        pumpLoad();
      });
  }

  start();
  return {
    load(text) {
      return new Promise<LoadResponse>((resolve, reject) => {
        queuedLoad?.reject(new SupersededError());
        queuedLoad = { text, resolve, reject };
        pumpLoad();
      });
    },
    trace: (req = {}) => request('trace', req),
    reach: (req = {}) => request('reach', req),
    dispose() {
      for (const p of pending.values()) clearTimeout(p.timer);
      pending.clear();
      transport.terminate();
    },
  };
}
