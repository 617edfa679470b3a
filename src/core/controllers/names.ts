/**
 * Kubernetes-style generated names: a ReplicaSet is `<deployment>-<pod-template-hash>` and a
 * pod `<owner>-<5 chars>`, both in apimachinery's "safe" alphabet (no vowels, no look-alike
 * digits), deterministic from the seed instead of random.
 */
import { createRng, hashString } from '../util/rng';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `rand.String(n)` with the seed: the suffix of generateName. */
export function randomSuffix(seed: number, n: number, ...labels: (string | number)[]): string {
  const rng = createRng(seed, 'name', ...labels);
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[rng.int(0, ALPHABET.length - 1)];
  return s;
}

/**
 * apimachinery's `rand.SafeEncodeString`: each character mapped into the safe alphabet by its code.
 * Applied to a decimal number, as ComputeHash does, it only ever yields 4-9, b, c, d and f.
 */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHABET[ch.codePointAt(0)! % ALPHABET.length];
  return out;
}

/**
 * The pod-template-hash as the Deployment controller computes it (pkg/controller ComputeHash): a
 * 32-bit FNV-1a hash of the template (here of its JSON, with the seed as offset basis; the real
 * one hashes a spew dump), printed in decimal and safe-encoded. So it is 1-10 characters of
 * 4-9 b c d f, as in `nginx-deployment-66b6c48dd5`, not any 10 characters of the alphabet.
 */
export function podTemplateHash(seed: number, template: unknown): string {
  return safeEncodeString(String(hashString(JSON.stringify(template) ?? '', seed >>> 0)));
}
