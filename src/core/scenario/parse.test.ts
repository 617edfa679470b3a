import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './format';
import { parseScenario } from './parse';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/scenarios', name), 'utf8');

/** Diagnostics as `line:col severity code: message`, the shape most assertions read best in. */
function diags(text: string): string[] {
  return parseScenario(text).diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.severity} ${d.code}: ${d.message}`);
}

const yaml = (lines: string[]) => `${lines.join('\n')}\n`;

describe('contract scenarios', () => {
  it('two-node.yaml parses clean', () => {
    const { scenario, diagnostics } = parseScenario(fixture('two-node.yaml'));
    expect(diagnostics).toEqual([]);
    expect(scenario.cluster?.value.spec?.nodes).toBe(2);
    expect(scenario.pods.map((p) => p.value.metadata.name)).toEqual(['a', 'b']);
  });

  it('broken.yaml: error at line 5 col 10 for `nodes: two`', () => {
    const { diagnostics } = parseScenario(fixture('broken.yaml'));
    expect(diagnostics.map((d) => formatDiagnostic(d, 'broken.yaml'))).toEqual([
      'broken.yaml:5:10: error: spec.nodes must be a number or a list of nodes',
    ]);
    expect(diagnostics[0]?.code).toBe('wrong-type');
  });
});

describe('YAML syntax', () => {
  it('reports a syntax error at its position and still reads the other documents', () => {
    const text = yaml([
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: a}',
      'spec: {containers: [{name: c}]}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: b',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: c}',
      'spec: {containers: [{name: c}]}',
    ]);
    const { scenario, diagnostics } = parseScenario(text);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.code === 'yaml-syntax' && d.severity === 'error')).toBe(true);
    // The unclosed flow mapping is noticed where the document ends.
    expect(diagnostics[0]?.pos.line).toBeGreaterThanOrEqual(8);
    expect(diagnostics[0]?.pos.line).toBeLessThanOrEqual(9);
    expect(scenario.pods.map((p) => p.value.metadata.name)).toEqual(['a', 'c']);
  });

  it('names the over-indented line itself, not the value above it that yaml points at', () => {
    const d = parseScenario('kind: Cluster\nspec:\n  nodes: 2\n   dns: true\n').diagnostics;
    expect(d.map((x) => [x.code, x.pos.line, x.pos.col])).toEqual([['yaml-indent', 4, 4]]);
    expect(d[0]?.message).toContain('line 4 is indented 3 spaces, deeper than "nodes:" on line 3 (2)');
    expect(d[0]?.message).toContain('"dns: true"');
  });

  it('names an over-indented key inside a list item, past comments and blank lines', () => {
    const text = yaml(['kind: Pod', 'spec:', '  containers:', '  - name: c', '    image: nginx', '', '    # the ports', '     ports:', '    - containerPort: 80']);
    const d = parseScenario(text).diagnostics;
    expect(d.map((x) => [x.code, x.pos.line, x.pos.col])).toEqual([['yaml-indent', 8, 6]]);
    expect(d[0]?.message).toContain('deeper than "image:" on line 5 (4)');
  });

  it("keeps yaml's own message for other syntax errors", () => {
    const d = parseScenario('kind: Pod\nmetadata:\n  name: a\n spec:\n  x: 1\n').diagnostics;
    expect(d[0]?.code).toBe('yaml-syntax');
    expect(d[0]?.pos.line).toBe(4);
  });

  it('reports duplicate keys', () => {
    const d = parseScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\nkind: Cluster\n').diagnostics;
    expect(d.map((x) => [x.code, x.pos.line])).toEqual([['yaml-syntax', 3]]);
  });

  it('skips empty documents and comment-only documents silently', () => {
    expect(diags('---\n# nothing here\n---\n---\n')).toEqual([]);
    expect(diags('')).toEqual([]);
  });

  it('reports a document that is not a mapping', () => {
    expect(diags('- a\n- b\n')).toEqual([
      '1:1 error not-an-object: a YAML doc must be a Kubernetes or Hopscope object (a mapping with apiVersion and kind)',
    ]);
    expect(diags('just text\n')[0]).toContain('not-an-object');
  });

  it('accepts merge keys as Kubernetes does', () => {
    const text = yaml([
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: a}',
      'spec:',
      '  containers:',
      '    - &base {name: c, image: busybox}',
      '    - <<: *base',
      '      name: d',
    ]);
    const { scenario, diagnostics } = parseScenario(text);
    expect(diagnostics).toEqual([]);
    expect(scenario.pods[0]?.value.spec.containers[1]).toEqual({ name: 'd', image: 'busybox' });
  });
});

describe('kinds', () => {
  it('accepts real manifests of every supported kind without diagnostics', () => {
    const { scenario, diagnostics } = parseScenario(fixture('all-kinds.yaml'));
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(scenario.cluster).not.toBeNull();
    expect(scenario.kubeProxyConfig?.value.mode).toBe('ipvs');
    expect(scenario.traffic).toHaveLength(1);
    expect(scenario.deployments).toHaveLength(1);
    expect(scenario.replicaSets).toHaveLength(1);
    expect(scenario.daemonSets).toHaveLength(1);
    expect(scenario.services).toHaveLength(2);
    expect(scenario.endpointSlices).toHaveLength(1);
    expect(scenario.namespaces).toHaveLength(1);
    expect(scenario.nodes).toHaveLength(1);
    expect(scenario.others.map((o) => o.value.kind).sort()).toEqual(
      ['ConfigMap', 'Endpoints', 'Ingress', 'IngressClass', 'NetworkPolicy', 'Secret', 'ServiceAccount'].sort(),
    );
    // ConfigMap, Secret and ServiceAccount carry a note saying they are ignored.
    expect(diagnostics.filter((d) => d.severity === 'info').map((d) => d.code)).toEqual(['ignored-kind', 'ignored-kind', 'ignored-kind']);
  });

  it('unpacks a List from kubectl get -o yaml with positions pointing into the items', () => {
    const text = yaml([
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: Pod',
      '    metadata: {name: a, namespace: web}',
      '    spec: {containers: [{name: c}]}',
      '  - apiVersion: v1',
      '    kind: Service',
      '    metadata: {name: s}',
      '    spec:',
      '      ports: [{port: 99999}]',
      'metadata: {resourceVersion: ""}',
    ]);
    const { scenario, diagnostics } = parseScenario(text);
    expect(scenario.pods[0]?.pos.line).toBe(4);
    expect(scenario.pods[0]?.fieldPos('metadata.namespace')).toMatchObject({ line: 6, col: 36 });
    expect(diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.message}`)).toEqual([
      '12:22 spec.ports.0.port must be between 1 and 65535 (got 99999)',
    ]);
  });

  it('warns about an unknown kind with its position and a suggestion', () => {
    expect(diags('apiVersion: v1\nkind: Pdo\nmetadata: {name: a}\n')).toEqual([
      '2:7 warning unknown-kind: unknown kind Pdo; the YAML doc is ignored; did you mean Pod?',
    ]);
    expect(diags('apiVersion: example.com/v1\nkind: Widget\n')[0]).toMatch(/^2:7 warning unknown-kind: unknown kind Widget; the YAML doc is ignored$/);
  });

  it('reports a missing kind and warns about a missing apiVersion', () => {
    expect(diags('metadata: {name: a}\n')).toEqual(['1:1 error missing-kind: kind is missing; every YAML doc needs apiVersion and kind']);
    expect(diags('kind: Cluster\n')).toEqual(['1:1 warning missing-api-version: apiVersion is missing in Cluster; expected hopscope/v1alpha1']);
  });

  it('says a real Kubernetes kind it does not model is not a typo, and what leaving it out means', () => {
    expect(diags('apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\n')).toEqual([
      '2:7 warning unmodelled-kind: StatefulSet is a Kubernetes kind Hopscope does not model; the YAML doc is ignored: no pods are created from it, so a Service selecting them has no endpoints (a Deployment with the same pod template gives pods to trace)',
    ]);
    expect(diags('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n')).toEqual([
      '2:7 warning unmodelled-kind: PersistentVolumeClaim is a Kubernetes kind Hopscope does not model; the YAML doc is ignored: it has no effect on networking',
    ]);
  });

  it('refuses an unsupported hopscope apiVersion and warns about old Kubernetes ones', () => {
    expect(diags('apiVersion: hopscope/v9\nkind: Cluster\n')).toEqual([
      '1:13 error unsupported-api-version: Cluster apiVersion hopscope/v9 is not supported; use hopscope/v1alpha1',
    ]);
    const old = diags(yaml([
      'apiVersion: extensions/v1beta1',
      'kind: Deployment',
      'metadata: {name: d}',
      'spec: {template: {spec: {containers: [{name: c}]}}}',
    ]));
    expect(old).toEqual(['1:13 warning deprecated-api-version: Deployment apiVersion extensions/v1beta1 is no longer served by Kubernetes (kubectl apply fails: no matches for kind "Deployment" in version "extensions/v1beta1"); reading it as apps/v1']);
  });
});

describe('namespaces and names', () => {
  it('fills the default namespace in a copy and leaves cluster-scoped kinds alone', () => {
    const text = yaml([
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: a, labels: {app: web}}',
      'spec: {containers: [{name: c}]}',
      '---',
      'apiVersion: v1',
      'kind: Node',
      'metadata: {name: node-9}',
    ]);
    const { scenario } = parseScenario(text);
    expect(scenario.pods[0]?.value.metadata).toEqual({ name: 'a', namespace: 'default', labels: { app: 'web' } });
    expect(scenario.nodes[0]?.value.metadata).toEqual({ name: 'node-9' });
  });

  it('requires metadata.name on Kubernetes objects (generateName is enough)', () => {
    expect(diags('apiVersion: v1\nkind: Pod\nmetadata: {}\nspec: {containers: [{name: c}]}\n')).toEqual([
      '3:1 error missing-field: metadata.name is required in Pod',
    ]);
    expect(diags('apiVersion: v1\nkind: Pod\nmetadata: {generateName: a-}\nspec: {containers: [{name: c}]}\n')).toEqual([]);
  });

  it('refuses names that are not DNS-1123', () => {
    const d = diags('apiVersion: v1\nkind: Pod\nmetadata: {name: My_Pod}\nspec: {containers: [{name: c}]}\n');
    expect(d).toEqual([
      '3:18 error invalid-name: metadata.name "My_Pod" must be a DNS-1123 name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
    ]);
    expect(diags('apiVersion: v1\nkind: Service\nmetadata: {name: a.b}\n')[0]).toContain('must be a DNS-1123 label');
  });

  it('reports the second of two objects with the same kind, namespace and name', () => {
    const pod = (name: string, ns?: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}\nspec: {containers: [{name: c}]}\n`;
    const text = [pod('a'), pod('a', 'other'), pod('a', 'default'), pod('b')].join('---\n');
    const { scenario, diagnostics } = parseScenario(text);
    expect(diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.code}: ${d.message}`)).toEqual([
      '13:18 duplicate-name: duplicate Pod default/a; first defined at line 1',
    ]);
    expect(scenario.pods.map((p) => `${p.value.metadata.namespace}/${p.value.metadata.name}`)).toEqual(['default/a', 'other/a', 'default/b']);
    // The same name in another kind is fine.
    expect(diags(`${pod('a')}---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n`)).toEqual([]);
  });

  it('refuses objects in a namespace nothing creates, as NamespaceLifecycle admission does', () => {
    // plugin/pkg/admission/namespace/lifecycle: NotFound "namespaces \"web\" not found"; default,
    // kube-system, kube-public (immortal) and kube-node-lease always exist.
    const obj = (kind: string, ns: string) => `apiVersion: v1\nkind: ${kind}\nmetadata: {name: a, namespace: ${ns}}\n${kind === 'Pod' ? 'spec: {containers: [{name: c}]}\n' : ''}`;
    const cluster = 'apiVersion: hopscope/v1alpha1\nkind: Cluster\n';
    const text = [cluster, obj('Pod', 'web'), obj('Service', 'wbe'), obj('Endpoints', 'web'), obj('Pod', 'kube-public'), obj('Pod', 'kube-node-lease')].join('---\n');
    const { scenario, diagnostics } = parseScenario(text);
    expect(diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.severity} ${d.code}: ${d.message}`)).toEqual([
      '6:32 error namespace-not-found: namespaces "web" not found: the API server refuses Pod web/a, so it is left out (add a Namespace doc named web)',
      '11:32 error namespace-not-found: namespaces "wbe" not found: the API server refuses Service wbe/a, so it is left out (add a Namespace doc named wbe)',
      '15:32 error namespace-not-found: namespaces "web" not found: the API server refuses Endpoints web/a, so it is left out (add a Namespace doc named web)',
    ]);
    expect(scenario.pods.map((p) => p.value.metadata.namespace)).toEqual(['kube-public', 'kube-node-lease']);
    expect(scenario.services).toEqual([]);
    expect(scenario.others).toEqual([]);
    // A Namespace doc anywhere in the file creates it (a scenario is a set, not a sequence),
    // and a near miss of an existing one is named.
    const created = parseScenario(`${text}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n`);
    expect(created.diagnostics.map((d) => d.message)).toEqual([
      'namespaces "wbe" not found: the API server refuses Service wbe/a, so it is left out (add a Namespace doc named wbe; did you mean web?)',
    ]);
    expect(created.scenario.pods.map((p) => p.value.metadata.namespace)).toEqual(['web', 'kube-public', 'kube-node-lease']);
    // Without a Cluster doc the objects are fixtures for the controllers: no API server admits them.
    expect(parseScenario(text.slice(cluster.length + 4)).diagnostics).toEqual([]);
  });

  it('refuses a second Cluster document', () => {
    const text = 'apiVersion: hopscope/v1alpha1\nkind: Cluster\n---\napiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: 3}\n';
    const { scenario, diagnostics } = parseScenario(text);
    expect(diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.code}: ${d.message}`)).toEqual([
      '5:7 duplicate-singleton: more than one Cluster YAML doc; first defined at line 1',
    ]);
    expect(scenario.cluster?.value.spec).toBeUndefined();
  });
});

describe('Kubernetes fields we model', () => {
  const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}`;

  it('requires containers, container names and port numbers', () => {
    expect(diags(pod('  nodeName: node-1\n'))).toEqual(['4:1 error missing-field: spec.containers is required in Pod']);
    expect(diags(pod('  containers: []\n'))).toEqual(['5:15 error missing-field: spec.containers needs at least 1 item']);
    expect(diags(pod('  containers:\n    - image: nginx\n'))).toEqual(['6:7 error missing-field: spec.containers.0.name is required in Pod']);
    expect(diags(pod('  containers:\n    - name: c\n      ports: [{name: http}]\n'))).toEqual([
      '7:15 error missing-field: spec.containers.0.ports.0.containerPort is required in Pod',
    ]);
    expect(diags('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n    - targetPort: 80\n')).toEqual([
      '6:7 error missing-field: spec.ports.0.port is required in Service',
    ]);
  });

  it('warns about a port declared twice in a pod as the API server does, and what two containers on one port lead to', () => {
    // pkg/api/pod/warnings.go: "<path>: duplicate port definition with <path>".
    expect(diags(pod('  containers:\n    - {name: a, ports: [{containerPort: 80}]}\n    - {name: b, ports: [{containerPort: 81}, {containerPort: 80, protocol: TCP}]}\n'))).toEqual([
      '7:46 warning port-in-use: spec.containers[1].ports[1]: duplicate port definition with spec.containers[0].ports[0]: containers of a pod share one network namespace, so container b fails to bind 80/TCP (bind: address already in use) held by container a, crash-loops (CrashLoopBackOff), and the pod is never Ready, so Services leave it out of their endpoints',
    ]);
    // One container declaring a port twice is one process: only the API server's warning.
    expect(diags(pod('  containers:\n    - {name: a, ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: UDP}, {containerPort: 53}]}\n'))).toEqual([
      '6:61 warning port-in-use: spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]',
    ]);
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec: {containers: [{name: a, ports: [{containerPort: 80}]}, {name: b, ports: [{containerPort: 80}]}]}\n';
    expect(diags(deployment)[0]).toMatch(/^8:\d+ warning port-in-use: spec\.template\.spec\.containers\[1\]\.ports\[0\]: duplicate port definition with spec\.template\.spec\.containers\[0\]\.ports\[0\]: /);
  });

  it('refuses labels, Service selectors and nodeSelectors the API server refuses (ValidateLabels)', () => {
    const text = yaml([
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p, labels: {app: hello world, -bad: x, app.kubernetes.io/name: web, empty: ""}}',
      'spec: {nodeSelector: {"zone/": a}, containers: [{name: c}]}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: s}',
      'spec: {selector: {app: hello world}, ports: [{port: 80}]}',
    ]);
    const { scenario, diagnostics } = parseScenario(text);
    expect(diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.code}: ${d.message}`)).toEqual([
      `3:35 invalid-label: metadata.labels.app: Invalid value: "hello world": a label value must be at most 63 characters, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character`,
      `3:48 invalid-label: metadata.labels: Invalid value: "-bad": a label key's name must be 1-63 characters, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character`,
      `4:23 invalid-label: spec.nodeSelector: Invalid value: "zone/": a label key's name must be 1-63 characters, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character`,
      `9:24 invalid-label: spec.selector.app: Invalid value: "hello world": a label value must be at most 63 characters, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character`,
    ]);
    expect(scenario.pods).toEqual([]);
    expect(scenario.services).toEqual([]);
    // A prefixed key and an empty value are valid.
    expect(diags('apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app.kubernetes.io/name: web, tier: ""}}\nspec: {containers: [{name: c}]}\n')).toEqual([]);
  });

  it('explains a quoted number where a number is expected', () => {
    expect(diags(pod('  containers: [{name: c, ports: [{containerPort: "80"}]}]\n'))).toEqual([
      '5:50 error wrong-type: spec.containers.0.ports.0.containerPort must be a port number (got the string "80"; write 80 without quotes)',
    ]);
    // A string that is not a number, or a string where a string is expected, gets no such hint.
    expect(diags(pod('  containers: [{name: c, ports: [{containerPort: http}]}]\n'))).toEqual([
      '5:50 error wrong-type: spec.containers.0.ports.0.containerPort must be a port number',
    ]);
  });

  it('reports wrong types and ranges at the value', () => {
    expect(diags(pod('  containers:\n    - name: c\n      ports:\n        - containerPort: "80"\n'))).toEqual([
      '8:26 error wrong-type: spec.containers.0.ports.0.containerPort must be a port number (got the string "80"; write 80 without quotes)',
    ]);
    expect(diags(pod('  containers:\n    - name: c\n      ports:\n        - containerPort: 0\n'))[0]).toBe(
      '8:26 error out-of-range: spec.containers.0.ports.0.containerPort must be between 1 and 65535 (got 0)',
    );
    expect(diags(pod('  hostNetwork: yes\n  containers: [{name: c}]\n'))).toEqual(['5:16 error wrong-type: spec.hostNetwork must be true or false']);
    expect(diags('apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {port: 80}}\nspec: {containers: [{name: c}]}\n')[0]).toContain(
      'metadata.labels.port must be a string',
    );
  });

  it('checks enums, addresses and the NodePort range of Services', () => {
    const svc = (spec: string) => diags(`apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n${spec}`);
    expect(svc('  type: NodePrt\n')).toEqual([
      '5:9 error invalid-value: spec.type must be one of ClusterIP, NodePort, LoadBalancer, ExternalName (got "NodePrt"); did you mean NodePort?',
    ]);
    expect(svc('  clusterIP: 10.96.0.300\n')[0]).toContain('invalid-ip: spec.clusterIP must be an IPv4 address, "None" or empty');
    expect(svc('  clusterIP: None\n')).toEqual([]);
    // The NodePort range is the API server's rule, checked by compile (controllers/services.test.ts).
    expect(svc('  type: NodePort\n  ports: [{port: 80, nodePort: 80}]\n')).toEqual([]);
    expect(svc('  type: NodePort\n  ports: [{port: 80, nodePort: 70000}]\n')[0]).toContain('spec.ports.0.nodePort must be between 1 and 65535');
    expect(svc('  ports: [{port: 80}, {port: 443}]\n')).toEqual([
      '5:11 error missing-field: spec.ports.0.name is required when a Service has more than one port',
      '5:23 error missing-field: spec.ports.1.name is required when a Service has more than one port',
    ]);
  });

  it('refuses repeated port names, repeated port/protocol pairs and malformed named targetPorts, as the API server does', () => {
    const svc = (spec: string) => diags(`apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n${spec}`);
    expect(svc('  ports: [{name: a, port: 80}, {name: a, port: 81}]\n')).toEqual([
      '5:39 error duplicate-port: spec.ports[1].name: Duplicate value: "a" (already the name of spec.ports[0])',
    ]);
    expect(svc('  ports: [{name: a, port: 80}, {name: b, port: 80}]\n')).toEqual([
      '5:48 error duplicate-port: spec.ports[1]: Duplicate value: port 80/TCP is already spec.ports[0]',
    ]);
    // The same port number over two protocols is how kube-dns serves 53/UDP and 53/TCP.
    expect(svc('  ports: [{name: a, port: 53, protocol: UDP}, {name: b, port: 53, protocol: TCP}]\n')).toEqual([]);
    expect(svc('  ports: [{port: 80, targetPort: Http_Bad}]\n')).toEqual([
      '5:34 error invalid-port-name: spec.ports.0.targetPort: Invalid value: "Http_Bad": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
    expect(svc('  ports: [{port: 80, targetPort: web--http}]\n')[0]).toContain('must not contain consecutive hyphens');
    expect(svc('  ports: [{port: 80, targetPort: "8080"}]\n')[0]).toContain('must contain at least one letter (a-z)');
    expect(svc('  ports: [{port: 80, targetPort: http-alt}]\n')).toEqual([]);
  });

  it('warns about a misspelled field but not about real fields we do not model', () => {
    expect(diags(pod('  containres: [{name: c}]\n'))).toEqual([
      '4:1 error missing-field: spec.containers is required in Pod',
      '5:3 warning unknown-field: unknown field spec.containres in Pod; did you mean containers?',
    ]);
    const real = pod('  restartPolicy: Always\n  tolerations: []\n  containers:\n    - name: c\n      resources: {limits: {cpu: 1}}\n      env: [{name: A, value: b}]\n');
    expect(diags(real)).toEqual([]);
  });

  it('refuses a Deployment whose selector does not match its template', () => {
    const text = yaml([
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: d}',
      'spec:',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: api}}',
      '    spec: {containers: [{name: c}]}',
    ]);
    expect(diags(text)).toEqual(['7:24 error selector-mismatch: spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels` (spec.selector is app=web)']);
  });

  // pkg/apis/apps/validation ValidateDeploymentSpec / ValidatePodTemplateSpecForReplicaSet.
  const workload = (kind: string, apiVersion: string, selector: string, labels: string) => yaml([
    `apiVersion: ${apiVersion}`,
    `kind: ${kind}`,
    'metadata: {name: d}',
    'spec:',
    ...(selector ? [`  selector: ${selector}`] : []),
    '  template:',
    `    metadata: {labels: ${labels}}`,
    '    spec: {containers: [{name: c}]}',
  ]);

  it('refuses a workload whose matchExpressions do not select its template, as the apiserver does', () => {
    expect(diags(workload('Deployment', 'apps/v1', '{matchExpressions: [{key: app, operator: In, values: [web]}]}', '{app: nginx}'))).toEqual([
      '7:24 error selector-mismatch: spec.template.metadata.labels: Invalid value: {"app":"nginx"}: `selector` does not match template `labels` (spec.selector is app in (web))',
    ]);
    expect(diags(workload('ReplicaSet', 'apps/v1', '{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: DoesNotExist}]}', '{app: web, tier: db}'))).toEqual([
      '7:24 error selector-mismatch: spec.template.metadata.labels: Invalid value: {"app":"web","tier":"db"}: `selector` does not match template `labels` (spec.selector is app=web,!tier)',
    ]);
    expect(diags(workload('DaemonSet', 'apps/v1', '{matchExpressions: [{key: app, operator: NotIn, values: [db]}, {key: app, operator: Exists}]}', '{app: web}'))).toEqual([]);
  });

  it('requires a non-empty, valid selector in apps/v1 and defaults it in the old apiVersions', () => {
    expect(diags(workload('Deployment', 'apps/v1', '', '{app: web}'))).toEqual([
      '4:1 error missing-selector: spec.selector: Required value: Deployment apps/v1 needs a selector that matches spec.template.metadata.labels (e.g. selector: {matchLabels: {app: web}})',
    ]);
    expect(diags(workload('Deployment', 'extensions/v1beta1', '', '{app: web}'))).toEqual([
      '1:13 warning deprecated-api-version: Deployment apiVersion extensions/v1beta1 is no longer served by Kubernetes (kubectl apply fails: no matches for kind "Deployment" in version "extensions/v1beta1"); reading it as apps/v1',
    ]);
    expect(diags(workload('ReplicaSet', 'apps/v1', '{}', '{app: web}'))).toEqual([
      '5:13 error invalid-selector: spec.selector: Invalid value: {}: empty selector is invalid for replicaset',
    ]);
    expect(diags(workload('Deployment', 'apps/v1', '{matchExpressions: [{key: app, operator: In}]}', '{app: web}'))).toEqual([
      "5:33 error invalid-selector: spec.selector.matchExpressions.0.values: Required value: must be specified when `operator` is 'In'",
    ]);
  });

  it('leaves objects with errors out of the scenario and keeps the valid ones', () => {
    const text = `${pod('  containers: [{name: c}]\n')}---\n${pod('  containers: [{image: x}]\n').replace('name: p', 'name: q')}`;
    const { scenario, diagnostics } = parseScenario(text);
    expect(diagnostics).toHaveLength(1);
    expect(scenario.pods.map((p) => p.value.metadata.name)).toEqual(['p']);
  });
});
