/**
 * The generated JSON Schema (schema.json) must match the types it is generated from, and agree
 * with the parser: a document the schema accepts parses without errors or warnings, and one it
 * rejects gets at least one error or warning.
 *
 * WARNING: `ajv` is only a transitive dependency here (through eslint); it is used to validate
 * against the schema the way the editor does, and should become a devDependency if kept.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseScenario } from './parse';
import schema from './schema.json';

const root = join(__dirname, '../../..');
const validate = new Ajv({ allErrors: true }).compile(schema);

function schemaAccepts(doc: string): boolean {
  return validate(parse(doc)) === true;
}

function parserAccepts(doc: string): boolean {
  return parseScenario(doc).diagnostics.every((d) => d.severity === 'info');
}

const ACCEPTED = [
  'apiVersion: hopscope/v1alpha1\nkind: Cluster\n',
  'apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {nodes: [{name: a, ip: 192.168.0.4}], cni: {plugin: calico, backend: ipip}, kubeProxy: {mode: ipvs}}\n',
  'apiVersion: hopscope/v1alpha1\nkind: Traffic\nspec: {requests: [{from: pod/a, to: "http://b"}], faults: [{action: delete, target: pod/b}]}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, ports: [{containerPort: 80}], resources: {}}]}\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 2, selector: {matchLabels: {app: d}}, template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c}]}}}\n',
  'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, ports: [{port: 80, targetPort: http}]}\n',
];

const REJECTED = [
  'apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: two}\n',
  'apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodez: 2}\n',
  'apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {cni: {plugin: flanel}}\n',
  'apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {kubeProxy: {mode: ebpf}}\n',
  'apiVersion: hopscope/v1alpha1\nkind: Traffic\nspec: {requests: [{to: x}]}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: x}]}\n',
  'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{targetPort: 80}]}\n',
  'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePrt}\n',
  // apps/v1 requires a selector (ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateDaemonSetSpec).
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c}]}}}\n',
  'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: d}\nspec: {replicas: 1, template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c}]}}}\n',
  'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec: {template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c}]}}}\n',
  // A workload's template needs its containers, as a Pod does.
  'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec: {selector: {matchLabels: {app: d}}, template: {metadata: {labels: {app: d}}, spec: {}}}\n',
];

describe('schema.json', () => {
  it('is what scripts/gen-schema.mjs generates from the current types', () => {
    // --check exits non-zero (and execFileSync throws) when the committed file is stale.
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/gen-schema.mjs'), '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('picks the definition by kind, so each document of a file is checked as its kind', () => {
    expect(schemaAccepts('kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n')).toBe(true);
    expect(schemaAccepts('kind: Pod\nmetadata: {name: p}\n')).toBe(false);
    expect(schemaAccepts('kind: SomethingElse\nanything: 1\n')).toBe(true);
  });

  it.each(ACCEPTED)('agrees with the parser on an accepted document: %s', (doc) => {
    expect(schemaAccepts(doc)).toBe(true);
    expect(parserAccepts(doc)).toBe(true);
  });

  it.each(REJECTED)('agrees with the parser on a rejected document: %s', (doc) => {
    expect(schemaAccepts(doc)).toBe(false);
    expect(parserAccepts(doc)).toBe(false);
  });

  it('accepts every document of the all-kinds fixture, as the parser does', () => {
    const text = readFileSync(join(root, 'fixtures/scenarios/all-kinds.yaml'), 'utf8');
    for (const doc of text.split(/^---$/m)) expect(schemaAccepts(doc)).toBe(true);
    expect(parserAccepts(text)).toBe(true);
  });
});
