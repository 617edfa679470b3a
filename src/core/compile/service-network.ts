/**
 * The service network of a compiled cluster, in the order the control plane builds it: the API
 * server stores Services (defaults, ClusterIPs, NodePorts), the cloud controller gives
 * LoadBalancers an address, the EndpointSlice controller turns selectors and pod readiness into
 * slices, and kube-proxy programs every node. `resyncServiceNetwork` repeats the last two after
 * pods or nodes changed (Traffic faults), as the control loops react to watch events.
 */
import type { Endpoints, EndpointSlice, Node, Service } from '../k8s/types';
import type { ClusterModel } from '../model/types';
import type { Scenario } from '../scenario/types';
import type { ResolvedCluster } from './resolved';
import type { ServiceReport, StoredService } from '../controllers/services';
import { APISERVER_PORT, EXCLUDE_FROM_LB, storeServices } from '../controllers/services';
import { kubernetesEndpointSlice, reconcileEndpointSlices } from '../controllers/endpoint-slices';
import { mirrorEndpoints, notMirroredReason, WRITTEN_ENDPOINTS_KEY } from '../controllers/endpoint-slice-mirroring';
import { programKubeProxy, resyncKubeProxy } from '../proxy/index';
import { buildCloudLoadBalancers, resyncCloudLoadBalancers } from './cloud-lb';

const STATE_KEY = 'service-network';

/** What the controllers need to reconcile again after a fault (plain data, no positions). */
interface ServiceNetworkState {
  seed: number;
  services: Service[];
  given: EndpointSlice[];
  /** The apiserver's own slice (default/kubernetes), when the cluster has one. */
  apiserverSlice: EndpointSlice | null;
}

/** Builds Services, EndpointSlices and kube-proxy's rules for a compiled model. */
export function buildServiceNetwork(model: ClusterModel, scenario: Scenario, cluster: ResolvedCluster, report: ServiceReport): void {
  const allocate = scenario.cluster !== null;
  const lbNodes = model.nodes.filter((n) => n.labels[EXCLUDE_FROM_LB] === undefined).map((n) => n.name);
  const stored = storeServices(scenario.services, { seed: cluster.seed, serviceCIDR: cluster.serviceCIDR, allocate, lbNodes }, report);
  const first = model.nodes[0];
  let apiserverSlice: EndpointSlice | null = null;
  if (allocate && first && stored.some((s) => s.source === null)) {
    apiserverSlice = kubernetesEndpointSlice(first.name, first.ip, APISERVER_PORT);
    model.netns.get(first.netns)?.sockets.push({ protocol: 'tcp', port: APISERVER_PORT, owner: 'kube-apiserver' });
  }
  model.services = stored.map((s) => s.service);
  // Hand-written v1 Endpoints reach kube-proxy only as the mirroring controller's slices.
  const located = scenario.others.filter((o) => o.value.kind === 'Endpoints');
  for (const o of located) {
    const why = notMirroredReason(o.value as unknown as Endpoints, model.services);
    if (why) report('warning', why, 'endpoints-not-mirrored', o.pos);
  }
  const endpoints = located.map((o) => o.value as unknown as Endpoints);
  if (endpoints.length) model.pluginState.set(WRITTEN_ENDPOINTS_KEY, endpoints);
  const mirrored = mirrorEndpoints(cluster.seed, endpoints, model.services).map((value) => ({ value, pos: { line: 1, col: 1, offset: 0, end: 0 }, fieldPos: () => ({ line: 1, col: 1, offset: 0, end: 0 }) }));
  const given = [...scenario.endpointSlices, ...mirrored];
  const slices = reconcileEndpointSlices(cluster.seed, stored, model.pods, given, report, model.pendingPods);
  model.endpointSlices = apiserverSlice ? [apiserverSlice, ...slices] : slices;
  const state: ServiceNetworkState = { seed: cluster.seed, services: model.services, given: given.map((g) => g.value), apiserverSlice };
  model.pluginState.set(STATE_KEY, state);

  const cfg = scenario.kubeProxyConfig;
  const pos = cfg?.pos ?? scenario.cluster?.pos ?? { line: 1, col: 1, offset: 0, end: 0 };
  const config = cfg ? { ...cfg.value } : allocate ? { kind: 'KubeProxyConfiguration' as const } : undefined;
  // kubeadm writes the cluster's pod CIDR into kube-proxy's configuration.
  if (config && allocate && config.clusterCIDR === undefined) config.clusterCIDR = cluster.podCIDR.text;
  // The Cluster's kubeProxy.ipvsScheduler stands in for the configuration's ipvs.scheduler.
  if (config && allocate && !config.ipvs?.scheduler) config.ipvs = { ...config.ipvs, scheduler: cluster.kubeProxy.ipvsScheduler };
  const nodeObjects: Record<string, Node> = {};
  for (const n of scenario.nodes) if (n.value.metadata?.name) nodeObjects[n.value.metadata.name] = n.value;
  const mode = cfg?.value.mode || cluster.kubeProxy.mode;
  programKubeProxy(model, { mode, config, nodeObjects }, (severity, message, code) => report(severity, message, code, pos));
  if (allocate) buildCloudLoadBalancers(model, cluster);
}

/** Pods or nodes changed: the EndpointSlice controller reconciles, then kube-proxy re-syncs. */
export function resyncServiceNetwork(model: ClusterModel): void {
  const state = model.pluginState.get(STATE_KEY) as ServiceNetworkState | undefined;
  if (!state) return;
  const stored: StoredService[] = state.services.map((service) => ({ service, source: null }));
  const given = state.given.map((value) => ({ value, pos: { line: 1, col: 1, offset: 0, end: 0 }, fieldPos: () => ({ line: 1, col: 1, offset: 0, end: 0 }) }));
  const slices = reconcileEndpointSlices(state.seed, stored, model.pods, given, () => {});
  model.endpointSlices = state.apiserverSlice ? [state.apiserverSlice, ...slices] : slices;
  resyncKubeProxy(model);
  resyncCloudLoadBalancers(model);
}
