import { describe, expect, it } from 'vitest';
import { podTemplateHash, randomSuffix, safeEncodeString } from './names';

describe('generated names', () => {
  it('safe-encodes as apimachinery rand.SafeEncodeString does', () => {
    // '0'..'9' are 48..57; 48 % 27 = 21 → '4' … 57 % 27 = 3 → 'f'.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    // A real pod-template-hash, decoded back: nginx-deployment-66b6c48dd5 (kubernetes.io's Deployment page) is 2262704881.
    expect(safeEncodeString('2262704881')).toBe('66b6c48dd5');
  });

  it('makes pod-template-hashes in the alphabet and length ComputeHash yields', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const h = podTemplateHash(seed, { metadata: { labels: { app: `a${seed}` } }, spec: { containers: [{ name: 'c' }] } });
      expect(h).toMatch(/^[4-9bcdf]{1,10}$/);
    }
    const t = { spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    expect(podTemplateHash(1, t)).toBe(podTemplateHash(1, JSON.parse(JSON.stringify(t))));
    expect(podTemplateHash(1, t)).not.toBe(podTemplateHash(1, { spec: { containers: [{ name: 'c', image: 'httpd' }] } }));
  });

  it('draws pod suffixes of rand.String(5) from the safe alphabet', () => {
    for (let i = 0; i < 100; i++) expect(randomSuffix(1, 5, 'ns', 'rs', i)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
