import { describe, expect, it } from 'vitest';
import { traceFlow } from './flow-tracer';

const rules = `*filter
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
-A KUBE-SERVICES -m comment --comment "ns/dead has no endpoints" -m tcp -p tcp -d 172.30.0.9 --dport 80 -j REJECT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-SVC-A - [0:0]
:KUBE-SEP-1 - [0:0]
:KUBE-SEP-2 - [0:0]
:KUBE-NODEPORTS - [0:0]
-A KUBE-SERVICES -m comment --comment "ns/a cluster IP" -m tcp -p tcp -d 172.30.0.1 --dport 80 -j KUBE-SVC-A
-A KUBE-SERVICES -m comment --comment "nodeports; must be the last rule" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS
-A KUBE-NODEPORTS -m comment --comment ns/a -m tcp -p tcp --dport 30080 -j KUBE-SVC-A
-A KUBE-SVC-A -m comment --comment "ns/a cluster IP" -m tcp -p tcp -d 172.30.0.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-A -m comment --comment "ns/a -> 10.0.0.1:80" -m recent --name KUBE-SEP-1 --rcheck --seconds 10800 --reap -j KUBE-SEP-1
-A KUBE-SVC-A -m comment --comment "ns/a -> 10.0.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-1
-A KUBE-SVC-A -m comment --comment "ns/a -> 10.0.0.2:80" -j KUBE-SEP-2
-A KUBE-SEP-1 -m comment --comment ns/a -s 10.0.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-1 -m comment --comment ns/a -m tcp -p tcp -j DNAT --to-destination 10.0.0.1:80
-A KUBE-SEP-2 -m comment --comment ns/a -s 10.0.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-2 -m comment --comment ns/a -m tcp -p tcp -j DNAT --to-destination 10.0.0.2:80
COMMIT
`;

const flow = (sourceIP: string, destIP: string, destPort: number, protocol = 'TCP') => ({
  sourceIP,
  destIP,
  destPort,
  protocol,
});

describe('traceFlow', () => {
  it('records every endpoint a probabilistic jump could reach, ignoring affinity checks', () => {
    expect(traceFlow(rules, ['192.168.0.2'], flow('10.0.0.5', '172.30.0.1', 80))).toMatchObject({
      output: '10.0.0.1:80, 10.0.0.2:80',
      masq: false,
    });
  });

  it('marks masquerade for non-pod sources and hairpin', () => {
    expect(traceFlow(rules, ['192.168.0.2'], flow('192.168.0.2', '172.30.0.1', 80)).masq).toBe(
      true,
    );
    expect(traceFlow(rules, ['192.168.0.2'], flow('10.0.0.1', '172.30.0.1', 80)).masq).toBe(true);
  });

  it('dispatches NodePorts only to LOCAL destinations outside 127/8', () => {
    expect(
      traceFlow(rules, ['192.168.0.2'], flow('203.0.113.1', '192.168.0.2', 30080)).output,
    ).toBe('10.0.0.1:80, 10.0.0.2:80');
    expect(
      traceFlow(rules, ['192.168.0.2'], flow('203.0.113.1', '192.168.0.3', 30080)).output,
    ).toBe('');
    expect(traceFlow(rules, ['192.168.0.2'], flow('127.0.0.1', '127.0.0.1', 30080)).output).toBe(
      '',
    );
  });

  it('matches protocol and port, and reports filter verdicts', () => {
    expect(traceFlow(rules, [], flow('10.0.0.5', '172.30.0.1', 80, 'UDP')).output).toBe('');
    expect(traceFlow(rules, [], flow('10.0.0.5', '172.30.0.9', 80)).output).toBe('REJECT');
  });
});
