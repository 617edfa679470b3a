/** `ip neigh`: `IP dev DEV lladdr MAC STATE` (no lladdr for FAILED/INCOMPLETE). */
import type { Netns } from '../model/types';

export function renderIpNeigh(ns: Netns): string {
  return ns.neighbours.map((n) => `${n.ip} dev ${n.dev}${n.mac && n.state !== 'FAILED' && n.state !== 'INCOMPLETE' ? ` lladdr ${n.mac}` : ''} ${n.state}\n`).join('');
}
