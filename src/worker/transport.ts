/**
 * How the client reaches the simulator: a real Web Worker, or — when `Worker` is undefined
 * (Node tests, old browsers) — the same handler table run in-thread, answering asynchronously
 * so callers cannot tell the difference.
 */
import { dispatch } from './protocol';
import type { RequestMessage, ResponseMessage } from './protocol';

export interface Transport {
  post(msg: RequestMessage): void;
  terminate(): void;
}

export type TransportFactory = (onMessage: (m: ResponseMessage) => void, onError: (reason: string) => void) => Transport;

export function workerTransport(onMessage: (m: ResponseMessage) => void, onError: (reason: string) => void): Transport {
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'hopscope-sim' });
  worker.onmessage = (e: MessageEvent<ResponseMessage>) => onMessage(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    onError(e.message || 'the simulation worker crashed');
  };
  worker.onmessageerror = () => onError('a worker message could not be read');
  return { post: (m) => worker.postMessage(m), terminate: () => worker.terminate() };
}

export function inThreadTransport(onMessage: (m: ResponseMessage) => void, onError: (reason: string) => void): Transport {
  // Loaded on demand so the core never lands in the main bundle when a Worker exists.
  const ready = import('./simulator').then((s) => s.createSimulator());
  let alive = true;
  return {
    post: (m) => {
      ready.then(
        (table) => setTimeout(() => alive && onMessage(dispatch(table, m)), 0),
        (e: unknown) => onError(String(e)),
      );
    },
    terminate: () => {
      alive = false;
    },
  };
}

/** The Worker when the platform has one, else the in-thread fallback. */
export function defaultTransport(): TransportFactory {
  return typeof Worker === 'undefined' ? inThreadTransport : workerTransport;
}
