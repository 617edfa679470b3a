/**
 * NetworkPolicy (`networking.k8s.io/v1`) as the API defines it, and the validated form the
 * policy engines read. Field names and shapes are the API's own, so a manifest taken from
 * `kubectl get -o yaml` reads unchanged.
 *
 * Read first: k8s.io/api/networking/v1/types.go and the API reference for NetworkPolicy.
 */
import type { LabelSelector, ObjectMeta } from '../k8s/types';
import type { SourcePos } from '../scenario/types';

export type PolicyProtocol = 'TCP' | 'UDP' | 'SCTP';
export type PolicyType = 'Ingress' | 'Egress';

/** `spec.ingress[].ports[]` / `spec.egress[].ports[]`. */
export interface NetworkPolicyPort {
  /** Defaults to TCP. */
  protocol?: PolicyProtocol;
  /** A number, or a named port resolved on each destination pod. Absent: every port. */
  port?: number | string;
  /** With a numeric `port`: the last port of the range `port..endPort`. */
  endPort?: number;
}

export interface IPBlock {
  cidr: string;
  except?: string[];
}

/** A peer: pods (by pod and/or namespace selector) or an address block, never both. */
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface NetworkPolicyIngressRule {
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  /** Empty selects every pod of the policy's namespace. */
  podSelector?: LabelSelector;
  /** Default: `[Ingress]`, plus `Egress` when `egress` is non-empty. */
  policyTypes?: PolicyType[];
  ingress?: NetworkPolicyIngressRule[];
  egress?: NetworkPolicyEgressRule[];
}

export interface NetworkPolicy {
  apiVersion?: string;
  kind: 'NetworkPolicy';
  metadata: ObjectMeta;
  spec?: NetworkPolicySpec;
}

/** A peer after validation: selected pods, or an address block with its exceptions. */
export type PolicyPeer =
  | {
      kind: 'pods';
      podSelector?: LabelSelector;
      namespaceSelector?: LabelSelector;
    }
  | { kind: 'ipBlock'; cidr: string; except: string[] };

/** A port after validation: the protocol is always set. */
export interface PolicyPort {
  protocol: PolicyProtocol;
  port?: number | string;
  endPort?: number;
}

/** One ingress or egress rule; `null` peers or ports mean "all". */
export interface PolicyRule {
  /** 0-based index within `spec.ingress` / `spec.egress`. */
  index: number;
  peers: PolicyPeer[] | null;
  ports: PolicyPort[] | null;
}

/**
 * A NetworkPolicy as the apiserver would store it: validated, with defaults applied.
 * `ingress`/`egress` are undefined when the policy does not apply to that direction (it is not
 * in `policyTypes`); an empty list isolates without allowing anything.
 */
export interface Policy {
  namespace: string;
  name: string;
  /** `namespace/name`. */
  key: string;
  podSelector: LabelSelector;
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
  /** Where the policy is in the scenario. */
  pos: SourcePos;
}

/** Everything a policy engine needs: the policies and every namespace's labels. */
export interface PolicyState {
  policies: Policy[];
  /** Namespace name → labels, including `kubernetes.io/metadata.name`. */
  namespaces: Map<string, Record<string, string>>;
}

/** The label the apiserver puts on every namespace (immutable, equal to its name). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
