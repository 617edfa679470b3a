/**
 * The `loopback` plugin: the runtime's built-in network `cni-loopback`, called first with
 * CNI_IFNAME=lo. It ignores the interface name and only brings `lo` up.
 */
import { bringUpLoopback } from '../model/devices/loopback';
import type { CniArgs, CniResult } from './types';

export const LOOPBACK_CONF = { cniVersion: '1.0.0', name: 'cni-loopback', plugins: [{ type: 'loopback' }] };

export function loopbackAdd(args: CniArgs): CniResult {
  bringUpLoopback(args.podNetns);
  return {
    cniVersion: '1.0.0',
    interfaces: [{ name: 'lo', mac: '00:00:00:00:00:00', sandbox: args.netnsPath }],
    ips: [{ interface: 0, address: '127.0.0.1/8' }],
    dns: {},
  };
}
