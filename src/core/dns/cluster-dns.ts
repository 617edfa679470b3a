/**
 * DNS in a compiled model: what the kubelet on each node knows (clusterDNS, cluster domain,
 * the node's own resolv.conf), each pod's DNS settings, and the zones CoreDNS and the upstream
 * resolver answer from. Kept in `model.pluginState` under `dns` (plain data, like the service
 * network's state), so faults that change Services or endpoints are seen by the next lookup:
 * the cluster zone is rebuilt whenever the Services, EndpointSlices or pods arrays change.
 */
import type { ClusterModel, ModelPod } from '../model/types';
import type { PodSpec } from '../k8s/types';
import type { Located, Scenario, Severity, SourcePos } from '../scenario/types';
import type { ResolvedCluster } from '../compile/resolved';
import type { KubeletDns, PodDnsSpec, PodResolvConf, ResolvConf } from './resolv-conf';
import type { ClusterZone, ZonePod } from './zone';
import type { PublicZone } from './upstream';
import { podResolvConf } from './resolv-conf';
import { buildClusterZone } from './zone';
import { buildPublicZone, UPSTREAM_DNS } from './upstream';
import { DNS_NAMESPACE, DNS_SERVICE, clusterDnsIp } from './system-objects';
import { expandDaemonSet, expandDeployment, expandReplicaSet } from '../controllers/workloads';

const STATE_KEY = 'dns';

export interface PodDnsInfo extends PodDnsSpec {
  hostname?: string;
  subdomain?: string;
}

export interface DnsState {
  /** `Cluster.spec.dns`: CoreDNS and kube-dns were added. */
  enabled: boolean;
  clusterDomain: string;
  /** The kubelet's `clusterDNS`: the kube-dns ClusterIP, when that Service has one. */
  clusterDNS: string[];
  /** Every node's /etc/resolv.conf (and the base of dnsPolicy Default). */
  node: ResolvConf;
  /** `NS/NAME` → the pod's DNS settings. */
  pods: Map<string, PodDnsInfo>;
  /** Extra public names (Ingress hosts → the ingress address). */
  publicNames: { name: string; address: string }[];
  cache?: { services: unknown; slices: unknown; pods: unknown; zone: ClusterZone };
  publicCache?: { count: number; zone: PublicZone };
}

type Report = (severity: Severity, message: string, code: string, pos: SourcePos) => void;

/** The node resolv.conf every node gets: the upstream resolver on the internet segment. */
export function nodeResolvConf(): ResolvConf {
  return { nameservers: [UPSTREAM_DNS], searches: [], options: [] };
}

function infoOf(namespace: string, spec: PodSpec): PodDnsInfo {
  // The optional fields added one by one, in this order, rather than spread from an object made
  // for each (four empty objects per pod, for the usual pod that sets none of them).
  const info: PodDnsInfo = { namespace, hostNetwork: spec.hostNetwork === true };
  if (spec.dnsPolicy) info.dnsPolicy = spec.dnsPolicy;
  if (spec.dnsConfig) info.dnsConfig = spec.dnsConfig;
  if (spec.hostname) info.hostname = spec.hostname;
  if (spec.subdomain) info.subdomain = spec.subdomain;
  return info;
}

/** The pod specs behind the model's pods, expanded exactly as compile expanded them. */
function podInfos(scenario: Scenario, cluster: ResolvedCluster, nodeNames: string[]): Map<string, PodDnsInfo> {
  const out = new Map<string, PodDnsInfo>();
  const put = (pod: { metadata?: { name?: string; namespace?: string }; spec?: PodSpec }) => {
    if (!pod.spec || !pod.metadata?.name) return;
    const ns = pod.metadata.namespace ?? 'default';
    const key = `${ns}/${pod.metadata.name}`;
    if (!out.has(key)) out.set(key, infoOf(ns, pod.spec));
  };
  for (const p of scenario.pods) put(p.value);
  for (const d of scenario.deployments) for (const w of expandDeployment(cluster.seed, d)) put(w.pod);
  for (const r of scenario.replicaSets) for (const w of expandReplicaSet(cluster.seed, r)) put(w.pod);
  for (const ds of scenario.daemonSets) for (const w of expandDaemonSet(cluster.seed, ds, nodeNames)) put(w.pod);
  return out;
}

/** API-server validation of dnsPolicy/dnsConfig (pkg/apis/core/validation `validatePodDNSConfig`). */
function checkDnsConfig(spec: PodSpec | undefined, base: string, where: Located<unknown>, report: Report): void {
  if (!spec) return;
  const cfg = spec.dnsConfig;
  const at = (p: string) => where.fieldPos(`${base}.${p}`);
  if (spec.dnsPolicy === 'None') {
    if (!cfg) report('error', `${base}.dnsConfig: Required value: must provide \`dnsConfig\` when \`dnsPolicy\` is None (the pod would get an empty /etc/resolv.conf)`, 'dns-config-required', at('dnsPolicy'));
    else if (!cfg.nameservers?.length) report('error', `${base}.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when \`dnsPolicy\` is None`, 'dns-config-required', at('dnsConfig'));
  }
  if ((cfg?.nameservers?.length ?? 0) > 3) report('error', `${base}.dnsConfig.nameservers: Invalid value: must not have more than 3 nameservers`, 'dns-config-limit', at('dnsConfig.nameservers'));
  const searches = cfg?.searches ?? [];
  if (searches.length > 32) report('error', `${base}.dnsConfig.searches: Invalid value: must not have more than 32 search paths`, 'dns-config-limit', at('dnsConfig.searches'));
  else if (searches.join(' ').length > 2048) report('error', `${base}.dnsConfig.searches: Invalid value: must not have more than 2048 characters (including spaces) in the search list`, 'dns-config-limit', at('dnsConfig.searches'));
}

/** Validates pods' DNS settings and records the DNS state in the model. */
export function setupClusterDns(model: ClusterModel, scenario: Scenario, cluster: ResolvedCluster, report: Report): void {
  for (const p of scenario.pods) checkDnsConfig(p.value.spec, 'spec', p, report);
  for (const w of [...scenario.deployments, ...scenario.replicaSets, ...scenario.daemonSets]) checkDnsConfig(w.value.spec?.template?.spec, 'spec.template.spec', w, report);
  const dnsIp = clusterDnsIp(cluster.serviceCIDR);
  const kubeDns = model.services.find((s) => s.metadata.name === DNS_SERVICE && s.metadata.namespace === DNS_NAMESPACE);
  const ip = kubeDns?.spec.clusterIP;
  const state: DnsState = {
    enabled: cluster.dns,
    clusterDomain: cluster.clusterDomain,
    // kubeadm's kubelet config names the tenth address whether or not the Service exists.
    clusterDNS: cluster.dns || ip ? [ip && ip !== 'None' ? ip : dnsIp] : [],
    node: nodeResolvConf(),
    pods: podInfos(scenario, cluster, model.nodes.map((n) => n.name)),
    publicNames: [],
  };
  model.pluginState.set(STATE_KEY, state);
}

/** The model's DNS state; a scenario without a Cluster gets one without cluster DNS. */
export function getDnsState(model: ClusterModel): DnsState {
  let s = model.pluginState.get(STATE_KEY) as DnsState | undefined;
  if (!s) {
    s = { enabled: false, clusterDomain: model.clusterDomain, clusterDNS: [], node: nodeResolvConf(), pods: new Map(), publicNames: [] };
    model.pluginState.set(STATE_KEY, s);
  }
  return s;
}

function kubeletOf(s: DnsState): KubeletDns {
  return { clusterDNS: s.clusterDNS, clusterDomain: s.clusterDomain, host: s.node };
}

/** The resolv.conf the kubelet gives `pod`. */
export function podDnsConf(model: ClusterModel, pod: ModelPod): PodResolvConf {
  const s = getDnsState(model);
  const info = s.pods.get(`${pod.namespace}/${pod.name}`) ?? { namespace: pod.namespace, hostNetwork: pod.hostNetwork };
  return podResolvConf({ ...info, hostNetwork: pod.hostNetwork }, kubeletOf(s));
}

/** The cluster zone for the model as it is now (rebuilt after Services, slices or pods change). */
export function clusterZoneOf(model: ClusterModel): ClusterZone {
  const s = getDnsState(model);
  const c = s.cache;
  if (c && c.services === model.services && c.slices === model.endpointSlices && c.pods === model.pods) return c.zone;
  const pods: ZonePod[] = model.pods.map((p) => {
    const info = s.pods.get(`${p.namespace}/${p.name}`);
    return { namespace: p.namespace, name: p.name, ip: p.ip, ...(info?.hostname ? { hostname: info.hostname } : {}), ...(info?.subdomain ? { subdomain: info.subdomain } : {}) };
  });
  const zone = buildClusterZone({ clusterDomain: s.clusterDomain, services: model.services, endpointSlices: model.endpointSlices, pods, namespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease'] });
  s.cache = { services: model.services, slices: model.endpointSlices, pods: model.pods, zone };
  return zone;
}

/** The upstream resolver's zone: public names plus published Ingress hosts. */
export function publicZoneOf(model: ClusterModel): PublicZone {
  const s = getDnsState(model);
  if (s.publicCache && s.publicCache.count === s.publicNames.length) return s.publicCache.zone;
  const zone = buildPublicZone(s.publicNames);
  s.publicCache = { count: s.publicNames.length, zone };
  return zone;
}
