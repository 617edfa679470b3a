// Bad input never crashes the shell (DESIGN §6: no input makes the core throw): random lines
// built from real command names, flags, names and junk always come back as text, and never as
// the internal-error guard's exit 70.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { createShell } from './index';

const model = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {cni: {plugin: calico, backend: ipip}, kubeProxy: {mode: ipvs}}
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: node-1, containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
`).model!;

const words = ['kubectl', 'get', 'describe', 'pods', 'svc', 'node', 'ip', 'a', 'route', 'get', 'neigh', 'link', 'show', 'dev', 'eth0', 'bridge', 'fdb', 'iptables', 'iptables-save', '-t', 'nat', 'filter', 'bogus', '-L', '-S', '-n', '-v', '-x', 'KUBE-SERVICES', 'ipvsadm', '-Ln', '--stats', '-c', 'nft', 'list', 'ruleset', 'conntrack', '-p', 'tcp', 'curl', 'http://a', 'http://10.96.0.1', 'ping', '-c', '2', '0', '999', 'traceroute', 'nslookup', 'dig', '@1.2.3.4', '+short', 'tcpdump', '-i', 'any', 'cat', '/etc/hosts', 'grep', 'head', 'wc', '|', ';', '&&', '||', '&', "'", '"', '\\', '--help', '-h', '', '10.244.0.1', ':::', 'pod/x', '-o', 'wide', 'yaml', '-A'];

describe('shell robustness', () => {
  it('answers any line without throwing or hitting the internal-error guard', () => {
    const shells = [createShell(model, { kind: 'node', name: 'node-1' }), createShell(model, { kind: 'pod', namespace: 'default', name: 'a' })];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 })), { maxLength: 8 }), fc.nat(1), (ws, which) => {
        const line = ws.join(' ');
        const r = shells[which]!.run(line);
        expect(typeof r.stdout).toBe('string');
        expect(typeof r.stderr).toBe('string');
        expect(r.exitCode, `${line}\n${r.stderr}`).not.toBe(70);
        expect(Array.isArray(shells[which]!.complete(line))).toBe(true);
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});
