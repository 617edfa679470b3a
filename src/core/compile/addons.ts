/**
 * Cluster add-ons: the objects a real cluster's installer adds beside the user's (kubeadm's
 * CoreDNS; an ingress controller when Ingresses need one), and the add-ons' own state once
 * the controllers have run.
 *
 * `withAddonObjects` runs before the controllers: it appends plain API objects to the scenario
 * so they get pods, EndpointSlices and kube-proxy rules like any workload. They go last, so
 * adding them never changes the names or addresses of the user's own objects. Objects the
 * scenario already defines (a pasted `kube-dns` Service, say) are kept instead.
 * `buildAddons` runs after the service network: DNS state and validation, the ingress
 * controller's configuration. Both are pure and total.
 */
import type { ClusterModel } from '../model/types';
import type { Located, Scenario, Severity, SourcePos } from '../scenario/types';
import type { ResolvedCluster } from './resolved';
import { COREDNS_DEPLOYMENT, DNS_NAMESPACE, DNS_SERVICE, corednsDeployment, kubeDnsService } from '../dns/system-objects';
import { setupClusterDns } from '../dns/cluster-dns';
import { ingressAddonObjects, setupIngress } from '../ingress/controller';

type Report = (severity: Severity, message: string, code: string, pos: SourcePos) => void;

const ORIGIN: SourcePos = { line: 1, col: 1, offset: 0, end: 0 };

/** A system object, located at the Cluster object (diagnostics about it point there). */
export function systemObject<T>(value: T, pos: SourcePos): Located<T> {
  return { value, pos, fieldPos: () => pos };
}

function has(list: Located<{ metadata?: { name?: string; namespace?: string } }>[], ns: string, name: string): boolean {
  return list.some((o) => o.value.metadata?.name === name && (o.value.metadata?.namespace ?? 'default') === ns);
}

/** The scenario plus the add-on objects its Cluster asks for (none without a Cluster object). */
export function withAddonObjects(scenario: Scenario, cluster: ResolvedCluster): Scenario {
  if (!scenario.cluster) return scenario;
  const pos = scenario.cluster.pos ?? ORIGIN;
  const out: Scenario = { ...scenario, deployments: [...scenario.deployments], services: [...scenario.services] };
  if (cluster.dns) {
    if (!has(scenario.deployments, DNS_NAMESPACE, COREDNS_DEPLOYMENT)) out.deployments.push(systemObject(corednsDeployment(), pos));
    if (!has(scenario.services, DNS_NAMESPACE, DNS_SERVICE)) out.services.push(systemObject(kubeDnsService(cluster.serviceCIDR), pos));
  }
  const ingress = ingressAddonObjects(scenario, cluster);
  for (const d of ingress.deployments) if (!has(scenario.deployments, d.metadata.namespace ?? 'default', d.metadata.name ?? '')) out.deployments.push(systemObject(d, pos));
  for (const s of ingress.services) if (!has(scenario.services, s.metadata.namespace ?? 'default', s.metadata.name ?? '')) out.services.push(systemObject(s, pos));
  return out;
}

/** Add-on state after the service network exists: DNS (resolv.conf inputs, zone), ingress. */
export function buildAddons(model: ClusterModel, scenario: Scenario, cluster: ResolvedCluster, report: Report): void {
  setupClusterDns(model, scenario, cluster, report);
  setupIngress(model, scenario, cluster, report);
}
