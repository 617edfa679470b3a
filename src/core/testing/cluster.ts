/**
 * A story-like harness for core tests (STYLE §13):
 *
 *   const c = cluster().nodes(2).cni('flannel', { backend: 'vxlan' }).pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80] }).build();
 *   const f = c.trace('pod/a', 'pod/default/b:80');
 *   expect(stages(f)).toContain('encap');
 *
 * It writes a real scenario YAML and loads it through the public API, so tests exercise the
 * same path as the CLI and the worker. Unlike a bare `kind: Cluster`, the harness leaves the
 * DNS add-on (CoreDNS pods, kube-dns) out unless `.dns()` asks for it, so a test sees only the
 * pods it declares.
 */
import type { ClusterModel } from '../model/types';
import type { Flow } from '../trace/types';
import type { LoadResult } from '../compile/load';
import type { Packet, Ipv4Header } from '../datapath/packet';
import { loadScenario } from '../compile/load';
import { traceFlow } from '../simulate/flow';
import { BUILT_IN_NAMESPACES } from '../scenario/namespace-lifecycle';

export interface PodSpecLite {
  node?: string;
  namespace?: string;
  ports?: number[];
  udpPorts?: number[];
  labels?: Record<string, string>;
  containers?: string[];
  ip?: string;
}

export interface BuiltCluster {
  yaml: string;
  result: LoadResult;
  model: ClusterModel;
  trace(from: string, to: string, opts?: { seed?: number; index?: number; protocol?: 'TCP' | 'UDP' | 'ICMP' }): Flow;
}

export interface ClusterBuilder {
  nodes(n: number | { name: string; ip?: string; subnet?: number }[]): ClusterBuilder;
  cni(plugin: string, opts?: { backend?: string; crossSubnet?: boolean; hairpinMode?: boolean }): ClusterBuilder;
  underlay(type: 'l2' | 'routed' | 'cloud', subnets?: string[]): ClusterBuilder;
  seed(n: number): ClusterBuilder;
  /** Run CoreDNS behind kube-dns (`Cluster.spec.dns`; off by default in the harness). */
  dns(on?: boolean): ClusterBuilder;
  pod(name: string, spec?: PodSpecLite): ClusterBuilder;
  raw(doc: string): ClusterBuilder;
  yaml(): string;
  build(): BuiltCluster;
}

export function cluster(): ClusterBuilder {
  const spec: Record<string, unknown> = { nodes: 2, dns: false };
  const docs: string[] = [];
  const podNamespaces = new Set<string>();
  const b: ClusterBuilder = {
    nodes(n) {
      spec.nodes = n;
      return b;
    },
    cni(plugin, opts = {}) {
      spec.cni = { plugin, ...opts };
      return b;
    },
    underlay(type, subnets) {
      spec.underlay = { type, ...(subnets ? { subnets } : {}) };
      return b;
    },
    seed(n) {
      spec.seed = n;
      return b;
    },
    dns(on = true) {
      spec.dns = on;
      return b;
    },
    pod(name, s = {}) {
      const containers = (s.containers ?? ['c']).map((c, i) => {
        const ports = i === 0 ? [...(s.ports ?? []).map((p) => ({ containerPort: p })), ...(s.udpPorts ?? []).map((p) => ({ containerPort: p, protocol: 'UDP' }))] : [];
        return { name: c, image: 'busybox', ...(ports.length ? { ports } : {}) };
      });
      if (s.namespace) podNamespaces.add(s.namespace);
      const meta = { name, namespace: s.namespace ?? 'default', ...(s.labels ? { labels: s.labels } : {}), ...(s.ip ? { annotations: { 'hopscope.dev/pod-ip': s.ip } } : {}) };
      docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { ...(s.node ? { nodeName: s.node } : {}), containers } }));
      return b;
    },
    raw(doc) {
      docs.push(doc);
      return b;
    },
    yaml() {
      const head = JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'test' }, spec });
      // The API server refuses objects in a namespace nothing creates: a Namespace doc for each
      // one the pods use, last so that the other docs keep their lines.
      const namespaces = [...podNamespaces].filter((ns) => !BUILT_IN_NAMESPACES.includes(ns)).map((ns) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
      return [head, ...docs, ...namespaces].join('\n---\n') + '\n';
    },
    build() {
      const yaml = b.yaml();
      const result = loadScenario(yaml);
      if (!result.model) throw new Error(`scenario did not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
      const model = result.model;
      return {
        yaml,
        result,
        model,
        trace(from, to, opts = {}) {
          const r = traceFlow(model, { from, to, ...(opts.protocol ? { protocol: opts.protocol } : {}) }, { ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.index !== undefined ? { index: opts.index } : {}) });
          if (!r.ok) throw new Error(r.error);
          return r.flow;
        },
      };
    },
  };
  return b;
}

/** The stage names of a walk, in order. */
export function stages(f: { hops: { stage: string }[] }): string[] {
  return f.hops.map((h) => h.stage);
}

/** The innermost IPv4 header of a packet (what the pods see). */
export function innerIp(p: Packet): Ipv4Header {
  for (let i = p.headers.length - 1; i >= 0; i--) if (p.headers[i]!.kind === 'ipv4') return p.headers[i] as Ipv4Header;
  throw new Error('no IPv4 header');
}

/** The packet as it was delivered (the last hop of a walk). */
export function delivered(f: { hops: { packet: Packet }[] }): Packet {
  return f.hops[f.hops.length - 1]!.packet;
}
