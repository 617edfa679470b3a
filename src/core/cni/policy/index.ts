/**
 * NetworkPolicy enforcement: which policy engine a cluster runs and how it is (re)programmed.
 *
 * Contract:
 * - Enforcement is rules in the model, evaluated by the one datapath walker; nothing here
 *   decides a packet's fate.
 * - `calico` enforces with Felix (cali interfaces); `flannel`/`bridge`/`kubenet` enforce only
 *   with `cni: {policy: calico}` (Canal), else a warning says the policies have no effect — as
 *   in a real cluster, where the API accepts them and nothing happens.
 * - Invalid policies are error diagnostics with positions and are left out, as the apiserver
 *   would refuse them.
 * - May import the netpol layer, netfilter and the model; never the datapath.
 */
import type { ClusterModel } from '../../model/types';
import type { Scenario, Severity, SourcePos } from '../../scenario/types';
import type { ResolvedCluster } from '../../compile/resolved';
import type { Policy, PolicyState } from '../../netpol/types';
import type { FelixMode } from './felix';
import { readNetworkPolicies } from '../../netpol/validate';
import { namespaceLabels } from '../../netpol/resolve';
import { serviceNetworkIpBlocks } from '../../netpol/service-network';
import { programFelix } from './felix';

export type PolicyEngine = 'felix' | 'none';

/** What the model keeps about policy: the state the engine enforces and how. */
export interface PolicyEnforcement {
  engine: PolicyEngine;
  mode: FelixMode;
  state: PolicyState;
}

const KEY = 'netpol';

/** The policy state of a compiled model, if it has any. */
export function getPolicyEnforcement(model: ClusterModel): PolicyEnforcement | undefined {
  return model.pluginState.get(KEY) as PolicyEnforcement | undefined;
}

type Report = (severity: Severity, message: string, code: string, pos?: SourcePos) => void;

/** The engine a cluster runs: Felix when the plugin is calico or `cni.policy` is calico. */
export function policyEngineFor(cluster: ResolvedCluster): {
  engine: PolicyEngine;
  mode: FelixMode;
} {
  const mode: FelixMode = cluster.cni.plugin === 'calico' ? 'calico' : 'canal';
  return { engine: cluster.cni.policy === 'calico' ? 'felix' : 'none', mode };
}

/**
 * Compile step (after pods, services and kube-proxy exist): validates the scenario's
 * NetworkPolicies, records them on the model and programs the policy engine on every node.
 */
export function enforceNetworkPolicies(
  model: ClusterModel,
  scenario: Scenario,
  cluster: ResolvedCluster,
  report: Report,
): void {
  const { policies, diagnostics } = readNetworkPolicies(scenario);
  for (const d of diagnostics) report(d.severity, d.message, d.code, d.pos);
  const used = [...model.pods.map((p) => p.namespace), ...policies.map((p) => p.namespace)];
  const state: PolicyState = {
    policies,
    namespaces: namespaceLabels(scenario.namespaces, used),
  };
  const { engine, mode } = policyEngineFor(cluster);
  model.pluginState.set(KEY, {
    engine,
    mode,
    state,
  } satisfies PolicyEnforcement);
  const first = scenario.others.find((o) => o.value.kind === 'NetworkPolicy');
  if (engine === 'none') {
    if (policies.length && first) {
      const n = policies.length;
      report(
        'warning',
        `${cluster.cni.plugin} does not enforce NetworkPolicy; ${n} polic${n === 1 ? 'y' : 'ies'} will have no effect (cni: {policy: calico} adds Calico's policy engine, as Canal does)`,
        'netpol-not-enforced',
        first.pos,
      );
    }
    return;
  }
  if (!policies.length) return; // see felix.ts: chains appear once a policy exists
  for (const b of serviceNetworkIpBlocks(policies, cluster.serviceCIDR.text, cluster.podCIDR.text)) {
    const at = `spec.egress.${b.rule}.to.${b.peer}.ipBlock.cidr`;
    const obj = scenario.others.find((o) => o.value.kind === 'NetworkPolicy' && o.value.metadata?.name === b.policy.name && (o.value.metadata?.namespace || 'default') === b.policy.namespace);
    report(
      'warning',
      `NetworkPolicy ${b.policy.key}: spec.egress[${b.rule}].to[${b.peer}].ipBlock ${b.cidr} reaches into the service network ${cluster.serviceCIDR.text} but admits no pod address: egress policy is checked after kube-proxy's DNAT, against the endpoint pod's address in ${cluster.podCIDR.text}, so this peer never allows a connection to a Service; allow the backend pods (podSelector, namespaceSelector) instead`,
      'netpol-ipblock-service-network',
      obj ? obj.fieldPos(at) : b.policy.pos,
    );
  }
  for (const e of programFelix(model, state, mode))
    report('error', `internal: Felix rules did not load: ${e}`, 'internal', first?.pos);
}

/**
 * Replaces the cluster's NetworkPolicies (as `kubectl apply`/`delete` would) and reprograms the
 * engine. Conntrack is kept: connections already established stay allowed, as with Felix.
 * Returns internal errors (empty when all went well); does nothing without an engine.
 */
export function setNetworkPolicies(
  model: ClusterModel,
  policies: Policy[],
  namespaces?: Map<string, Record<string, string>>,
): string[] {
  const cur = getPolicyEnforcement(model);
  if (!cur) return ['the model was not compiled with NetworkPolicy support'];
  const state: PolicyState = {
    policies,
    namespaces: new Map(namespaces ?? cur.state.namespaces),
  };
  for (const p of policies)
    if (!state.namespaces.has(p.namespace))
      state.namespaces.set(p.namespace, {
        'kubernetes.io/metadata.name': p.namespace,
      });
  model.pluginState.set(KEY, { ...cur, state });
  if (cur.engine === 'none') return [];
  return programFelix(model, state, cur.mode);
}
