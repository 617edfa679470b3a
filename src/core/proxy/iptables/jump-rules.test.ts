import { describe, expect, it } from 'vitest';
import { kubeProxyJumpRules } from './jump-rules';
import { findChain, parseRestoreText } from './restore-text';

describe('kubeProxyJumpRules', () => {
  const tables = parseRestoreText(kubeProxyJumpRules());

  it('leaves the jumps in the order prepending them gives on a fresh node', () => {
    const targets = (table: string, chain: string): string[] =>
      (findChain(tables, table, chain)?.rules ?? []).map((r) => r.split(' -j ')[1] ?? '');
    expect(targets('filter', 'INPUT')).toEqual([
      'KUBE-FIREWALL',
      'KUBE-PROXY-FIREWALL',
      'KUBE-NODEPORTS',
      'KUBE-EXTERNAL-SERVICES',
    ]);
    expect(targets('filter', 'FORWARD')).toEqual([
      'KUBE-PROXY-FIREWALL',
      'KUBE-FORWARD',
      'KUBE-SERVICES',
      'KUBE-EXTERNAL-SERVICES',
    ]);
    expect(targets('filter', 'OUTPUT')).toEqual([
      'KUBE-FIREWALL',
      'KUBE-PROXY-FIREWALL',
      'KUBE-SERVICES',
    ]);
    expect(targets('nat', 'PREROUTING')).toEqual(['KUBE-SERVICES']);
    expect(targets('nat', 'OUTPUT')).toEqual(['KUBE-SERVICES']);
    expect(targets('nat', 'POSTROUTING')).toEqual(['KUBE-POSTROUTING']);
  });

  it('declares every jump target and the canary in each table it touches', () => {
    for (const t of tables) {
      const declared = new Set(t.chains.map((c) => c.name));
      expect(declared.has('KUBE-PROXY-CANARY'), t.name).toBe(true);
      for (const c of t.chains)
        for (const r of c.rules) expect(declared.has(r.split(' -j ')[1] ?? '')).toBe(true);
    }
    expect(tables.map((t) => t.name)).toEqual(['mangle', 'filter', 'nat']);
  });
});
