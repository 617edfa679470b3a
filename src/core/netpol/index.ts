/**
 * NetworkPolicy (`networking.k8s.io/v1`): the API types, validation with the apiserver's rules
 * and messages, label selectors, and the meaning of a policy for the pods of a cluster
 * (isolation, peers, named ports). Engines (`cni/policy/felix.ts`) turn this into rules in the
 * model; the datapath evaluates those rules. This layer never decides a packet's fate, so the
 * reachability matrix (`simulate/reach.ts`) comes from traced flows, not from here.
 *
 * Contract:
 * - Pure: imports only `../k8s`, `../scenario` types, `../util`, `../model` and `../trace` types.
 * - `readNetworkPolicies` never throws: a policy the apiserver would refuse is an error
 *   diagnostic at the offending field (`spec.ingress[0].ports[0].endPort`) and is left out.
 * - Semantics follow the API reference: empty podSelector selects all pods of the namespace;
 *   policyTypes defaults to Ingress (+ Egress when egress rules exist); a pod is isolated for
 *   a direction once any policy selects it for that direction, and the allowed traffic is the
 *   union of the rules; podSelector + namespaceSelector in one peer are ANDed, separate peers
 *   ORed; namespaces carry `kubernetes.io/metadata.name`; named ports resolve per pod.
 * - `explainPolicyDrop(rule)` turns the rule that dropped a packet into a sentence naming the
 *   isolated pod, the direction and the policies (a NetworkPolicy drop is always the default deny).
 */
export type {
  IPBlock,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
  Policy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  PolicyState,
  PolicyType,
} from './types';
export { NAMESPACE_NAME_LABEL } from './types';
export {
  formatSelector,
  isEmptySelector,
  matchRequirement,
  matchSelector,
  selectorProblems,
} from './selectors';
export { readNetworkPolicies, readNetworkPolicy, portNameProblem } from './validate';
export {
  isPolicyPod,
  namespaceLabels,
  peerPods,
  policiesFor,
  resolveNamedPort,
  selectsPod,
} from './resolve';
export { explainPolicyDrop, policyAllowsIn, ruleComments } from './explain';
