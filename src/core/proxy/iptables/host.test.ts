import { describe, expect, it } from 'vitest';
import type { Node } from '../../k8s/types';
import { hostAddressesFrom, parseInterfacesAnnotation } from './host';

describe('host addresses', () => {
  it('parses the interfaces annotation', () => {
    expect(
      parseInterfacesAnnotation('lo=127.0.0.1/8,::1/128; eth0=192.168.0.2/24,2001:DB8::1/64'),
    ).toEqual([
      { name: 'lo', addresses: ['127.0.0.1', '::1'] },
      { name: 'eth0', addresses: ['192.168.0.2', '2001:db8::1'] },
    ]);
  });

  it('falls back to node IPs plus loopbacks', () => {
    const node: Node = {
      kind: 'Node',
      metadata: { name: 'n' },
      status: {
        addresses: [
          { type: 'Hostname', address: 'n' },
          { type: 'InternalIP', address: '10.1.0.5' },
          { type: 'ExternalIP', address: '203.0.113.9' },
        ],
      },
    };
    expect(hostAddressesFrom(node)).toEqual({
      nodeIPs: ['10.1.0.5', '203.0.113.9'],
      localAddresses: ['127.0.0.1', '::1', '10.1.0.5', '203.0.113.9'],
    });
    expect(hostAddressesFrom(undefined)).toEqual({
      nodeIPs: [],
      localAddresses: ['127.0.0.1', '::1'],
    });
  });
});
