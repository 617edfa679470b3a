/**
 * Hairpin: a pod connecting to its own Service's ClusterIP, with itself as the endpoint, under
 * every CNI configuration this kernel can run (kube-proxy iptables mode; IPVS and IPIP cannot be
 * exported here, see corpus.ts). The simulator's trace against the Linux kernel running the
 * exported scenario: delivered or lost alike; the peer address the server saw (the SNAT to the
 * bridge's gateway address or the node's); whether the node still holds a connection to the
 * ClusterIP afterwards; and, where the simulator drops the packet by an iptables rule that
 * counts into an nfacct object, that the kernel's counter moved too (the same rule dropped it).
 *
 * Besides the plugins' own settings (and `cni.hairpinMode: false` for bridge and flannel), two
 * variants change one device attribute in the model before exporting it, so that the flag alone
 * decides: kubenet's cbr0 with promiscuous mode off, flannel's cni0 with it on.
 *
 * Safety: namespaces are named `hkhp-<pid>-s<n>-…`, removed in a `finally` and once more after
 * all (and a killed run's leftovers at the next start). Needs root and ip netns; skips otherwise.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterModel } from '../../src/core/model/types';
import type { Flow } from '../../src/core/trace/types';
import { loadScenario } from '../../src/core/compile/load';
import { traceFlow } from '../../src/core/simulate/flow';
import { exportNetnsScript, netnsNameFor } from '../../src/core/export/index';
import { missingCapabilities, namespacesWithPrefix, readConntrack, removeNamespaces, removeStaleTagged, runClient, runScript } from './host';

const RUN_PREFIX = `hkhp-${process.pid.toString(36)}-`;
const missing = missingCapabilities();

interface Case {
  name: string;
  cni: Record<string, unknown>;
  /** A change to one device attribute of the compiled model, made before tracing and exporting. */
  tweak?: (m: ClusterModel) => void;
  /** The rule the simulator must drop the packet by (the path the case is about). */
  dropRule?: RegExp;
}

const CASES: Case[] = [
  { name: 'bridge (hairpinMode true)', cni: { plugin: 'bridge' } },
  { name: 'bridge with hairpinMode false', cni: { plugin: 'bridge', hairpinMode: false } },
  // The copy a promiscuous cbr0 passes up has lost its conntrack entry (Linux 6.9+), so it is INVALID.
  { name: 'kubenet (cbr0 promiscuous, hairpin off)', cni: { plugin: 'kubenet' }, dropRule: /-A KUBE-FORWARD -m conntrack --ctstate INVALID .*-j DROP/ },
  {
    name: 'kubenet with cbr0 not promiscuous',
    cni: { plugin: 'kubenet' },
    tweak: (m) => {
      m.netns.get('node-1')!.devices.find((d) => d.name === 'cbr0')!.promisc = false;
    },
  },
  { name: 'flannel vxlan (bridge delegate, hairpinMode true)', cni: { plugin: 'flannel', backend: 'vxlan' } },
  { name: 'flannel vxlan with hairpinMode false', cni: { plugin: 'flannel', backend: 'vxlan', hairpinMode: false } },
  {
    name: 'flannel vxlan with cni0 made promiscuous (hairpinMode false)',
    cni: { plugin: 'flannel', backend: 'vxlan', hairpinMode: false },
    tweak: (m) => {
      m.netns.get('node-1')!.devices.find((d) => d.name === 'cni0')!.promisc = true;
    },
  },
  { name: 'flannel host-gw', cni: { plugin: 'flannel', backend: 'host-gw' } },
  { name: 'calico bgp (no bridge: routed back out of the cali veth)', cni: { plugin: 'calico', backend: 'bgp' } },
  { name: 'calico vxlan', cni: { plugin: 'calico', backend: 'vxlan' } },
];

function scenario(cni: Record<string, unknown>): string {
  return [
    { apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'hairpin' }, spec: { nodes: 2, cni } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 8080 }] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
  ]
    .map((d) => JSON.stringify(d))
    .join('\n---\n');
}

/** The source address the delivered packet carries (what the server sees as its peer). */
function deliveredSrc(f: Flow): string | undefined {
  if (f.verdict !== 'delivered') return undefined;
  let ip: string | undefined;
  for (const h of f.hops[f.hops.length - 1]!.packet.headers) if (h.kind === 'ipv4') ip = h.src;
  return ip;
}

/** The nfacct counter of the iptables rule that dropped the packet, with its namespace. */
function droppingCounter(f: Flow): { netns: string; name: string } | undefined {
  const h = f.hops.find((x) => x.stage.startsWith('netfilter:') && x.rule?.text.includes('-j DROP') && /--nfacct-name/.test(x.rule.text));
  const m = h && /--nfacct-name\s+(\S+)/.exec(h.rule!.text);
  return h && m ? { netns: h.netns, name: m[1]! } : undefined;
}

function nfacctPackets(netns: string, name: string): number {
  const out = execFileSync('ip', ['netns', 'exec', netns, 'nfacct', 'get', name], { encoding: 'utf8', timeout: 5000 });
  const m = /pkts = (\d+)/.exec(out);
  return m ? Number(m[1]) : 0;
}

describe('hairpin: a pod reaching itself through its own ClusterIP, simulator against the kernel', () => {
  if (missing.length) {
    it(`needs ${missing.join(', ')} (root on Linux with ip netns)`, (ctx) => ctx.skip());
    return;
  }

  CASES.forEach((c, i) => {
    it(
      c.name,
      () => {
        removeStaleTagged('hkhp');
        const prefix = `${RUN_PREFIX}s${i}-`;
        const loaded = loadScenario(scenario(c.cni));
        if (!loaded.model) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
        const model = loaded.model;
        c.tweak?.(model);
        const vip = model.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;
        const r = traceFlow(model, { from: 'pod/web', to: `${vip}:80`, protocol: 'TCP' }, { index: 0 });
        if (!r.ok) throw new Error(r.error);
        const f = r.flow;
        // Confirmed entries only: an unconfirmed one belongs to a packet that never left (`conntrack -L` lists none).
        const simNodeConns = [...(model.netns.get('node-1')!.conntrack?.entries.values() ?? [])].filter((e) => e.confirmed && e.orig.dst === vip).length;
        const counter = droppingCounter(f);
        if (c.dropRule) expect(f.hops.find((h) => h.stage === 'netfilter:filter/FORWARD')?.rule?.text).toMatch(c.dropRule);
        const build = exportNetnsScript(model, { prefix });
        if (!build.ok) throw new Error(build.error);
        const dir = mkdtempSync(join(tmpdir(), 'hopscope-hairpin-'));
        const env = { HOPSCOPE_RUN: join(dir, 'run'), HOPSCOPE_NODE: process.execPath };
        try {
          runScript(build.script, env);
          const node = netnsNameFor(model.netns.get('node-1')!, prefix);
          const pod = netnsNameFor(model.netns.get(f.hops[0]!.netns)!, prefix);
          const counterNs = counter ? netnsNameFor(model.netns.get(counter.netns)!, prefix) : undefined;
          const before = counter ? nfacctPackets(counterNs!, counter.name) : 0;
          const [got] = runClient(pod, { protocol: 'tcp', ip: vip, port: 80, timeoutMs: 2500 });
          const kernel = {
            outcome: got!.outcome === 'delivered' ? 'delivered' : 'lost',
            peer: got!.peer?.ip,
            nodeConns: readConntrack(node).filter((e) => e.orig.dst === vip).length,
            dropCounted: counter ? nfacctPackets(counterNs!, counter.name) > before : undefined,
          };
          const sim = { outcome: f.verdict === 'delivered' ? 'delivered' : 'lost', peer: deliveredSrc(f), nodeConns: simNodeConns, dropCounted: counter ? true : undefined };
          expect({ case: c.name, ...kernel }).toEqual({ case: c.name, ...sim });
        } finally {
          removeNamespaces(prefix);
          rmSync(dir, { recursive: true, force: true });
        }
        expect(namespacesWithPrefix(prefix)).toEqual([]);
      },
      60_000,
    );
  });

  afterAll(() => removeNamespaces(RUN_PREFIX));
});
