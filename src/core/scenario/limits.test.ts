import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './limits';
import { parseScenario } from './parse';

const codes = (text: string, limits = {}) => parseScenario(text, { limits }).diagnostics.map((d) => d.code);

/** Ordinary manifests (a Deployment and a Service per step) up to `chars` characters. */
function manifests(chars: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < chars; n++) {
    const doc = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: web-${n}, namespace: team-${n % 7}, labels: {app: web-${n}}}`,
      'spec:',
      '  replicas: 3',
      `  selector: {matchLabels: {app: web-${n}}}`,
      '  template:',
      `    metadata: {labels: {app: web-${n}}}`,
      '    spec:',
      '      containers:',
      '        - name: nginx',
      '          image: nginx:1.27',
      '          ports: [{containerPort: 80, protocol: TCP}]',
      '---',
      'apiVersion: v1',
      'kind: Service',
      `metadata: {name: web-${n}, namespace: team-${n % 7}}`,
      `spec: {selector: {app: web-${n}}, ports: [{name: http, port: 80, targetPort: 80}]}`,
      '---',
      '',
    ].join('\n');
    if (size + doc.length > chars) break;
    parts.push(doc);
    size += doc.length;
  }
  return parts.join('');
}

describe('resource limits', () => {
  it('refuses a billion-laughs alias bomb quickly and cleanly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: c}]}\n';
    const { scenario, diagnostics } = parseScenario(`${bomb}---\n${pod}`);
    expect(diagnostics.map((d) => [d.code, d.pos.line])).toEqual([['yaml-alias-limit', 1]]);
    expect(scenario.others).toEqual([]);
    expect(scenario.pods).toHaveLength(1);
  });

  it('accepts ordinary anchors and aliases', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: &l {app: web}, annotations: *l}\nspec: {containers: [{name: c}]}\n';
    expect(parseScenario(text).diagnostics).toEqual([]);
  });

  it('refuses documents with too many anchors before composing them', () => {
    const many = Array.from({ length: 6 }, (_, i) => `  k${i}: &a${i} v`).join('\n');
    expect(codes(`kind: ConfigMap\ndata:\n${many}\n`, { maxAnchors: 5 })).toEqual(['yaml-alias-limit']);
  });

  it('refuses deeply nested flow collections without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const { diagnostics } = parseScenario(`kind: Pod\nx: ${deep}\n---\napiVersion: hopscope/v1alpha1\nkind: Cluster\n`);
    expect(diagnostics.map((d) => [d.code, d.pos.line])).toEqual([['yaml-too-deep', 2]]);
    expect(diagnostics[0]?.message).toBe(`YAML doc nests more than ${DEFAULT_LIMITS.maxDepth} levels deep; refused`);
  });

  it('refuses deeply nested block mappings', () => {
    let text = 'kind: ConfigMap\n';
    for (let i = 0; i < 200; i++) text += `${' '.repeat(i)}k:\n`;
    expect(codes(text)).toEqual(['yaml-too-deep']);
    expect(codes('kind: ConfigMap\nmetadata: {name: a}\ndata: {a: {b: {c: [1, [2, [3]]]}}}\n')).not.toContain('yaml-too-deep');
  });

  it('stops after too many documents and keeps the ones before', () => {
    const pod = (n: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${n}}\nspec: {containers: [{name: c}]}\n`;
    const text = [0, 1, 2, 3, 4].map(pod).join('---\n');
    const { scenario, diagnostics } = parseScenario(text, { limits: { maxDocuments: 3 } });
    expect(diagnostics.map((d) => `${d.pos.line} ${d.code}: ${d.message}`)).toEqual(['15 too-many-documents: more than 3 YAML docs; the rest are not read']);
    expect(scenario.pods.map((p) => p.value.metadata.name)).toEqual(['p0', 'p1', 'p2']);
  });

  it('refuses a 5 MB file with file-too-large without reading it', () => {
    const big = manifests(5 * 1024 * 1024);
    expect(big.length).toBeGreaterThan(5_000_000);
    const { scenario, diagnostics } = parseScenario(big, { fileName: 'big.yaml' });
    expect(diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.code}: ${d.message}`)).toEqual([
      '1:1 file-too-large: big.yaml is 5.0 MiB; the limit is 1.0 MiB',
    ]);
    expect(scenario.deployments).toEqual([]);
  });

  it('reads a file just under the size limit completely', () => {
    const text = manifests(DEFAULT_LIMITS.maxChars);
    const { scenario, diagnostics } = parseScenario(text);
    expect(diagnostics).toEqual([]);
    expect(scenario.deployments.length).toBeGreaterThan(1000);
    expect(scenario.services).toHaveLength(scenario.deployments.length);
  });

  it('caps the number of diagnostics but keeps every error first', () => {
    const unknown = Array.from({ length: 10 }, (_, i) => `apiVersion: v1\nkind: Widget${i}\n`).join('---\n');
    const text = `${unknown}---\napiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: two}\n`;
    const d = parseScenario(text, { limits: { maxDiagnostics: 3 } }).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['unknown-kind', 'unknown-kind', 'wrong-type', 'too-many-diagnostics']);
    expect(d[3]?.message).toBe('8 more diagnostics not shown');
  });
});
