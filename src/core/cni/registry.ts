/** The network plugins by name: adding a plugin is adding a file and a line here. */
import type { CniPluginName } from '../scenario/types';
import type { NetworkPlugin } from './types';
import { bridgePlugin } from './bridge-plugin';
import { kubenetPlugin } from './kubenet';
import { flannelPlugin } from './flannel';
import { calicoPlugin } from './calico';

const PLUGINS: Record<CniPluginName, NetworkPlugin> = {
  bridge: bridgePlugin,
  kubenet: kubenetPlugin,
  flannel: flannelPlugin,
  calico: calicoPlugin,
};

export function getNetworkPlugin(name: CniPluginName): NetworkPlugin {
  return PLUGINS[name];
}
