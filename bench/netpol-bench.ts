/**
 * NetworkPolicy benchmark (issue 8): the reachability matrix of 200 pods in 10 namespaces under
 * 50 policies — 40,000 request/reply flows traced through Felix's rules — plus the compile time
 * (policy validation and Felix programming included) and the size of the rule set it walks.
 * Prints JSON lines; figures, not pass/fail. Wall and process-CPU times are both printed: on a
 * busy machine the first mostly measures the wait for a CPU.
 */
import { loadScenario } from '../src/core/compile/load';
import { computeReachability } from '../src/core/simulate/reach';
import { median } from './util';

const NAMESPACES = 10;
const PODS_PER_NS = 20;
const NODES = 4;

function pod(ns: number, i: number): string {
  const labels = {
    app: `app-${i % 5}`,
    tier: i % 2 ? 'web' : 'db',
    ...(i % 7 === 0 ? { role: 'admin' } : {}),
  };
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace: `ns${ns}`, labels },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          ports: [{ name: 'http', containerPort: 80 }, { containerPort: 8080 }],
        },
      ],
    },
  });
}

/** Five policies per namespace, mixing every kind of rule the engine translates. */
function policies(ns: number): string[] {
  const meta = (name: string) => ({ name, namespace: `ns${ns}` });
  const np = (name: string, spec: object) =>
    JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(name),
      spec,
    });
  const nsSel = (n: number) => ({
    namespaceSelector: {
      matchLabels: { 'kubernetes.io/metadata.name': `ns${n}` },
    },
  });
  return [
    np('default-deny', {
      podSelector: ns % 2 ? {} : { matchLabels: { tier: 'db' } },
    }),
    np('web-from-same-ns', {
      podSelector: { matchLabels: { tier: 'web' } },
      ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 'http' }] }],
    }),
    np('db-from-app', {
      podSelector: { matchLabels: { tier: 'db' } },
      ingress: [
        {
          from: [
            {
              ...nsSel((ns + 1) % NAMESPACES),
              podSelector: { matchLabels: { app: 'app-1' } },
            },
            {
              podSelector: {
                matchExpressions: [{ key: 'role', operator: 'Exists' }],
              },
            },
          ],
          ports: [{ port: 80, endPort: 90 }],
        },
      ],
    }),
    np('from-cidr', {
      podSelector: { matchLabels: { app: `app-${ns % 5}` } },
      ingress: [
        {
          from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.0.0/26'] } }],
        },
      ],
    }),
    np('egress', {
      podSelector: {
        matchExpressions: [{ key: 'app', operator: 'In', values: ['app-3', 'app-4'] }],
      },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: {
                matchExpressions: [
                  {
                    key: 'kubernetes.io/metadata.name',
                    operator: 'NotIn',
                    values: [`ns${(ns + 5) % NAMESPACES}`],
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
  ];
}

function scenario(): string {
  const docs = [
    JSON.stringify({
      apiVersion: 'hopscope/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'netpol-bench' },
      spec: { nodes: NODES, cni: { plugin: 'calico' }, dns: false },
    }),
  ];
  for (let n = 0; n < NAMESPACES; n++) {
    // The namespace exists first: the API server refuses objects in one nothing created.
    docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns${n}` } }));
    for (let i = 0; i < PODS_PER_NS; i++) docs.push(pod(n, i));
    docs.push(...policies(n));
  }
  return docs.join('\n---\n');
}

const text = scenario();
const compileMs: number[] = [];
let r = loadScenario(text);
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  r = loadScenario(text);
  compileMs.push(performance.now() - t0);
}
const model = r.model!;
const errors = r.diagnostics.filter((d) => d.severity !== 'info');
let filterRules = 0;
for (const n of model.nodes) {
  let k = 0;
  for (const c of model.netns.get(n.netns)!.netfilter.tables.get('filter')!.chains.values())
    k += c.rules.length;
  filterRules = Math.max(filterRules, k);
}
const matrixMs: number[] = [];
const matrixCpuMs: number[] = [];
let allowed = 0;
let cells = 0;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const m = computeReachability(model, { port: 80 });
  matrixMs.push(performance.now() - t0);
  const c1 = process.cpuUsage(c0);
  matrixCpuMs.push((c1.user + c1.system) / 1000);
  if (!m.ok) throw new Error(m.error);
  cells = m.matrix.pods.length ** 2;
  allowed = m.matrix.cells.flat().filter((c) => c.allowed).length;
}
const ms = median(matrixMs);
console.log(
  JSON.stringify({
    bench: 'netpol-reach',
    pods: model.pods.length,
    namespaces: NAMESPACES,
    policies: NAMESPACES * 5,
    nodes: NODES,
    diagnostics: errors.length,
    max_filter_rules_per_node: filterRules,
    ms_median_compile: +median(compileMs).toFixed(1),
    flows: cells,
    allowed_cells: allowed,
    ms_median_matrix: +ms.toFixed(0),
    flows_per_s: Math.round(cells / (ms / 1000)),
    // On a shared machine wall time includes waiting for a CPU; process CPU time does not.
    cpu_ms_median_matrix: +median(matrixCpuMs).toFixed(0),
    flows_per_cpu_s: Math.round(cells / (median(matrixCpuMs) / 1000)),
    load_average_1m: +(await import('node:os')).loadavg()[0]!.toFixed(1),
  }),
);
