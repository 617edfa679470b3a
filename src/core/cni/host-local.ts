/**
 * host-local IPAM: hands out addresses from the node's range, loosely round-robin (starting
 * after `last_reserved_ip`, so a freed address is not reused at once), skipping the gateway.
 * State is per host and per network, as in /var/lib/cni/networks/<name>/.
 * Read first: containernetworking/plugins plugins/ipam/host-local.
 */
import type { Cidr } from '../util/ip';
import { cidrContains, intToIpv4, ipv4ToInt, isIPv4 } from '../util/ip';
import type { CniError } from './types';

export interface HostLocalRange {
  subnet: Cidr;
  /** First and last allocatable addresses (default .1 … broadcast-1, gateway skipped). */
  start: number;
  end: number;
  gateway: string;
}

export interface HostLocalState {
  network: string;
  range: HostLocalRange;
  /** IP → "<containerID>\r\n<ifname>", as the state files hold it. */
  allocated: Map<string, string>;
  lastReserved?: string;
}

export function createHostLocal(network: string, subnet: Cidr): HostLocalState {
  const size = 2 ** (32 - subnet.prefix);
  const gateway = intToIpv4(subnet.network + 1);
  return { network, range: { subnet, start: subnet.network + 1, end: subnet.network + Math.max(size - 2, 1), gateway }, allocated: new Map() };
}

/** IPAM ADD. `requested` is `CNI_ARGS IP=…`. */
export function hostLocalAllocate(
  s: HostLocalState,
  containerId: string,
  ifname: string,
  requested?: string,
): { ip: string; prefix: number; gateway: string } | CniError {
  const owner = `${containerId}\r\n${ifname}`;
  const { range } = s;
  if (requested !== undefined) {
    // main.go gives a requested IP only to the range set holding it (rangeStart … rangeEnd);
    // one no range set holds is left over: "failed to allocate all requested IPs: …".
    const n = isIPv4(requested) ? ipv4ToInt(requested) : -1;
    if (n < 0 || !cidrContains(range.subnet, n) || n < range.start || n > range.end) {
      return { cniVersion: '1.0.0', code: 999, msg: `failed to allocate all requested IPs: ${requested}` };
    }
    if (requested === range.gateway) {
      return { cniVersion: '1.0.0', code: 999, msg: `failed to allocate for range 0: requested ip ${requested} is subnet's gateway` };
    }
    if (s.allocated.has(requested)) {
      return { cniVersion: '1.0.0', code: 999, msg: `failed to allocate for range 0: requested IP address ${requested} is not available in range set ${intToIpv4(range.start)}-${intToIpv4(range.end)}` };
    }
    s.allocated.set(requested, owner);
    s.lastReserved = requested;
    return { ip: requested, prefix: range.subnet.prefix, gateway: range.gateway };
  }
  const total = range.end - range.start + 1;
  const last = s.lastReserved ? ipv4ToInt(s.lastReserved) : range.end;
  for (let i = 1; i <= total; i++) {
    const candidate = range.start + ((last - range.start + i) % total);
    const ip = intToIpv4(candidate);
    if (ip === range.gateway || s.allocated.has(ip)) continue;
    s.allocated.set(ip, owner);
    s.lastReserved = ip;
    return { ip, prefix: range.subnet.prefix, gateway: range.gateway };
  }
  // A plain Go error in host-local's cmdAdd ("failed to allocate for range %d: %v"), so skel
  // reports it as ErrInternal (999).
  return {
    cniVersion: '1.0.0',
    code: 999,
    msg: `failed to allocate for range 0: no IP addresses available in range set: ${intToIpv4(range.start)}-${intToIpv4(range.end)}`,
  };
}

/** IPAM DEL: frees whatever this container+ifname holds; idempotent. */
export function hostLocalRelease(s: HostLocalState, containerId: string, ifname: string): void {
  const owner = `${containerId}\r\n${ifname}`;
  for (const [ip, who] of s.allocated) if (who === owner) s.allocated.delete(ip);
}
