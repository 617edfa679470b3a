/**
 * A table from a number to a list position, for the batch operations that index a list once
 * per call (`ip -batch` of routes into a host's table). One table is reused by every call
 * instead of a Map made per call: a Map grows through every size up to the list's, and a
 * hundred nodes each learning 99 peers threw away a map of a hundred entries per node and
 * table. Entries from an earlier call are told apart by a generation stamp, so starting a new
 * call does not clear the arrays. Keys are non-negative integers below 2^53.
 *
 * One user at a time: `start` forgets everything the previous call put in.
 */

let keys = new Float64Array(256);
let values = new Int32Array(256);
let stamps = new Uint32Array(256);
let mask = 255;
let generation = 0;

/** Starts an empty table for up to `n` keys. */
export function startIndex(n: number): void {
  let size = keys.length;
  // At most half full: open addressing with linear probing stays short.
  while (size < 2 * n) size *= 2;
  if (size !== keys.length) {
    keys = new Float64Array(size);
    values = new Int32Array(size);
    stamps = new Uint32Array(size);
    mask = size - 1;
    generation = 0;
  }
  if (++generation === 0x100000000) {
    stamps.fill(0);
    generation = 1;
  }
}

function slotOf(key: number): number {
  // Both halves of the key mixed (a network address's low bits are often all zero).
  const h = Math.imul((key | 0) ^ Math.imul(Math.floor(key / 0x100000000) | 0, 0x27d4eb2d), 0x9e3779b1);
  let i = (h ^ (h >>> 15)) & mask;
  while (stamps[i] === generation && keys[i] !== key) i = (i + 1) & mask;
  return i;
}

/** Sets `key` to `value` (replacing what it had). */
export function setIndex(key: number, value: number): void {
  const i = slotOf(key);
  keys[i] = key;
  values[i] = value;
  stamps[i] = generation;
}

/** The value of `key`, or undefined. */
export function getIndex(key: number): number | undefined {
  const i = slotOf(key);
  return stamps[i] === generation ? values[i] : undefined;
}
