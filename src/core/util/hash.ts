/**
 * Cryptographic hashes where real tools derive names from them: Calico's `cali` + SHA-1 of
 * "<ns>.<pod>", the bridge plugin's `CNI-` + SHA-512 masquerade chains, kube-proxy's
 * SHA-256 chain names. @noble/hashes is pure JS, so the core stays free of node:crypto; SHA-1
 * (names only, many short strings per compile) has its own allocation-free version (sha1.ts).
 */
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { sha1HexPrefix } from './sha1';

export function sha1Hex(s: string): string {
  return sha1HexPrefix(s, 40);
}

export function sha256Bytes(s: string): Uint8Array {
  return sha256(utf8ToBytes(s));
}

export function sha512Hex(s: string): string {
  return bytesToHex(sha512(utf8ToBytes(s)));
}
