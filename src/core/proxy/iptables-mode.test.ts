// kube-proxy's iptables mode shares one sync text between the nodes of a pass that cannot tell
// themselves apart (iptables-mode.ts, nodeBlindSync). Every node must end with exactly the rules
// its own sync gives: programming all nodes in one pass equals programming each in a pass of its own.
import { describe, expect, it } from 'vitest';
import type { KubeProxyConfiguration } from '../k8s/types';
import type { ProxyContext } from './mode';
import { iptablesMode } from './iptables-mode';
import { cluster } from '../testing/cluster';
import { createNetns } from '../model/netns';
import { renderIptablesSave } from '../render/iptables-save';

function service(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...spec } });
}

/** Services whose rules depend on the node: local endpoints, node IPs (source ranges), none. */
const SERVICES: Record<string, string> = {
  plain: service('plain', {}),
  internalLocal: service('internal-local', { internalTrafficPolicy: 'Local' }),
  externalLocal: service('external-local', { type: 'NodePort', externalTrafficPolicy: 'Local' }),
  sourceRanges: service('ranges', { type: 'LoadBalancer', loadBalancerSourceRanges: ['192.168.0.13/32'] }),
};

const CONFIGS: Record<string, KubeProxyConfiguration | undefined> = {
  none: undefined,
  primary: { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', nodePortAddresses: ['primary'] },
  cidr: { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', nodePortAddresses: ['192.168.0.12/32'] },
};

/** Every node programmed into a fresh netns, in one pass (one context) or a pass per node. */
function program(svc: string, config: KubeProxyConfiguration | undefined, onePass: boolean): string[] {
  const c = cluster().nodes(4).cni('bridge').seed(5).pod('web-1', { node: 'node-1', ports: [8080], labels: { app: 'web' } }).pod('web-2', { node: 'node-2', ports: [8080], labels: { app: 'web' } }).raw(svc).build();
  const { model } = c;
  const context = (): ProxyContext => ({ model, config, nodeObject: () => undefined, report: () => {} });
  const shared = context();
  return model.nodes.map((node) => {
    const ns = createNetns(`test:${node.name}`, 'node', node.name, node.name);
    iptablesMode.programNode(onePass ? shared : context(), node, ns, model.services, model.endpointSlices);
    return renderIptablesSave(ns.netfilter);
  });
}

describe('iptables mode: one pass over the nodes', () => {
  for (const [svcName, svc] of Object.entries(SERVICES))
    for (const [configName, config] of Object.entries(CONFIGS))
      it(`gives every node its own sync's rules (${svcName} Service, nodePortAddresses ${configName})`, () => {
        expect(program(svc, config, true)).toEqual(program(svc, config, false));
      });

  it('the cases above include nodes whose rules differ, and nodes whose rules are the same', () => {
    const distinct = (rules: string[]) => new Set(rules).size;
    // Local endpoints on node-1 and node-2 only: those two differ from the rest, which agree.
    expect(distinct(program(SERVICES.internalLocal!, undefined, false))).toBe(3);
    // The node IP decides: every node its own NodePort rule, or only node-3 allowed from itself (no endpoint there).
    expect(distinct(program(SERVICES.plain!, CONFIGS.primary, false))).toBe(4);
    expect(distinct(program(SERVICES.sourceRanges!, undefined, false))).toBe(2);
    expect(distinct(program(SERVICES.plain!, undefined, false))).toBe(1);
  });
});
