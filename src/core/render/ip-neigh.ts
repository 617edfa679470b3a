/**
 * `ip neigh`, as iproute2 6.1 prints it (ip/ipneigh.c print_neigh): `IP dev DEV lladdr MAC
 * STATE `. Every field is printed as `"%s "`, so each line ends with a space. The kernel sends
 * no lladdr for an entry that is not NUD_VALID (INCOMPLETE, FAILED: neigh_fill_info), and
 * `ip neigh show dev DEV` leaves out the `dev DEV` it filtered on.
 */
import type { Netns } from '../model/types';

export function renderIpNeigh(ns: Netns, filter: { dev?: string } = {}): string {
  let out = '';
  for (const n of ns.neighbours) {
    if (filter.dev !== undefined && n.dev !== filter.dev) continue;
    const dev = filter.dev === undefined ? `dev ${n.dev} ` : '';
    const lladdr = n.mac && n.state !== 'FAILED' && n.state !== 'INCOMPLETE' ? `lladdr ${n.mac} ` : '';
    out += `${n.ip} ${dev}${lladdr}${n.state} \n`;
  }
  return out;
}
