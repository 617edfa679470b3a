/**
 * `ip -d link show DEV`, `ip -d addr show DEV` and their `-br` forms: the kernel's text against Hopscope's, device
 * by device. Each scenario is built in fresh namespaces with `exportNetnsScript` (the model's
 * names, MACs, MTUs, VNIs, ports, bridge ports and hairpin mode); then for every loopback, veth,
 * bridge and vxlan device of every node and pod namespace the two outputs must be equal after
 * normalising only what differs per boot or per moment: ifindexes (`5:`, `@if7`), the bridge's
 * gc_timer and a new port's forward_delay_timer (countdowns), the namespace names the export gives (`<prefix>node-1` for
 * `cni-…`), and `noprefixroute`, which the export adds to every address.
 *
 * A pod's `ip` runs with /var/run/netns hidden, as on a real node, whose root namespace has no
 * name: its veth then shows `link-netnsid 0` rather than the exported node namespace's name.
 *
 * Matched on iproute2 6.1.0 (`ip -V`) and Linux 6.18.44 (`uname -r`); other versions print
 * other fields, so the suite skips elsewhere. Not checked here: the node NIC (the export makes
 * it a veth), `dummy` and `ipip` (this kernel has neither driver).
 *
 * Safety: namespaces are named `hkbd-<pid>-s<n>-…`, removed in a `finally` and once more after all
 * (and a killed run's leftovers at the next start).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterModel, Netns } from '../../src/core/model/types';
import { loadScenario } from '../../src/core/compile/load';
import { exportNetnsScript, netnsNameFor } from '../../src/core/export/index';
import { renderIpAddr, renderIpLink } from '../../src/core/render/ip-addr';
import { namespacesWithPrefix, outputsSkipReason, removeNamespaces, removeStaleTagged, runScript } from './host';

const KINDS = new Set(['loopback', 'veth', 'bridge', 'vxlan']);

/** The outputs compared: `-d` (details) and `-br` (one line a device), of `ip link` and `ip addr`. */
interface View {
  opt: '-d' | '-br';
  obj: 'link' | 'addr';
}
const VIEWS: View[] = [
  { opt: '-d', obj: 'link' },
  { opt: '-d', obj: 'addr' },
  { opt: '-br', obj: 'link' },
  { opt: '-br', obj: 'addr' },
];
// Not `hk<id>s<n>-`: the conformance suite removes such namespaces when <id> is no live pid.
const RUN_PREFIX = `hkbd-${process.pid.toString(36)}-`;

const skip = outputsSkipReason('details');

const SCENARIOS: { name: string; cni: string }[] = [
  { name: 'flannel vxlan', cni: '{plugin: flannel, backend: vxlan}' },
  { name: 'calico vxlan', cni: '{plugin: calico, backend: vxlan}' },
  { name: 'bridge', cni: '{plugin: bridge}' },
  { name: 'kubenet', cni: '{plugin: kubenet}' },
];

function yaml(cni: string): string {
  return `apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: d}\nspec:\n  nodes: 2\n  cni: ${cni}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  nodeName: node-1\n  containers: [{name: web, image: nginx}]\n`;
}

/** The block (with `-br`, the line) of `dev` in a rendering of all devices. */
function pick(text: string, dev: string, brief: boolean): string {
  const name = dev.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (brief)
    return text
      .split(/(?<=\n)/)
      .filter((l) => new RegExp(`^${name}[@ ]`).test(l))
      .join('');
  const head = new RegExp(`^\\d+: ${name}[@:]`);
  return text
    .split(/(?=^\d+: )/m)
    .filter((b) => head.test(b))
    .join('');
}

/** `ip OPT OBJ show dev DEV` in the kernel; in a pod, with the namespace names hidden as on a real node. */
function kernelShow(ns: Netns, name: string, view: View, dev: string): string {
  const show = `ip ${view.opt} ${view.obj} show dev ${dev}`;
  const cmd = ns.kind === 'pod' ? `mount -t tmpfs hide /var/run/netns && ${show}` : show;
  return execFileSync('ip', ['netns', 'exec', name, 'sh', '-c', cmd], { encoding: 'utf8', timeout: 5000 });
}

function normalise(text: string, names: Map<string, string>): string {
  let t = text
    .replace(/^\d+: /gm, 'N: ')
    .replace(/@if\d+([: ])/g, '@ifN$1')
    .replace(/gc_timer +\d+\.\d+ /g, 'gc_timer T ')
    // A port's forward_delay_timer runs 15 s from the moment it came up, then stays at 0.00
    // (Hopscope's steady state); the build finished only seconds ago.
    .replace(/forward_delay_timer +\d+\.\d+ /g, 'forward_delay_timer T ')
    .replace(/ noprefixroute/g, '');
  for (const [real, model] of names) t = t.replaceAll(`link-netns ${real} `, `link-netns ${model} `);
  return t;
}

function compare(model: ClusterModel, prefix: string): { checked: number; diffs: string[] } {
  const names = new Map([...model.netns.values()].map((n) => [netnsNameFor(n, prefix), n.name]));
  const diffs: string[] = [];
  let checked = 0;
  for (const ns of model.netns.values()) {
    if (ns.kind !== 'node' && ns.kind !== 'pod') continue;
    const real = netnsNameFor(ns, prefix);
    const sim = (v: View) => {
      const opts = v.opt === '-d' ? { details: true } : { brief: true };
      return v.obj === 'link' ? renderIpLink(model, ns, opts) : renderIpAddr(model, ns, opts);
    };
    for (const d of ns.devices) {
      if (!KINDS.has(d.kind)) continue;
      for (const v of VIEWS) {
        const want = normalise(kernelShow(ns, real, v, d.name), names);
        const got = normalise(pick(sim(v), d.name, v.opt === '-br'), names);
        checked++;
        if (got !== want) diffs.push(`${ns.name} ${d.name} (ip ${v.opt} ${v.obj}):\n  kernel:   ${JSON.stringify(want)}\n  hopscope: ${JSON.stringify(got)}`);
      }
    }
  }
  return { checked, diffs };
}

afterAll(() => {
  if (!skip) removeNamespaces(RUN_PREFIX);
});

describe.skipIf(skip !== undefined)(`ip -d link/addr against the kernel${skip ? ` (skipped: ${skip})` : ''}`, () => {
  SCENARIOS.forEach((sc, i) => {
    it(
      sc.name,
      () => {
        if (i === 0) removeStaleTagged('hkbd');
        const prefix = `${RUN_PREFIX}s${i}-`;
        const loaded = loadScenario(yaml(sc.cni));
        if (!loaded.model) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
        const build = exportNetnsScript(loaded.model, { prefix });
        if (!build.ok) throw new Error(build.error);
        const dir = mkdtempSync(join(tmpdir(), 'hopscope-iplink-'));
        try {
          runScript(build.script, { HOPSCOPE_RUN: join(dir, 'run'), HOPSCOPE_NODE: process.execPath });
          const { checked, diffs } = compare(loaded.model, prefix);
          expect(checked).toBeGreaterThan(10);
          expect(diffs.join('\n')).toBe('');
        } finally {
          removeNamespaces(prefix);
          rmSync(dir, { recursive: true, force: true });
        }
        expect(namespacesWithPrefix(prefix)).toEqual([]);
      },
      120_000,
    );
  });
});
