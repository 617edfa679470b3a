import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';

function traffic(spec: string): string[] {
  const text = `apiVersion: hopscope/v1alpha1\nkind: Traffic\nmetadata: {name: t}\nspec:\n${spec}`;
  return parseScenario(text).diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.severity} ${d.code}: ${d.message}`);
}

describe('kind: Traffic', () => {
  it('accepts every documented form of from and to', () => {
    const requests = [
      '{from: pod/client, to: service-test}',
      '{from: pod/web/client, to: 10.96.0.10}',
      '{from: pod/web/client/sidecar, to: "10.96.0.10:53", protocol: UDP}',
      '{from: node/node-1, to: "web.shop:8080"}',
      '{from: external/laptop, to: "http://shop.example/", count: 10}',
      '{from: pod/a, to: "pod/default/b:80"}',
      '{from: pod/a, to: "icmp://10.244.1.5"}',
    ];
    expect(traffic(`  requests:\n${requests.map((r) => `    - ${r}\n`).join('')}`)).toEqual([]);
  });

  it('requires spec, from and to', () => {
    expect(parseScenario('apiVersion: hopscope/v1alpha1\nkind: Traffic\n').diagnostics.map((d) => d.message)).toEqual(['spec is required in Traffic']);
    expect(traffic('  requests: [{to: x}]\n')).toEqual(['5:14 error missing-field: spec.requests.0.from is required in Traffic']);
  });

  it('refuses malformed references, schemes, ports and counts', () => {
    expect(traffic('  requests: [{from: client, to: x}]\n')).toEqual([
      '5:21 error invalid-value: spec.requests.0.from "client" must be pod/NAME, pod/NS/NAME, pod/NS/NAME/CONTAINER, node/NAME or external/NAME',
    ]);
    expect(traffic('  requests: [{from: pod/a, to: "ftp://x"}]\n')[0]).toContain('spec.requests.0.to uses scheme ftp');
    expect(traffic('  requests: [{from: pod/a, to: "x:70000"}]\n')[0]).toContain('spec.requests.0.to has port 70000');
    expect(traffic('  requests: [{from: pod/a, to: x, count: 0}]\n')[0]).toContain('spec.requests.0.count must be between 1 and 10000');
    expect(traffic('  requests: [{from: pod/a, to: x, protocol: tcp}]\n')[0]).toContain('did you mean TCP?');
  });

  it('checks faults: action and a target of the right kind', () => {
    expect(traffic('  faults: [{action: node-down, target: pod/a}]\n')).toEqual([
      '5:40 error invalid-value: spec.faults.0.target "pod/a" must be node/NAME for action node-down',
    ]);
    expect(traffic('  faults: [{action: explode, target: pod/a}]\n')[0]).toContain('spec.faults.0.action must be one of delete');
    expect(traffic('  faults: [{after: 3, action: not-ready, target: pod/default/web-1}]\n')).toEqual([]);
  });

  it('warns about unknown fields', () => {
    expect(traffic('  requests: [{from: pod/a, to: x, cuont: 2}]\n')).toEqual([
      '5:35 warning unknown-field: unknown field spec.requests.0.cuont in Traffic; did you mean count?',
    ]);
  });
});
