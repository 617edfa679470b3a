/**
 * Loopback: `lo` exists in every namespace from birth (ifindex 1); the CNI `loopback` plugin
 * only brings it up. 127.0.0.0/8 is local through it — how containers of one pod reach each
 * other on localhost.
 */
import type { Netns } from '../types';
import { addAddress, getDevice, setDeviceUp } from '../netns';

/** `ip link set lo up` plus the addresses the kernel gives it. */
export function bringUpLoopback(ns: Netns): void {
  const lo = getDevice(ns, 'lo');
  if (!lo || lo.up) return;
  setDeviceUp(lo, true);
  addAddress(ns, lo, '127.0.0.1', 8, 'host');
}
