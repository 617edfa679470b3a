import { describe, expect, it } from 'vitest';
import { endpointChainName } from './chain-names';
import type { EndpointInfo } from './endpoints';
import { probabilityText, sepChainOf } from './endpoint-rules';
import type { ServicePortInfo } from './service-port';

describe('probabilityText', () => {
  it("prints 1/n as Go's %0.10f", () => {
    expect([2, 3, 4, 5, 6, 7, 10].map(probabilityText)).toEqual([
      '0.5000000000',
      '0.3333333333',
      '0.2500000000',
      '0.2000000000',
      '0.1666666667',
      '0.1428571429',
      '0.1000000000',
    ]);
  });

  it('rounds an exact tie to even, as Go does (JS toFixed would round up)', () => {
    expect(probabilityText(2048)).toBe('0.0004882812');
    expect(probabilityText(4096)).toBe('0.0002441406');
  });
});

describe('sepChainOf (names remembered per endpoint object)', () => {
  const sp = { servicePortName: 'ns1/svc1:p80', protocol: 'TCP' } as ServicePortInfo;
  it('names an endpoint as endpointChainName does, also when asked again', () => {
    const ep = { endpoint: '10.180.0.1:80' } as EndpointInfo;
    const want = endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80');
    expect(sepChainOf(sp, ep)).toBe(want);
    expect(sepChainOf(sp, ep)).toBe(want);
  });

  it('names afresh when the endpoint or the service port changed after the name was remembered', () => {
    const ep = { endpoint: '10.180.0.1:80' } as EndpointInfo;
    sepChainOf(sp, ep);
    ep.endpoint = '10.180.0.2:80';
    expect(sepChainOf(sp, ep)).toBe(endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.2:80'));
    const other = { servicePortName: 'ns1/svc1:p81', protocol: 'UDP' } as ServicePortInfo;
    expect(sepChainOf(other, ep)).toBe(endpointChainName('ns1/svc1:p81', 'udp', '10.180.0.2:80'));
    expect(sepChainOf(sp, ep)).toBe(endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.2:80'));
  });
});
