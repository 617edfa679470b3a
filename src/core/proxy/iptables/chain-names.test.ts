import { describe, expect, it } from 'vitest';
import { base32Encode, chainHash, endpointChainName, servicePortChainName, servicePortChainNames } from './chain-names';

const bytes = (s: string): Uint8Array => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

describe('base32Encode', () => {
  it('matches the RFC 4648 test vectors (standard alphabet, padded)', () => {
    expect(base32Encode(bytes(''))).toBe('');
    expect(base32Encode(bytes('f'))).toBe('MY======');
    expect(base32Encode(bytes('fo'))).toBe('MZXQ====');
    expect(base32Encode(bytes('foo'))).toBe('MZXW6===');
    expect(base32Encode(bytes('foob'))).toBe('MZXW6YQ=');
    expect(base32Encode(bytes('fooba'))).toBe('MZXW6YTB');
    expect(base32Encode(bytes('foobar'))).toBe('MZXW6YTBOI======');
  });
});

describe('chain names', () => {
  // The values the spec checked against upstream's expectations.
  it('hash service-port name + protocol for service chains', () => {
    expect(servicePortChainName('KUBE-SVC', 'ns1/svc1:p80', 'tcp')).toBe(
      'KUBE-SVC-XPGD46QRK7WJZT7O',
    );
    expect(servicePortChainName('KUBE-SVC', 'ns2/svc2:p8080', 'tcp')).toBe(
      'KUBE-SVC-2VJB64SDSIJUP5T6',
    );
    expect(servicePortChainName('KUBE-FW', 'ns5/svc5:p80', 'tcp')).toBe('KUBE-FW-NUKIZ6OKUXPJNT4C');
  });

  it('add the endpoint string for endpoint chains', () => {
    expect(endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe(
      'KUBE-SEP-SXIVWICOYRO3J4NJ',
    );
    expect(endpointChainName('ns5/svc5:p80', 'tcp', '10.180.0.3:80')).toBe(
      'KUBE-SEP-I77PXRDZVX7PMWMN',
    );
  });

  it('keep 16 characters, within the 28-character iptables limit', () => {
    expect(chainHash('anything')).toHaveLength(16);
    expect(
      servicePortChainName('KUBE-SVL', 'a-very-long-namespace/a-very-long-service:https', 'sctp')
        .length,
    ).toBeLessThanOrEqual(28);
  });
});

describe('servicePortChainNames', () => {
  it('names the four chains as servicePortChainName names each', () => {
    const names = servicePortChainNames('ns1/svc1:p80', 'tcp');
    for (const kind of ['KUBE-SVC', 'KUBE-SVL', 'KUBE-EXT', 'KUBE-FW'] as const) expect(names[kind]).toBe(servicePortChainName(kind, 'ns1/svc1:p80', 'tcp'));
  });
});
