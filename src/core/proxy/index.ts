/**
 * kube-proxy: one interface (`./mode.ts`), one mode per file, found through this registry.
 *
 * Contract:
 * - `getProxyMode(name)` returns the mode that programs nodes for `name`. Modes not modelled yet
 *   fall back to iptables and say so (an `info` diagnostic from `programKubeProxy`).
 * - `programKubeProxy(model, setup, report)` remembers the setup in the model and runs a full
 *   sync on every node; `resyncKubeProxy(model)` runs it again after Services, EndpointSlices or
 *   nodes changed (faults), as kube-proxy's informers trigger a sync. Nodes that are down are
 *   skipped: their kube-proxy is not running.
 * - Pure and total: no I/O, no clock, never throws.
 *
 * May import: k8s types, model, netfilter, proxy/iptables. Read first: cmd/kube-proxy/app.
 */
import type { KubeProxyConfiguration, Node } from '../k8s/types';
import type { ClusterModel } from '../model/types';
import type { Severity } from '../scenario/types';
import type { ProxyContext, ProxyMode, ProxyModeName } from './mode';
import { iptablesMode } from './iptables-mode';
import { ipvsMode } from './ipvs';
import { userspaceMode } from './userspace';
import { nftablesMode } from './nftables';

export type { ProxyContext, ProxyMode, ProxyModeName } from './mode';

/**
 * Every mode name the scenario accepts; `null` marks a slot not modelled yet (iptables stands in).
 * WARNING: fill a slot here when a mode lands (ipvs.ts, nftables.ts, userspace.ts).
 */
const MODES: Record<ProxyModeName, ProxyMode | null> = {
  iptables: iptablesMode,
  ipvs: ipvsMode,
  nftables: nftablesMode,
  userspace: userspaceMode,
};

/** The mode for `name`, and whether it is a stand-in because `name` is not modelled yet. */
export function getProxyMode(name: ProxyModeName): { mode: ProxyMode; fallback: boolean } {
  const mode = MODES[name];
  return mode ? { mode, fallback: false } : { mode: iptablesMode, fallback: true };
}

/** How kube-proxy runs in this cluster, kept in the model for re-syncs. */
export interface KubeProxySetup {
  mode: ProxyModeName;
  config: KubeProxyConfiguration | undefined;
  /** Node objects of the scenario by name (host facts). */
  nodeObjects: Record<string, Node>;
}

const STATE_KEY = 'kube-proxy';

type Report = (severity: Severity, message: string, code: string) => void;

function syncAll(model: ClusterModel, setup: KubeProxySetup, report: Report): void {
  const { mode } = getProxyMode(setup.mode);
  const ctx: ProxyContext = { model, config: setup.config, nodeObject: (n) => setup.nodeObjects[n], report };
  for (const node of model.nodes) {
    if (!node.ready) continue;
    const ns = model.netns.get(node.netns);
    if (ns) mode.programNode(ctx, node, ns, model.services, model.endpointSlices);
  }
}

/** Runs kube-proxy on every node for the model's Services and EndpointSlices. */
export function programKubeProxy(model: ClusterModel, setup: KubeProxySetup, report: Report): void {
  model.pluginState.set(STATE_KEY, setup);
  model.proxyMode = setup.mode;
  if (getProxyMode(setup.mode).fallback) report('info', `kube-proxy mode ${setup.mode} is not modelled yet; using iptables`, 'proxy-mode-fallback');
  syncAll(model, setup, report);
}

/** A full sync on every running node after a change; a no-op if kube-proxy never ran. */
export function resyncKubeProxy(model: ClusterModel, report: Report = () => {}): void {
  const setup = model.pluginState.get(STATE_KEY) as KubeProxySetup | undefined;
  if (setup) syncAll(model, setup, report);
}
