/**
 * The `loopback` plugin: the runtime's built-in network `cni-loopback`, called first with
 * CNI_IFNAME=lo. It ignores the interface name and only brings `lo` up. containerd declares
 * that network at cniVersion 0.3.1 (go-cni opts.go WithLoNetwork; a move to 1.0.0 was
 * reverted), so the plugin prints its result in the 0.3.x form, `ips[].version` included.
 */
import { bringUpLoopback } from '../model/devices/loopback';
import type { CniArgs, CniResult } from './types';
import { NO_DNS } from './types';

export const LOOPBACK_CONF = { cniVersion: '0.3.1', name: 'cni-loopback', plugins: [{ type: 'loopback' }] };

/**
 * The parts of the result that are the same for every pod, shared and frozen: the runtime's log
 * keeps a result per pod (thousands per compile) and only prints them.
 */
const LOOPBACK_IPS = Object.freeze([Object.freeze({ version: '4', interface: 0, address: '127.0.0.1/8' })]) as CniResult['ips'];

export function loopbackAdd(args: CniArgs): CniResult {
  bringUpLoopback(args.podNetns);
  return {
    cniVersion: LOOPBACK_CONF.cniVersion,
    interfaces: [{ name: 'lo', mac: '00:00:00:00:00:00', sandbox: args.netnsPath }],
    ips: LOOPBACK_IPS,
    dns: NO_DNS,
  };
}
