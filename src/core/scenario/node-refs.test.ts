import { describe, expect, it } from 'vitest';
import { clusterNodeNames, findMissingNodeNames } from './node-refs';
import { parseScenario } from './parse';

const pod = (name: string, node: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {nodeName: ${node}, containers: [{name: c}]}\n`;

describe('node references', () => {
  it('names nodes node-1 … node-N for a count, or as listed', () => {
    expect(clusterNodeNames(null)).toEqual(['node-1', 'node-2']);
    expect(clusterNodeNames({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { nodes: 3 } })).toEqual(['node-1', 'node-2', 'node-3']);
    expect(clusterNodeNames({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { nodes: [{ name: 'a' }] } })).toEqual(['a']);
  });

  it('reports a pod on a node the cluster does not have, at its nodeName', () => {
    const { scenario } = parseScenario(`apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: 1}\n---\n${pod('a', 'node-1')}---\n${pod('b', 'node-7')}`);
    const d = findMissingNodeNames(scenario);
    expect(d.map((x) => `${x.pos.line}:${x.pos.col} ${x.code}: ${x.message}`)).toEqual([
      '13:18 unknown-node: spec.nodeName node-7 is not a node of the cluster (nodes: node-1)',
    ]);
  });

  it('counts Node objects as nodes', () => {
    const { scenario } = parseScenario(`apiVersion: v1\nkind: Node\nmetadata: {name: worker}\n---\n${pod('a', 'worker')}`);
    expect(findMissingNodeNames(scenario)).toEqual([]);
  });
});
