/// <reference lib="webworker" />
/** The simulation worker: a thin adapter from messages to the simulator's handler table. */
import { createSimulator } from './simulator';
import { dispatch } from './protocol';
import type { RequestMessage } from './protocol';

const table = createSimulator();
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<RequestMessage>) => {
  scope.postMessage(dispatch(table, e.data));
};
