// A container port with hostPort is published by the chained `portmap` plugin that flannel's,
// Calico's and the bridge conflists list (spec/cni.md §6; containernetworking/plugins
// plugins/meta/portmap/portmap_iptables.go): CNI-HOSTPORT-DNAT from PREROUTING/OUTPUT for
// local destinations, a per-container CNI-DN-<hash> chain DNATing to the pod, and
// CNI-HOSTPORT-SETMARK/MASQ masquerading hairpin and localhost sources. Rule text as the real
// iptables-save v1.8.9 (nf_tables) prints these rules.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { renderIptablesSave } from '../render/iptables-save';
import { traceRequest } from '../simulate/request';
import { sha512Hex } from '../util/hash';

const scenario = (cni: string) => `apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {dns: false, cni: ${cni}}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-2
  containers:
  - name: web
    image: nginx
    ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 53, protocol: UDP, hostPort: 5353}]
`;

describe('portmap: hostPort', () => {
  it('flannel: the node gets the portmap chains, and an external client reaches the pod at nodeIP:hostPort', () => {
    const r = loadScenario(scenario('{plugin: flannel}'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const m = r.model!;
    const pod = m.pods.find((p) => p.name === 'web')!;
    const node = m.nodes.find((n) => n.name === 'node-2')!;
    const dn = `CNI-DN-${sha512Hex(`cbr0${pod.containerId}`).slice(0, 21)}`;
    const save = renderIptablesSave(m.netns.get(node.netns)!.netfilter);
    const nat = save.slice(save.indexOf('*nat'));
    for (const line of [
      `:${dn} - [0:0]`,
      ':CNI-HOSTPORT-DNAT - [0:0]',
      '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
      '-A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
      '-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
      `-A ${dn} -s ${pod.ip.replace(/\.\d+$/, '.0')}/24 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK`,
      `-A ${dn} -s 127.0.0.1/32 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK`,
      `-A ${dn} -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${pod.ip}:80`,
      `-A ${dn} -p udp -m udp --dport 5353 -j DNAT --to-destination ${pod.ip}:53`,
      `-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"cbr0\\" id: \\"${pod.containerId}\\"" -m multiport --dports 8080 -j ${dn}`,
      `-A CNI-HOSTPORT-DNAT -p udp -m comment --comment "dnat name: \\"cbr0\\" id: \\"${pod.containerId}\\"" -m multiport --dports 5353 -j ${dn}`,
      '-A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE',
      '-A CNI-HOSTPORT-SETMARK -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark 0x2000/0x2000',
    ])
      expect(nat).toContain(`${line}\n`);
    const t = traceRequest(m, { from: 'external/client', to: `${node.ip}:8080` });
    if (!t.ok) throw new Error(t.error);
    expect(t.trace.flow?.verdict).toBe('delivered');
    expect(t.trace.flow?.endpoint).toBe('default/web');
  });

  it('calico: the pod is reached at nodeIP:hostPort too, and the chain is named after k8s-pod-network', () => {
    const m = loadScenario(scenario('{plugin: calico, backend: ipip}')).model!;
    const pod = m.pods.find((p) => p.name === 'web')!;
    const node = m.nodes.find((n) => n.name === 'node-2')!;
    const save = renderIptablesSave(m.netns.get(node.netns)!.netfilter);
    expect(save).toContain(`-A CNI-DN-${sha512Hex(`k8s-pod-network${pod.containerId}`).slice(0, 21)} -s ${pod.ip}/32 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK\n`);
    const t = traceRequest(m, { from: 'external/client', to: `${node.ip}:8080` });
    if (!t.ok) throw new Error(t.error);
    expect(t.trace.flow?.verdict).toBe('delivered');
  });
});
