// The rule panel's texts: nodes in nftables mode also carry `nft list ruleset`.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../core/compile/load';
import { renderAll } from './renderings';

describe('renderAll', () => {
  it('adds nft list ruleset for namespaces with nftables tables, and only for them', () => {
    const nft = loadScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: n}\nspec: {kubeProxy: {mode: nftables}, dns: false}\n').model!;
    const r = renderAll(nft);
    expect(r['node-1']?.nft).toMatch(/^table ip kube-proxy \{\n/);
    expect(r['node-1']?.iptablesSave).not.toContain('KUBE-');
    const ipt = renderAll(loadScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: i}\nspec: {dns: false}\n').model!);
    expect(ipt['node-1']?.nft).toBeUndefined();
  });
});
