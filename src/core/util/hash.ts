/**
 * Cryptographic hashes where real tools derive names from them: Calico's `cali` + SHA-1 of
 * "<ns>.<pod>", the bridge plugin's `CNI-` + SHA-512 masquerade chains, kube-proxy's
 * SHA-256 chain names. @noble/hashes is pure JS, so the core stays free of node:crypto.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function sha1Hex(s: string): string {
  return bytesToHex(sha1(utf8ToBytes(s)));
}

export function sha256Bytes(s: string): Uint8Array {
  return sha256(utf8ToBytes(s));
}

export function sha512Hex(s: string): string {
  return bytesToHex(sha512(utf8ToBytes(s)));
}
