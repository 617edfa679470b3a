import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { readNetworkPolicies } from './validate';

function read(spec: string, name = 'p') {
  const text = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: x\nspec:\n${spec}`;
  const { scenario } = parseScenario(text);
  return { text, ...readNetworkPolicies(scenario) };
}

/** The text a diagnostic points at. */
function at(text: string, d: { pos: { offset: number; end: number } }): string {
  return text.slice(d.pos.offset, d.pos.end);
}

describe('NetworkPolicy defaults', () => {
  it('defaults policyTypes to Ingress, plus Egress when egress rules exist', () => {
    const a = read('  podSelector: {}\n');
    expect(a.policies[0]).toMatchObject({ key: 'x/p', ingress: [] });
    expect(a.policies[0]!.egress).toBeUndefined();
    const b = read('  podSelector: {}\n  egress:\n  - {}\n');
    expect(b.policies[0]).toMatchObject({
      ingress: [],
      egress: [{ index: 0, peers: null, ports: null }],
    });
    const c = read('  podSelector: {}\n  policyTypes: [Egress]\n');
    expect(c.policies[0]!.ingress).toBeUndefined();
    expect(c.policies[0]!.egress).toEqual([]);
  });

  it('defaults a port to TCP, keeps named ports and ranges, reads empty lists as "all"', () => {
    const { policies, diagnostics } = read(
      '  podSelector: {}\n  ingress:\n  - from: []\n    ports:\n    - port: 80\n    - {protocol: UDP, port: serve-53-udp}\n    - {port: 8000, endPort: 8080}\n',
    );
    expect(diagnostics).toEqual([]);
    expect(policies[0]!.ingress).toEqual([
      {
        index: 0,
        peers: null,
        ports: [
          { protocol: 'TCP', port: 80 },
          { protocol: 'UDP', port: 'serve-53-udp' },
          { protocol: 'TCP', port: 8000, endPort: 8080 },
        ],
      },
    ]);
  });

  it('a missing spec is a deny-all-ingress policy for the namespace (podSelector {})', () => {
    const { scenario } = parseScenario(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: d}\n',
    );
    expect(readNetworkPolicies(scenario).policies).toMatchObject([
      { key: 'default/d', podSelector: {}, ingress: [] },
    ]);
  });

  it('accepts an ipBlock CIDR with host bits, as the apiserver does', () => {
    const { policies, diagnostics } = read(
      '  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.244.1.10/4, except: [10.244.1.11/32]}\n',
    );
    expect(diagnostics).toEqual([]);
    expect(policies[0]!.egress![0]!.peers).toEqual([
      { kind: 'ipBlock', cidr: '10.244.1.10/4', except: ['10.244.1.11/32'] },
    ]);
  });
});

describe('NetworkPolicy bad input: clear diagnostics with positions, the policy left out', () => {
  it('an invalid selector operator', () => {
    const r = read(
      '  podSelector:\n    matchExpressions:\n    - {key: role, operator: Equals, values: [db]}\n',
    );
    expect(r.policies).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d).toMatchObject({ severity: 'error', code: 'netpol-invalid' });
    expect(d.message).toBe(
      'NetworkPolicy x/p: spec.podSelector.matchExpressions[0].operator: operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
    );
    expect(at(r.text, d)).toBe('Equals');
    expect(d.pos.line).toBe(9);
  });

  it('an invalid operator in a peer selector', () => {
    const r = read(
      '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchExpressions:\n        - key: env\n          operator: exists\n',
    );
    expect(r.policies).toEqual([]);
    expect(r.diagnostics[0]!.message).toContain(
      'spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].operator',
    );
    expect(at(r.text, r.diagnostics[0]!)).toBe('exists');
  });

  it('endPort below port', () => {
    const r = read(
      '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 8080\n      endPort: 8000\n',
    );
    expect(r.policies).toEqual([]);
    const d = r.diagnostics[0]!;
    expect(d.message).toBe(
      'NetworkPolicy x/p: spec.ingress[0].ports[0].endPort: Invalid value: 8000: must be greater than or equal to `port` (8080)',
    );
    expect(at(r.text, d)).toBe('8000');
    expect(d.pos).toMatchObject({ line: 11, col: 16 });
  });

  it('endPort with a named port or without a port', () => {
    expect(
      read('  podSelector: {}\n  ingress:\n  - ports:\n    - {port: http, endPort: 90}\n')
        .diagnostics[0]!.message,
    ).toContain('may not be specified when `port` is non-numeric');
    expect(
      read('  podSelector: {}\n  ingress:\n  - ports:\n    - {endPort: 90}\n').diagnostics[0]!
        .message,
    ).toContain('may not be specified when `port` is not specified');
  });

  it('an ipBlock that is not a CIDR', () => {
    const r = read(
      '  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.300/8\n',
    );
    expect(r.policies).toEqual([]);
    expect(r.diagnostics[0]!.message).toBe(
      'NetworkPolicy x/p: spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.300/8": must be a valid CIDR (e.g. 10.0.0.0/8)',
    );
    expect(at(r.text, r.diagnostics[0]!)).toBe('10.0.0.300/8');
    expect(
      read('  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.1}\n')
        .diagnostics[0]!.message,
    ).toContain('must be a valid CIDR');
  });

  it('except outside its CIDR, or not smaller than it', () => {
    const r = read(
      '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.244.0.0/16\n        except:\n        - 10.244.1.0/24\n        - 192.168.0.0/24\n        - 10.244.0.0/16\n',
    );
    expect(r.policies).toEqual([]);
    expect(
      r.diagnostics.map((d) => [d.message.replace(/^.*?: spec/, 'spec'), at(r.text, d)]),
    ).toEqual([
      [
        'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "192.168.0.0/24": must be a strict subset of `cidr` (10.244.0.0/16)',
        '192.168.0.0/24',
      ],
      [
        'spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "10.244.0.0/16": must be a strict subset of `cidr` (10.244.0.0/16)',
        '10.244.0.0/16',
      ],
    ]);
  });

  it('a peer with both ipBlock and a selector, an empty peer, an unknown protocol, a bad named port', () => {
    expect(
      read(
        '  podSelector: {}\n  ingress:\n  - from:\n    - {ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}\n',
      ).diagnostics[0]!.message,
    ).toContain('may not specify both ipBlock and another peer');
    expect(
      read('  podSelector: {}\n  ingress:\n  - from:\n    - {}\n').diagnostics[0]!.message,
    ).toContain('must specify a peer');
    expect(
      read('  podSelector: {}\n  ingress:\n  - ports:\n    - {protocol: ICMP}\n').diagnostics[0]!
        .message,
    ).toContain('Unsupported value: "ICMP"');
    expect(
      read('  podSelector: {}\n  ingress:\n  - ports:\n    - {port: Serve_80}\n').diagnostics[0]!
        .message,
    ).toContain('named port must contain only lowercase');
    expect(
      read('  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 70000}\n').diagnostics[0]!
        .message,
    ).toContain('between 1 and 65535');
    expect(read('  podSelector: {}\n  policyTypes: [Ingres]\n').diagnostics[0]!.message).toContain(
      'Unsupported value: "Ingres"',
    );
  });

  it('warns about unknown fields (with a suggestion) and rules policyTypes leaves out', () => {
    const r = read(
      '  podSelector: {}\n  ingres:\n  - {}\n  policyTypes: [Egress]\n  egress: []\n  ingress:\n  - {}\n',
    );
    expect(r.policies).toHaveLength(1);
    expect(
      r.diagnostics.map((d) => [d.severity, d.message.replace(/^NetworkPolicy x\/p: /, '')]),
    ).toEqual([
      ['warning', 'spec.ingres: unknown field "ingres" (did you mean "ingress"?); it is ignored'],
      [
        'warning',
        'spec.ingress: policyTypes does not include "Ingress": these rules have no effect',
      ],
    ]);
  });

  it('never throws on junk (property-style sample)', () => {
    for (const junk of [
      '  podSelector: 7\n',
      '  ingress: {}\n',
      '  ingress: [3]\n',
      '  egress:\n  - to: [null, 1, {ipBlock: 1}]\n',
      '  ingress:\n  - ports: [{port: [1]}, {endPort: x, port: 1}]\n',
      '  podSelector:\n    matchExpressions: {a: 1}\n',
    ])
      expect(() => read(junk)).not.toThrow();
  });
});
