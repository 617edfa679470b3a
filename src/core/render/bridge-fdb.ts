/**
 * `bridge fdb show` without the multicast (33:33:…, 01:00:5e:…) entries every device has:
 * bridge entries `MAC dev PORT [vlan 1] master BR [permanent]`, VXLAN entries
 * `MAC dev VXLAN dst REMOTE self permanent`.
 */
import type { Netns } from '../model/types';

export function renderBridgeFdb(ns: Netns): string {
  return ns.fdb
    .map((e) => {
      if (e.self) return `${e.mac} dev ${e.dev}${e.dst ? ` dst ${e.dst}` : ''} self${e.permanent ? ' permanent' : ''}\n`;
      const vlan = e.dev === e.master ? ' vlan 1' : '';
      return `${e.mac} dev ${e.dev}${vlan} master ${e.master}${e.permanent ? ' permanent' : ''}\n`;
    })
    .join('');
}
