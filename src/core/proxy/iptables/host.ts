/**
 * The host addresses kube-proxy sees on its node: the node IPs (from the Node's status) and every
 * interface address (for `nodePortAddresses` and `-m addrtype LOCAL`). A Node object does not
 * list interface addresses, so the annotation `hopscope.dev/oracle-interfaces` may state them:
 * `lo=127.0.0.1/8,::1/128; eth0=192.168.0.2/24,2001:db8::1/64`.
 */
import type { Node } from '../../k8s/types';
import { parseIp } from './addr';
import { ANNOTATION_INTERFACES } from './config';

/** One interface of the host with its addresses (prefix lengths dropped). */
export interface HostInterface {
  name: string;
  addresses: string[];
}

/** Node IPs and local addresses, as `ProxierInput` wants them. */
export interface HostAddresses {
  /** InternalIP and ExternalIP addresses in status order (canonical text). */
  nodeIPs: string[];
  /** Every address of the host, loopbacks included (canonical text). */
  localAddresses: string[];
}

/** Parses the interfaces annotation; entries that do not parse are skipped. */
export function parseInterfacesAnnotation(text: string): HostInterface[] {
  const out: HostInterface[] = [];
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const addresses = part
      .slice(eq + 1)
      .split(',')
      .map((a) => parseIp(a.split('/')[0] ?? '')?.text)
      .filter((a): a is string => a !== undefined);
    if (name) out.push({ name, addresses });
  }
  return out;
}

/**
 * Node IPs and local addresses of a Node. Without the interfaces annotation the local addresses
 * are the node IPs plus 127.0.0.1 and ::1.
 */
export function hostAddressesFrom(node: Node | undefined): HostAddresses {
  const nodeIPs = (node?.status?.addresses ?? [])
    .filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP')
    .map((a) => parseIp(a.address)?.text)
    .filter((a): a is string => a !== undefined);
  const annotation = node?.metadata.annotations?.[ANNOTATION_INTERFACES];
  const fromInterfaces = annotation
    ? parseInterfacesAnnotation(annotation).flatMap((i) => i.addresses)
    : [];
  const localAddresses =
    fromInterfaces.length > 0 ? fromInterfaces : ['127.0.0.1', '::1', ...nodeIPs];
  return { nodeIPs, localAddresses: [...new Set(localAddresses)] };
}
