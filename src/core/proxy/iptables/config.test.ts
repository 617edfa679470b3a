import { describe, expect, it } from 'vitest';
import type { KubeProxyConfiguration, Node } from '../../k8s/types';
import {
  ifLocal,
  ifNotLocal,
  kubeProxyNodeName,
  kubeProxyOptionsFrom,
  masqueradeMarkText,
} from './config';

const node = (annotations: Record<string, string> = {}, addresses = ['192.168.0.2']): Node => ({
  kind: 'Node',
  metadata: { name: 'node-1', annotations },
  status: { addresses: addresses.map((address) => ({ type: 'InternalIP', address })) },
});
const cfg = (over: Partial<KubeProxyConfiguration>): KubeProxyConfiguration => ({
  kind: 'KubeProxyConfiguration',
  ...over,
});

describe('masqueradeMarkText', () => {
  it("formats like Go's %#08x", () => {
    expect(masqueradeMarkText(14)).toBe('0x00004000');
    expect(masqueradeMarkText(0)).toBe('0x00000001');
    expect(masqueradeMarkText(31)).toBe('0x80000000');
  });
});

describe('kubeProxyOptionsFrom', () => {
  it('has kube-proxy defaults without a config, on a modern node', () => {
    expect(kubeProxyOptionsFrom(undefined)).toEqual({
      ipFamily: 'IPv4',
      masqueradeMark: '0x00004000',
      masqueradeAll: false,
      localDetector: null,
      nodePortAddresses: [],
      localhostNodePorts: true,
      tcpBeLiberal: false,
      nfacct: true,
      randomFully: true,
    });
  });

  it('reads the host facts from the Node annotations', () => {
    const o = kubeProxyOptionsFrom(
      undefined,
      node({ 'hopscope.dev/oracle-nfacct': 'false', 'hopscope.dev/oracle-random-fully': 'false' }),
    );
    expect([o.nfacct, o.randomFully]).toEqual([false, false]);
  });

  it('takes the family from bindAddress, else from the node IP', () => {
    expect(kubeProxyOptionsFrom(cfg({ bindAddress: '2001:db8::1' })).ipFamily).toBe('IPv6');
    expect(
      kubeProxyOptionsFrom(cfg({ bindAddress: '0.0.0.0' }), node({}, ['fd00::5'])).ipFamily,
    ).toBe('IPv6');
    expect(kubeProxyOptionsFrom(cfg({}), node()).ipFamily).toBe('IPv4');
  });

  it('picks the clusterCIDR of its family for the local detector', () => {
    const c = cfg({ clusterCIDR: '10.0.0.0/8,fd00:10::/64', bindAddress: '2001:db8::1' });
    expect(kubeProxyOptionsFrom(c).localDetector).toEqual({
      mode: 'ClusterCIDR',
      cidr: 'fd00:10::/64',
    });
    expect(kubeProxyOptionsFrom(cfg({ clusterCIDR: '' })).localDetector).toBeNull();
  });

  it('supports the interface-based detectors', () => {
    const bridge = kubeProxyOptionsFrom(
      cfg({ detectLocalMode: 'BridgeInterface', detectLocal: { bridgeInterface: 'cbr0' } }),
    );
    expect([ifLocal(bridge.localDetector!), ifNotLocal(bridge.localDetector!)]).toEqual([
      '-i cbr0',
      '! -i cbr0',
    ]);
    const prefix = kubeProxyOptionsFrom(
      cfg({ detectLocalMode: 'InterfaceNamePrefix', detectLocal: { interfaceNamePrefix: 'veth' } }),
    );
    expect(ifNotLocal(prefix.localDetector!)).toBe('! -i veth+');
  });

  it('maps the iptables and conntrack knobs', () => {
    const o = kubeProxyOptionsFrom(
      cfg({
        iptables: { masqueradeBit: 15, masqueradeAll: true, localhostNodePorts: false },
        conntrack: { tcpBeLiberal: true },
        nodePortAddresses: ['10.0.0.0/8'],
      }),
    );
    expect(o).toMatchObject({
      masqueradeMark: '0x00008000',
      masqueradeAll: true,
      localhostNodePorts: false,
      tcpBeLiberal: true,
      nodePortAddresses: ['10.0.0.0/8'],
    });
  });
});

describe('kubeProxyNodeName', () => {
  it('prefers hostnameOverride', () => {
    expect(kubeProxyNodeName(cfg({ hostnameOverride: 'test-node' }), node())).toBe('test-node');
    expect(kubeProxyNodeName(undefined, node())).toBe('node-1');
  });
});
