/**
 * kube-proxy's per-service and per-endpoint chain names.
 *
 * Read first: pkg/proxy/iptables/proxier.go (`servicePortChainName` and friends). A name is a
 * fixed prefix plus the first 16 characters of base32(sha256(key)), so that it fits iptables'
 * 28-character chain-name limit and stays stable across restarts. The address family is not part
 * of the key: the IPv4 and IPv6 proxiers use identical names.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** The per-service-port chain kinds (spec §4). */
export type ServiceChainKind = 'KUBE-SVC' | 'KUBE-SVL' | 'KUBE-EXT' | 'KUBE-FW';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 with the standard alphabet and `=` padding (Go's `base32.StdEncoding`). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/**
 * Hashes already computed, by key: every node's kube-proxy names the same chains on every sync
 * (100 nodes × the same Services at compile). Bounded so a long session cannot grow it forever.
 */
const hashCache = new Map<string, string>();
const HASH_CACHE_MAX = 1 << 18;

/** First 16 characters of base32(sha256(key)): the variable part of every kube-proxy chain name. */
export function chainHash(key: string): string {
  let h = hashCache.get(key);
  if (h === undefined) {
    h = base32Encode(sha256(utf8ToBytes(key))).slice(0, 16);
    if (hashCache.size >= HASH_CACHE_MAX) hashCache.clear();
    hashCache.set(key, h);
  }
  return h;
}

/**
 * Chain of a service port: `kind` + `-` + hash of service-port name and lower-case protocol,
 * e.g. (`ns1/svc1:p80`, `tcp`) → `KUBE-SVC-XPGD46QRK7WJZT7O`.
 */
export function servicePortChainName(
  kind: ServiceChainKind,
  servicePortName: string,
  protocol: string,
): string {
  return `${kind}-${chainHash(servicePortName + protocol)}`;
}

/** The four chains of a service port (one hash for all of them), as `servicePortChainName` names each. */
export function servicePortChainNames(
  servicePortName: string,
  protocol: string,
): Record<ServiceChainKind, string> {
  const h = chainHash(servicePortName + protocol);
  return { 'KUBE-SVC': `KUBE-SVC-${h}`, 'KUBE-SVL': `KUBE-SVL-${h}`, 'KUBE-EXT': `KUBE-EXT-${h}`, 'KUBE-FW': `KUBE-FW-${h}` };
}

/**
 * Chain of one endpoint of a service port: `KUBE-SEP-` + hash of service-port name, protocol and
 * endpoint string (`10.180.0.1:80`, `[fd00::1]:80`).
 */
export function endpointChainName(
  servicePortName: string,
  protocol: string,
  endpoint: string,
): string {
  return `KUBE-SEP-${chainHash(servicePortName + protocol + endpoint)}`;
}
