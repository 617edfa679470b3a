/**
 * DNS in the cluster (spec/dns-and-ingress.md §1–4): what the kubelet writes into a pod's
 * /etc/resolv.conf (`resolv-conf.ts`), the stub resolver's search order (`resolver.ts`), the
 * zone CoreDNS's kubernetes plugin serves (`zone.ts`) and CoreDNS's answer with forwarding
 * (`coredns.ts`), the upstream resolver outside the cluster (`upstream.ts`), the CoreDNS add-on
 * objects (`system-objects.ts`), the model's DNS state (`cluster-dns.ts`) and how a reply is cut
 * to the client's UDP buffer (`truncation.ts`).
 *
 * Contract: pure and total — no packets here (simulate/dns-flows.ts walks each question as a
 * flow through an `Exchange`), no clock, no randomness, never throws on bad input.
 * May import: k8s types, model types, wire/dns types (and its encoder, for sizes), util, controllers/workloads.
 */
export type { KubeletDns, PodDnsSpec, PodResolvConf, ResolvConf, ResolverSettings } from './resolv-conf';
export { podResolvConf, renderResolvConf, resolverSettings } from './resolv-conf';
export type { DnsReply, Exchange, ExchangeResult, QueryStep, Resolution, ResolveOptions } from './resolver';
export { isValidHostname, resolveName, searchCandidates } from './resolver';
export type { ClusterZone, ZoneAnswer, ZoneInput } from './zone';
export { answerFromZone, buildClusterZone } from './zone';
export { corednsAnswer } from './coredns';
export { buildPublicZone, publicReply, UPSTREAM_DNS } from './upstream';
export { clusterDnsIp, corednsDeployment, kubeDnsService, renderCorefile } from './system-objects';
export type { DnsState } from './cluster-dns';
export { clusterZoneOf, getDnsState, podDnsConf } from './cluster-dns';
export type { ClientBuffer } from './truncation';
export { fitReply, replyBudget, uncompressedLength } from './truncation';
