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
  /**
   * The watchdog for `load`, longer: a compile's time grows with the scenario (a 100-node,
   * 500-pod cluster took 7-10 s on a loaded 2-core box), and a compile killed for being slow
   * is started again from nothing, so a budget it cannot meet never ends.
   */
  loadTimeoutMs?: number;
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
  /** Armed when the request reaches the worker; null while it waits for the worker's hello. */
  timer: ReturnType<typeof setTimeout> | null;
  arm: () => void;
}

export function createSimClient(opts: SimClientOptions = {}): SimClient {
  const factory = opts.transport ?? defaultTransport();
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const loadTimeoutMs = opts.loadTimeoutMs ?? 60_000;
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
    if (p.timer) clearTimeout(p.timer);
    if (m.type === 'hello' && m.ok) {
      ready = true;
      opts.onStatus?.({ kind: 'ready' });
      const waiting = outbox;
      outbox = [];
      for (const w of waiting) send(w);
    }
    if (m.ok) p.resolve(m.payload as never);
    else p.reject(new Error(m.error));
  }

  function restart(reason: string): void {
    transport.terminate();
    for (const p of pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new Error(`simulation worker restarted: ${reason}`));
    }
    pending.clear();
    outbox = [];
    start();
    opts.onStatus?.({ kind: 'restarted', reason });
  }

  /** Posts a request to the worker and starts its watchdog: time spent waiting for the worker to boot is not the request's. */
  function send(msg: RequestMessage): void {
    pending.get(msg.id)?.arm();
    transport.post(msg);
  }

  function request<K extends MessageType>(type: K, payload: RequestPayload<K>): Promise<ResponsePayload<K>> {
    const msg: RequestMessage<K> = { v: PROTOCOL_VERSION, id: nextId++, type, payload };
    const budget = type === 'load' ? loadTimeoutMs : timeoutMs;
    return new Promise((resolve, reject) => {
      const p: Pending = {
        resolve: resolve as (v: never) => void,
        reject,
        timer: null,
        arm: () => (p.timer ??= setTimeout(() => restart(`no answer to "${type}" within ${budget / 1000} s`), budget)),
      };
      pending.set(msg.id, p);
      if (ready || type === 'hello') send(msg as RequestMessage);
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
      for (const p of pending.values()) if (p.timer) clearTimeout(p.timer);
      pending.clear();
      transport.terminate();
    },
  };
}
