/**
 * CoreDNS as a cluster runs it (kubeadm's addon, spec/dns-and-ingress.md §1): the `coredns`
 * Deployment in `kube-system` (2 replicas, labels `k8s-app=kube-dns`, dnsPolicy Default so its
 * own resolv.conf is the node's) behind the `kube-dns` Service, whose ClusterIP is fixed to the
 * service CIDR's tenth address because the kubelet writes it into every pod's resolv.conf.
 *
 * These are plain API objects added to the scenario before the controllers run, so they get
 * real pods (scheduler, CNI), EndpointSlices and kube-proxy rules like any other workload.
 */
import type { Deployment, Service } from '../k8s/types';
import type { Cidr } from '../util/ip';
import { nthAddress } from '../util/ip';

export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';
export const DNS_NAMESPACE = 'kube-system';
export const DNS_SERVICE = 'kube-dns';
export const COREDNS_DEPLOYMENT = 'coredns';
export const DNS_LABELS = { 'k8s-app': 'kube-dns' } as const;

/** The kube-dns ClusterIP: the service CIDR's tenth address (10.96.0.10 for 10.96.0.0/12). */
export function clusterDnsIp(serviceCIDR: Cidr): string {
  return nthAddress(serviceCIDR, 10);
}

/** The `coredns` Deployment. */
export function corednsDeployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: COREDNS_DEPLOYMENT, namespace: DNS_NAMESPACE, labels: { ...DNS_LABELS } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { ...DNS_LABELS } },
      template: {
        metadata: { labels: { ...DNS_LABELS } },
        spec: {
          dnsPolicy: 'Default',
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    },
  };
}

/** The `kube-dns` Service. */
export function kubeDnsService(serviceCIDR: Cidr): Service {
  const ip = clusterDnsIp(serviceCIDR);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: DNS_SERVICE, namespace: DNS_NAMESPACE, labels: { ...DNS_LABELS, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } },
    spec: {
      selector: { ...DNS_LABELS },
      clusterIP: ip,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  };
}

/** The Corefile kubeadm installs (a CoreDNS pod's /etc/coredns/Corefile in the shell). */
export function renderCorefile(clusterDomain: string): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;
}
