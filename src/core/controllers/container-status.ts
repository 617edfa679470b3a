/**
 * What the kubelet reports about a container that exits as soon as it starts (a bind that fails
 * with EADDRINUSE): the status `kubectl describe pod` and `kubectl get pods` print, fixed on the
 * scenario's timeline (k8s/timeline.ts) so the same scenario always shows the same status.
 */
import type { ModelContainer } from '../model/types';

/**
 * The status of a crash-looping container at its first back-off. Its first run starts with the
 * pod at second 0 and fails at once; the process exits with status 1, as servers do when their
 * listen socket cannot be bound (nginx: "[emerg] bind() … failed (98: Address already in use)").
 * The kubelet's pod worker sees the exit on its next relist (PLEG, every second) and restarts the
 * container without delay, the back-off for it not having started yet (kubelet doBackOff): run 2
 * starts and fails at second 1, restart count 1. The next restart waits the initial back-off of
 * 10 s: the container is Waiting, reason CrashLoopBackOff, its last state that second run. Later
 * restarts (after 20 s, 40 s, … up to 300 s) need a clock the simulation does not have, so this
 * first back-off is the state it shows.
 */
export function crashLoopStatus(): Pick<ModelContainer, 'restartCount' | 'lastTerminated'> {
  return { restartCount: 1, lastTerminated: { reason: 'Error', exitCode: 1, startedAt: 1, finishedAt: 1 } };
}
