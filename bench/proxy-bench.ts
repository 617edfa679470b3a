/**
 * kube-proxy benchmarks (issue 3): the iptables-save rendering of 10,000 Services × 10 endpoints
 * (target < 1 s on the rendering itself; kube-proxy's full sync text and iptables-restore into the
 * model are timed and reported beside it), and simulated packets per second through a 1,000-Service cluster in iptables,
 * IPVS and nftables mode, with the mean number of rules evaluated per packet in each — the
 * figure that shows why iptables is O(n) (KUBE-SERVICES is walked top-down until the VIP's rule)
 * while IPVS (one hash lookup; the few iptables rules it keeps match ipsets) and nftables (a
 * verdict-map lookup: `ip daddr . meta l4proto . th dport vmap @service-ips`) are O(1). For
 * nftables the set/map elements looked up per packet are counted too. Prints JSON lines.
 */
import type { EndpointSlice, Service } from '../src/core/k8s/types';
import type { Flow } from '../src/core/trace/types';
import { loadScenario } from '../src/core/compile/load';
import { traceFlow } from '../src/core/simulate/flow';
import { syncIptablesRules, kubeProxyOptionsFrom } from '../src/core/proxy/iptables/index';
import { createNetfilter } from '../src/core/netfilter/state';
import { restore } from '../src/core/netfilter/restore';
import { renderIptablesSave } from '../src/core/render/iptables-save';
import { baselineMs, emit, median } from './util';

function endpointIp(idx: number): string {
  return `10.${128 + (idx >> 16)}.${(idx >> 8) & 255}.${idx & 255}`;
}

/** `n` ClusterIP Services with `k` endpoints each, spread over 3 nodes, as the apiserver stores them. */
function objects(n: number, k: number): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
    services.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc${i}`, namespace: 'bench' }, spec: { clusterIP: ip, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    const endpoints = Array.from({ length: k }, (_, j) => ({ addresses: [endpointIp(i * k + j)], conditions: { ready: true }, nodeName: `node-${(j % 3) + 1}` }));
    slices.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `svc${i}-abcde`, namespace: 'bench', labels: { 'kubernetes.io/service-name': `svc${i}` } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints });
  }
  return { services, slices };
}

/** CPU time (user + system, all threads: GC helpers included) in ms since `from`. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function benchIptablesSave(): void {
  const n = 10000;
  const k = 10;
  const { services, slices } = objects(n, k);
  const config = kubeProxyOptionsFrom({ kind: 'KubeProxyConfiguration', clusterCIDR: '10.244.0.0/16' });
  const gen: number[] = [];
  const load: number[] = [];
  const save: number[] = [];
  // CPU time beside wall time: the machine is shared, and CPU time moves less with its load.
  const genCpu: number[] = [];
  const loadCpu: number[] = [];
  const saveCpu: number[] = [];
  let lines = 0;
  let firstSync = 0;
  for (let run = 0; run < 3; run++) {
    let t = performance.now();
    let c = process.cpuUsage();
    const text = syncIptablesRules({ nodeName: 'node-1', nodeIPs: ['192.168.0.11'], localAddresses: ['127.0.0.1', '192.168.0.11'], services, endpointSlices: slices, config });
    gen.push(performance.now() - t);
    genCpu.push(cpuMs(c));
    // Later syncs reuse the chain-name hashes of the first (as a long-running kube-proxy would).
    if (run === 0) firstSync = gen[0]!;
    const nf = createNetfilter();
    t = performance.now();
    c = process.cpuUsage();
    const r = restore(nf, text, { noflush: true });
    load.push(performance.now() - t);
    loadCpu.push(cpuMs(c));
    if (!r.ok) return emit({ bench: 'iptables-save', error: `restore failed at line ${r.line}: ${r.error}` });
    t = performance.now();
    c = process.cpuUsage();
    const out = renderIptablesSave(nf, { tables: ['nat', 'filter'] });
    save.push(performance.now() - t);
    saveCpu.push(cpuMs(c));
    lines = out.split('\n').length;
  }
  const total = median(gen) + median(load) + median(save);
  emit({ bench: 'iptables-save', services: n, endpoints_per_service: k, rules_lines: lines, ms_total: +total.toFixed(0), target_ms_render: 1000, target_note: 'issue 3 sets the 1 s target on rendering iptables-save (ms_render: the model\'s ruleset printed as iptables-save prints it); ms_total adds kube-proxy\'s sync text (ms_sync_text) and iptables-restore into the model (ms_restore), reported beside it', ms_sync_text: +median(gen).toFixed(0), ms_sync_text_first_run: +firstSync.toFixed(0), ms_restore: +median(load).toFixed(0), ms_render: +median(save).toFixed(0), cpu_ms_sync_text: +median(genCpu).toFixed(0), cpu_ms_restore: +median(loadCpu).toFixed(0), cpu_ms_render: +median(saveCpu).toFixed(0), us_restore_per_line: +((median(load) * 1000) / lines).toFixed(2), baseline_fixed_loop_ms: +baselineMs().toFixed(1) });
}

/** A 3-node cluster with 1,000 ClusterIP Services in front of 6 web pods, in `mode`. */
function serviceScenario(mode: 'iptables' | 'ipvs' | 'nftables', n: number): string {
  const docs = [JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'bench' }, spec: { nodes: 3, cni: { plugin: 'bridge' }, kubeProxy: { mode }, dns: false } })];
  docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'alpine' }] } }));
  for (let i = 0; i < 6; i++) docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web${i}`, labels: { app: 'web' } }, spec: { nodeName: `node-${(i % 3) + 1}`, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 8080 }] }] } }));
  for (let i = 0; i < n; i++) docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc${i}` }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }));
  return docs.join('\n---\n');
}

/** Rules evaluated by netfilter/nftables (and IPVS lookups) for one packet: the request's walk. */
function rulesEvaluated(f: Flow): { all: number; dnatHook: number; elements: number } {
  let all = 0;
  let dnatHook = 0;
  let elements = 0;
  for (const h of f.hops) {
    const kind = h.rule?.kind;
    const n = kind === 'iptables' || kind === 'ipvs' || kind === 'nft' ? (h.rule!.evaluated?.length ?? 0) : 0;
    all += n;
    elements += h.rule?.evaluated?.filter((e) => e.element !== undefined).length ?? 0;
    if (h.changed?.includes('ipv4.dst')) dnatHook = n;
  }
  return { all, dnatHook, elements };
}

function benchProxyModes(): void {
  const n = 1000;
  for (const mode of ['iptables', 'ipvs', 'nftables'] as const) {
    const model = loadScenario(serviceScenario(mode, n)).model!;
    const vips = model.services.filter((s) => s.metadata.name?.startsWith('svc')).map((s) => `${s.spec.clusterIP}:80`);
    const flows = 4000;
    for (let i = 0; i < 500; i++) traceFlow(model, { from: 'pod/client', to: vips[(i * 7919) % vips.length]! }, { index: i });
    let all = 0;
    let dnat = 0;
    let elements = 0;
    let delivered = 0;
    const t0 = performance.now();
    for (let i = 0; i < flows; i++) {
      const r = traceFlow(model, { from: 'pod/client', to: vips[(i * 7919) % vips.length]! }, { index: 1000 + i });
      if (!r.ok) continue;
      if (r.flow.verdict === 'delivered') delivered++;
      const e = rulesEvaluated(r.flow);
      all += e.all;
      dnat += e.dnatHook;
      elements += e.elements;
    }
    const ms = performance.now() - t0;
    emit({ bench: 'proxy-mode', mode, services: n, flows, delivered, flows_per_s: Math.round((flows / ms) * 1000), packets_per_s: Math.round(((2 * flows) / ms) * 1000), target_note: mode === 'iptables' ? 'ANCHORS §1.5: a bare linear walk over 1,000 rules costs ~0.6 µs per packet (~0.6 ns per rule); ours also matches, counts and records every rule walked and traces every hop, so compare us_per_rule_all_in' : mode === 'ipvs' ? 'O(1): one IPVS lookup' : 'O(1): verdict-map lookups', us_per_rule_all_in: +((ms * 1000) / Math.max(1, all)).toFixed(2), baseline_fixed_loop_ms: +baselineMs().toFixed(1), mean_rules_evaluated_per_packet: +(all / flows).toFixed(1), mean_rules_in_the_dnat_decision: +(dnat / flows).toFixed(1), ...(mode === 'nftables' ? { mean_set_elements_looked_up_per_packet: +(elements / flows).toFixed(1) } : {}), note: 'a flow = request packet + reply packet walked through the model; rules counted on the request packet (iptables/nft rules in every hook, plus one IPVS lookup)' });
  }
}

benchIptablesSave();
benchProxyModes();
