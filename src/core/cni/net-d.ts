/**
 * What a node's /etc/cni/net.d holds: the one network configuration file the plugin's installer
 * writes there (kube-flannel's install-cni copies `10-flannel.conflist`, calico-node's writes
 * `10-calico.conflist`), which containerd loads for every pod's eth0 ADD (spec/cni.md §1, §9).
 * kubenet has none: the kubelet built its configuration in memory.
 */
import type { ClusterModel, ModelNode } from '../model/types';
import type { CniContext, NetworkPlugin } from './types';

/** One file of /etc/cni/net.d: its name and the JSON it holds. */
export interface NetConfFile {
  name: string;
  conf: Record<string, unknown>;
}

const key = (node: string) => `cni:net.d:${node}`;

/** The installer writes the plugin's conflist on `node` (when the plugin has a file). */
export function installNetConf(ctx: CniContext, plugin: NetworkPlugin, node: ModelNode): void {
  if (plugin.confFile) ctx.model.pluginState.set(key(node.name), { name: plugin.confFile, conf: plugin.netConf(ctx, node) } satisfies NetConfFile);
}

/** The files of /etc/cni/net.d on `node`, sorted as `ls` and containerd see them. */
export function netConfFiles(model: ClusterModel, node: string): NetConfFile[] {
  const f = model.pluginState.get(key(node)) as NetConfFile | undefined;
  return f ? [f] : [];
}

/** A file's text as the installers write it: the JSON indented by two spaces. */
export function renderNetConf(f: NetConfFile): string {
  return `${JSON.stringify(f.conf, null, 2)}\n`;
}
