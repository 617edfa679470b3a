/**
 * Kubernetes-style generated names: a ReplicaSet is `<deployment>-<pod-template-hash>` and a
 * pod `<owner>-<5 chars>`, both drawn from the apiserver's "safe" alphabet (no vowels, no
 * look-alike digits), deterministic from the seed instead of random.
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

/** The pod-template-hash: a hash of the template rendered in the safe alphabet (10 chars, like modern kube). */
export function podTemplateHash(seed: number, template: unknown): string {
  let h = hashString(JSON.stringify(template) ?? '', seed >>> 0);
  let s = '';
  for (let i = 0; i < 10; i++) {
    s += ALPHABET[h % ALPHABET.length];
    h = Math.floor(h / ALPHABET.length) || hashString(s, h);
  }
  return s;
}
