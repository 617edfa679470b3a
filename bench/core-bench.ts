/**
 * Core benchmarks (issue 2 targets on the 2-core machine): compile a 100-node, 3,000-pod
 * scenario (< 150 ms), pod-to-pod traces per second on a 3-node scenario (≥ 50,000/s), and
 * the memory of the 3,000-pod model (< 150 MB). Prints JSON lines; figures, not pass/fail.
 * A baseline runs beside each figure in the same process (ANCHORS.md method): the copy floor
 * of the same output with structuredClone.
 */
import { loadScenario } from '../src/core/compile/load';
import { traceFlow } from '../src/core/simulate/flow';

function scenario(nodes: number, pods: number, plugin: string, backend?: string): string {
  const docs = [JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'bench' }, spec: { nodes, cni: { plugin, ...(backend ? { backend } : {}) } } })];
  for (let i = 0; i < pods; i++) docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}` }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } }));
  return docs.join('\n---\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function emit(o: Record<string, unknown>): void {
  console.log(JSON.stringify(o));
}

function benchCompile(): void {
  for (const [plugin, backend] of [['flannel', 'vxlan'], ['calico', 'ipip']] as const) {
    const text = scenario(100, 3000, plugin, backend);
    const parseOnly: number[] = [];
    const total: number[] = [];
    let model = loadScenario(text).model!;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = loadScenario(text);
      total.push(performance.now() - t0);
      model = r.model!;
    }
    const clone: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      structuredClone(model);
      clone.push(performance.now() - t0);
    }
    emit({ bench: 'compile', plugin: `${plugin}/${backend}`, nodes: 100, pods: 3000, ms_median_parse_and_compile: +median(total).toFixed(1), baseline_structuredClone_ms: +median(clone).toFixed(1), target_ms: 150, note: parseOnly.length ? undefined : 'includes YAML parsing of 3,101 documents' });
  }
}

function benchMemory(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return emit({ bench: 'memory', skipped: 'run node with --expose-gc' });
  const text = scenario(100, 3000, 'flannel', 'vxlan');
  gc();
  const before = process.memoryUsage().heapUsed;
  const r = loadScenario(text);
  gc();
  const after = process.memoryUsage().heapUsed;
  emit({ bench: 'memory', nodes: 100, pods: 3000, model_heap_mb: +((after - before) / 1048576).toFixed(1), target_mb: 150, netns: r.model!.netns.size });
}

function benchTraces(): void {
  for (const [plugin, backend] of [['flannel', 'vxlan'], ['calico', 'ipip'], ['bridge', undefined]] as const) {
    const model = loadScenario(scenario(3, 30, plugin, backend)).model!;
    const pods = model.pods;
    const pairs = pods.map((a, i) => [`pod/default/${a.name}`, `pod/default/${pods[(i * 7 + 3) % pods.length]!.name}:80`] as const);
    // Warm up (ARP tables fill, JIT).
    for (let i = 0; i < 2000; i++) traceFlow(model, { from: pairs[i % pairs.length]![0], to: pairs[i % pairs.length]![1] }, { index: i });
    const n = 20000;
    let hops = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = traceFlow(model, { from: pairs[i % pairs.length]![0], to: pairs[i % pairs.length]![1] }, { index: i });
      if (r.ok) hops += r.flow.hops.length + (r.flow.reply?.hops.length ?? 0);
    }
    const ms = performance.now() - t0;
    emit({ bench: 'traces', plugin: `${plugin}${backend ? `/${backend}` : ''}`, nodes: 3, flows: n, flows_per_s: Math.round((n / ms) * 1000), hops_per_flow: +(hops / n).toFixed(1), target_flows_per_s: 50000, note: 'a flow is the request and its reply, each fully traced' });
  }
}

benchCompile();
benchMemory();
benchTraces();
