import { describe, expect, it } from 'vitest';
import type { ClusterBuilder } from '../../testing/cluster';
import type { Flow, Hop } from '../../trace/types';
import { cluster } from '../../testing/cluster';
import { renderIptablesSave } from '../../render/iptables-save';
import { explainPolicyDrop, policyAllowsIn } from '../../netpol/explain';
import { readNetworkPolicies } from '../../netpol/validate';
import { parseScenario } from '../../scenario/parse';
import { computeReachability, renderReachDns, renderReachMatrix } from '../../simulate/reach';
import { getPolicyEnforcement, setNetworkPolicies } from './index';

const policy = (name: string, ns: string, spec: object) =>
  JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec,
  });
const DENY_EGRESS = (ns: string) =>
  policy('deny-egress', ns, { podSelector: {}, policyTypes: ['Egress'] });
const ALLOW_DNS = (ns: string) =>
  policy('allow-dns', ns, {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'dns' },
            },
            podSelector: { matchLabels: { app: 'dns' } },
          },
        ],
        ports: [{ protocol: 'UDP', port: 53 }],
      },
    ],
  });

/** Two app pods on different nodes, a web server, and a UDP/53 listener standing for DNS. */
function base(plugin = 'calico'): ClusterBuilder {
  return cluster()
    .nodes(2)
    .cni(plugin)
    .pod('client', {
      namespace: 'app',
      node: 'node-1',
      labels: { app: 'client' },
      ports: [8080],
    })
    .pod('web', {
      namespace: 'app',
      node: 'node-2',
      labels: { app: 'web' },
      ports: [80],
    })
    .pod('resolver', {
      namespace: 'dns',
      node: 'node-2',
      labels: { app: 'dns' },
      udpPorts: [53],
    });
}

function policyDrop(f: { hops: Hop[]; reply?: { hops: Hop[] } }): string | undefined {
  for (const h of [...f.hops, ...(f.reply?.hops ?? [])]) {
    const e = explainPolicyDrop(h.rule);
    if (e) return e;
  }
  return undefined;
}

function dropHop(f: Flow): Hop {
  return f.hops.find(
    (h) => h.stage.startsWith('netfilter:filter') && h.rule?.text.includes('DROP'),
  )!;
}

describe('egress deny, with and without DNS allowed', () => {
  it("default-deny egress blocks the pod's DNS lookups and its connections, and says why", () => {
    const c = base().raw(DENY_EGRESS('app')).build();
    const dns = c.trace('pod/app/client', 'pod/dns/resolver:53', {
      protocol: 'UDP',
    });
    expect(dns.verdict).toBe('dropped');
    expect(dns.reason).toBe('filtered');
    const hop = dropHop(dns);
    expect(hop.node).toBe('node-1'); // egress is enforced where the client is
    expect(hop.rule?.chain).toMatch(/^cali-fw-cali[0-9a-f]{11}$/);
    expect(policyDrop(dns)).toBe(
      'default deny: no policy allows it; egress from app/client is isolated by app/deny-egress; the policies have no rule for this direction (dropped by ' +
        hop.rule!.chain +
        ' rule 6).',
    );
    expect(c.trace('pod/app/client', 'pod/app/web:80').verdict).toBe('dropped');
    // Pods the policy does not select are untouched.
    expect(c.trace('pod/dns/resolver', 'pod/app/web:80').verdict).toBe('delivered');
  });

  it('allowing UDP/53 to the DNS pods brings lookups back, and only lookups', () => {
    const c = base().raw(DENY_EGRESS('app')).raw(ALLOW_DNS('app')).build();
    const dns = c.trace('pod/app/client', 'pod/dns/resolver:53', {
      protocol: 'UDP',
    });
    expect(dns.verdict).toBe('delivered');
    const fwd = dns.hops.find(
      (h) => h.node === 'node-1' && h.stage === 'netfilter:filter/FORWARD',
    )!;
    expect(policyAllowsIn(fwd.rule)).toEqual(['app/allow-dns spec.egress[0]']);
    expect(c.trace('pod/app/client', 'pod/app/web:80').verdict).toBe('dropped');
    // TCP/53 is not UDP/53.
    expect(c.trace('pod/app/client', 'pod/dns/resolver:53', { protocol: 'TCP' }).verdict).toBe(
      'dropped',
    );
  });

  it('the reachability matrix shows both', () => {
    const deny = computeReachability(base().raw(DENY_EGRESS('app')).build().model, { port: 80 });
    const fixed = computeReachability(
      base().raw(DENY_EGRESS('app')).raw(ALLOW_DNS('app')).build().model,
      { port: 53, protocol: 'UDP' },
    );
    if (!deny.ok || !fixed.ok) throw new Error('reach failed');
    expect(renderReachMatrix(deny.matrix)).toBe(
      [
        'app/client app/web dns/resolver',
        'app/client R X X', // to itself: never leaves the netns, and nothing listens on 80 (refused)
        'app/web X . X',
        'dns/resolver R . R', // the resolver's egress is not isolated: client and resolver refuse TCP/80
        '',
      ].join('\n'),
    );
    expect(renderReachMatrix(fixed.matrix).split('\n')[1]).toBe('app/client R X .'); // nothing listens on UDP/53 but the resolver (ICMP port unreachable)
  });
});

describe('replies pass via conntrack', () => {
  it('a server that may send nothing still answers a connection its ingress policy allows', () => {
    const c = base()
      .raw(
        policy('web', 'app', {
          podSelector: { matchLabels: { app: 'web' } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: { app: 'client' } } }],
              ports: [{ port: 80 }],
            },
          ],
        }),
      )
      .build();
    const f = c.trace('pod/app/client', 'pod/app/web:80');
    expect(f.verdict).toBe('delivered');
    const replyFwd = f.reply!.hops.find(
      (h) => h.node === 'node-2' && h.stage === 'netfilter:filter/FORWARD',
    )!;
    expect(replyFwd.rule?.text).toContain('--ctstate RELATED,ESTABLISHED -j ACCEPT');
    expect(replyFwd.rule?.chain).toMatch(/^cali-fw-/);
    // The server opening a connection itself is egress, and denied.
    expect(c.trace('pod/app/web', 'pod/app/client:8080').verdict).toBe('dropped');
  });
});

describe('policies added in sequence', () => {
  it('each step narrows reachability; removing the policies restores it', () => {
    const c = base().build();
    const row = () => {
      const m = computeReachability(c.model, { port: 80, dns: false });
      if (!m.ok) throw new Error(m.error);
      return renderReachMatrix(m.matrix).split('\n').slice(1, 4).join(' | ');
    };
    // client listens on 8080 and the resolver on UDP/53 only: their columns are R (refused) on TCP/80.
    expect(row()).toBe('app/client R . R | app/web R . R | dns/resolver R . R');
    const steps = [
      policy('deny-all', 'app', { podSelector: {} }),
      policy('allow-client', 'app', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }],
      }),
    ];
    const read = (docs: string[]) =>
      readNetworkPolicies(parseScenario(docs.join('\n---\n')).scenario).policies;
    expect(setNetworkPolicies(c.model, read(steps.slice(0, 1)))).toEqual([]);
    // deny-all isolates app's pods: other pods' probes of them are denied (X); a pod's probe of
    // itself never leaves its netns, and the resolver is not isolated, so those stay refused (R).
    expect(row()).toBe('app/client R X R | app/web X . R | dns/resolver X X R');
    expect(setNetworkPolicies(c.model, read(steps))).toEqual([]);
    expect(row()).toBe('app/client R . R | app/web X . R | dns/resolver X X R');
    expect(setNetworkPolicies(c.model, [])).toEqual([]);
    expect(row()).toBe('app/client R . R | app/web R . R | dns/resolver R . R');
    expect(getPolicyEnforcement(c.model)?.state.policies).toEqual([]);
  });

  it('an established connection survives a later deny (conntrack first), new ones do not', () => {
    const c = base().build();
    const first = c.trace('pod/app/client', 'pod/app/web:80', { index: 1 });
    expect(first.verdict).toBe('delivered');
    setNetworkPolicies(
      c.model,
      readNetworkPolicies(parseScenario(policy('deny-all', 'app', { podSelector: {} })).scenario)
        .policies,
    );
    // The same connection (same index → same source port) is ESTABLISHED in conntrack.
    expect(c.trace('pod/app/client', 'pod/app/web:80', { index: 1 }).verdict).toBe('delivered');
    expect(c.trace('pod/app/client', 'pod/app/web:80', { index: 2 }).verdict).toBe('dropped');
  });
});

describe('what the engine programs', () => {
  it('renders Felix chains in iptables-save, with the policy named in the rules', () => {
    const c = base()
      .raw(
        policy('web', 'app', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [
            {
              from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.244.0.0/16'] } }],
              ports: [{ port: 80, endPort: 90 }],
            },
          ],
        }),
      )
      .build();
    const node2 = c.model.nodes.find((n) => n.name === 'node-2')!;
    const save = renderIptablesSave(c.model.netns.get(node2.netns)!.netfilter, {
      tables: ['filter'],
    });
    const lines = save.split('\n');
    expect(lines).toContain(
      '-A FORWARD -m comment --comment "cali:wUHhoiAYhphO9Mso" -j cali-FORWARD',
    );
    expect(lines.findIndex((l) => l.includes('cali-FORWARD'))).toBeLessThan(
      lines.findIndex((l) => l.includes('KUBE-FORWARD') && l.startsWith('-A FORWARD')),
    );
    expect(save).toMatch(
      /-A cali-pi-app\/web -s 10\.0\.0\.0\/8 -p tcp -m comment --comment "cali:[\w-]{16}" -m comment --comment "allow: app\/web spec\.ingress\[0\]" -m set ! --match-set cali40s:[\w-]{22} src -m tcp --dport 80:90 -j MARK --set-xmark 0x10000\/0x10000/,
    );
    expect(save).toContain(
      '--comment "default deny: no policy allows it; ingress to app/web is isolated by app/web" -j DROP',
    );
    // The client's node has no workload the policy selects: no policy chain there.
    const node1 = c.model.nodes.find((n) => n.name === 'node-1')!;
    expect(
      renderIptablesSave(c.model.netns.get(node1.netns)!.netfilter, {
        tables: ['filter'],
      }),
    ).not.toContain('cali-pi-');
  });

  it('splits the workload dispatch into a tree by interface prefix once a node has many pods', () => {
    let b = cluster().nodes(1).cni('calico');
    for (let i = 0; i < 20; i++)
      b = b.pod(`p${i}`, {
        namespace: 'x',
        labels: { i: String(i) },
        ports: [80],
      });
    const c = b
      .raw(
        policy('only-p0', 'x', {
          podSelector: { matchLabels: { i: '1' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { i: '0' } } }] }],
        }),
      )
      .build();
    const save = renderIptablesSave(c.model.netns.get(c.model.nodes[0]!.netns)!.netfilter, {
      tables: ['filter'],
    });
    expect(save).toMatch(
      /^-A cali-from-wl-dispatch -i cali[0-9a-f]\+ -m comment --comment "cali:[\w-]{16}" -g cali-from-wl-dispatch-[0-9a-f]$/m,
    );
    expect(save).toMatch(
      /^-A cali-to-wl-dispatch-[0-9a-f] -o cali[0-9a-f]{11} -m comment --comment "cali:[\w-]{16}" -g cali-tw-cali[0-9a-f]{11}$/m,
    );
    expect(c.trace('pod/x/p0', 'pod/x/p1:80').verdict).toBe('delivered');
    expect(c.trace('pod/x/p2', 'pod/x/p1:80').verdict).toBe('dropped');
    expect(c.trace('pod/x/p2', 'pod/x/p3:80').verdict).toBe('delivered');
  });

  it('leaves the filter table alone while no policy exists', () => {
    const c = base().build();
    for (const n of c.model.nodes)
      expect(
        renderIptablesSave(c.model.netns.get(n.netns)!.netfilter, {
          tables: ['filter'],
        }),
      ).not.toContain('cali-');
  });

  it('resolves a named port on each destination pod', () => {
    const named = (name: string, node: string, port: number) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'app', labels: { tier: 'api' } },
        spec: {
          nodeName: node,
          containers: [
            {
              name: 'c',
              image: 'x',
              ports: [{ name: 'api', containerPort: port }, { containerPort: 9999 }],
            },
          ],
        },
      });
    const c = base()
      .raw(named('api-1', 'node-1', 8000))
      .raw(named('api-2', 'node-2', 9000))
      .raw(
        policy('api', 'app', {
          podSelector: { matchLabels: { tier: 'api' } },
          ingress: [{ ports: [{ port: 'api' }] }],
        }),
      )
      .build();
    expect(c.trace('pod/app/client', 'pod/app/api-1:8000').verdict).toBe('delivered');
    expect(c.trace('pod/app/client', 'pod/app/api-2:9000').verdict).toBe('delivered');
    expect(c.trace('pod/app/client', 'pod/app/api-1:9999').verdict).toBe('dropped');
    expect(c.trace('pod/app/client', 'pod/app/api-2:8000').verdict).toBe('dropped'); // 8000 is api-1's "api", not api-2's
  });

  it('egress policy also covers a pod talking to its own node (cali-wl-to-host)', () => {
    const c = base().raw(DENY_EGRESS('app')).build();
    const node1 = c.model.nodes.find((n) => n.name === 'node-1')!;
    const f = c.trace('pod/app/client', `${node1.ip}:10250`);
    expect(f.verdict).toBe('dropped');
    expect(dropHop(f).stage).toBe('netfilter:filter/INPUT');
  });
});

describe('Services', () => {
  const svc = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'app' },
    spec: { selector: { app: 'web' }, ports: [{ port: 8000, targetPort: 80 }] },
  });
  const onlyClient = policy('web', 'app', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [
      { from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 80 }] },
    ],
  });
  const egressToWeb = policy('client-egress', 'app', {
    podSelector: { matchLabels: { app: 'client' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
  });

  for (const mode of ['iptables', 'ipvs'] as const) {
    it(`${mode} mode: policy judges the backend pod after kube-proxy's DNAT, local and remote backends alike`, () => {
      const c = cluster()
        .nodes(2)
        .cni('calico')
        .pod('client', { namespace: 'app', node: 'node-1', labels: { app: 'client' } })
        .pod('other', { namespace: 'app', node: 'node-1', labels: { app: 'other' } })
        .pod('web-1', { namespace: 'app', node: 'node-1', labels: { app: 'web' }, ports: [80] })
        .pod('web-2', { namespace: 'app', node: 'node-2', labels: { app: 'web' }, ports: [80] })
        .raw(svc)
        .raw(onlyClient)
        .raw(egressToWeb)
        .raw(
          JSON.stringify({
            apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
            kind: 'KubeProxyConfiguration',
            mode,
          }),
        )
        .build();
      const vip = `${c.model.services.find((s) => s.metadata.name === 'web')!.spec!.clusterIP!}:8000`;
      const flows = (from: string) =>
        [0, 1, 2, 3, 4, 5].map((i) => c.trace(from, vip, { index: i }));
      const ok = flows('pod/app/client');
      expect(ok.every((f) => f.verdict === 'delivered')).toBe(true);
      expect(new Set(ok.map((f) => f.endpoint))).toEqual(new Set(['app/web-1', 'app/web-2']));
      const denied = flows('pod/app/other');
      expect(denied.map((f) => f.verdict)).toEqual(Array(6).fill('dropped'));
      for (const f of denied) expect(policyDrop(f)).toContain('ingress to app/web-');
    });
  }
});

describe('plugins without a policy engine', () => {
  it('flannel warns at the first policy that N policies will have no effect, and enforces nothing', () => {
    const c = base('flannel').raw(DENY_EGRESS('app')).raw(ALLOW_DNS('app')).build();
    const w = c.result.diagnostics.filter((d) => d.code === 'netpol-not-enforced');
    expect(w).toHaveLength(1);
    expect(w[0]!.severity).toBe('warning');
    expect(w[0]!.message).toMatch(
      /^flannel does not enforce NetworkPolicy; 2 policies will have no effect/,
    );
    expect(
      c.yaml
        .slice(w[0]!.pos.offset)
        .startsWith(
          '{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny-egress"',
        ),
    ).toBe(true);
    expect(c.trace('pod/app/client', 'pod/app/web:80').verdict).toBe('delivered');
  });

  it('bridge says so too; no policies, no warning', () => {
    expect(
      base('bridge')
        .raw(DENY_EGRESS('app'))
        .build()
        .result.diagnostics.find((d) => d.code === 'netpol-not-enforced')?.message,
    ).toMatch(/^bridge does not enforce NetworkPolicy; 1 policy will have no effect/);
    expect(
      base('flannel')
        .build()
        .result.diagnostics.find((d) => d.code === 'netpol-not-enforced'),
    ).toBeUndefined();
  });

  it('Canal (flannel + policy: calico) enforces on bridged same-node traffic too', () => {
    // The harness types only backend/crossSubnet; `policy` goes into spec.cni the same way.
    const canal = { policy: 'calico' } as { backend?: string };
    const c = cluster()
      .nodes(2)
      .cni('flannel', canal)
      .pod('a', {
        namespace: 'x',
        node: 'node-1',
        labels: { app: 'a' },
        ports: [80],
      })
      .pod('b', {
        namespace: 'x',
        node: 'node-1',
        labels: { app: 'b' },
        ports: [80],
      })
      .pod('c', {
        namespace: 'x',
        node: 'node-2',
        labels: { app: 'c' },
        ports: [80],
      })
      .raw(
        policy('only-c', 'x', {
          podSelector: { matchLabels: { app: 'a' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'c' } } }] }],
        }),
      )
      .build();
    expect(c.result.diagnostics.filter((d) => d.code.startsWith('netpol'))).toEqual([]);
    const same = c.trace('pod/x/b', 'pod/x/a:80');
    expect(same.verdict).toBe('dropped');
    const hop = dropHop(same);
    expect(hop.rule?.chain).toMatch(/^cali-tw-veth[0-9a-f]{8}$/);
    expect(policyDrop(same)).toContain('ingress to x/a is isolated by x/only-c');
    expect(same.hops.some((h) => h.stage === 'bridge')).toBe(false); // dropped before the bridge forwards it
    expect(c.trace('pod/x/c', 'pod/x/a:80').verdict).toBe('delivered');
  });
});

describe('the DNS probe of the reachability matrix', () => {
  it('names the pods whose lookups a policy breaks', () => {
    const c = cluster()
      .nodes(2)
      .cni('calico')
      .dns()
      .pod('a', { namespace: 'x', ports: [80] })
      .pod('b', { namespace: 'x', ports: [80] })
      .raw(DENY_EGRESS('x'))
      .build();
    const m = computeReachability(c.model, { port: 80 });
    if (!m.ok) throw new Error(m.error);
    expect(m.matrix.dns?.cells).toHaveLength(2); // the cluster runs CoreDNS behind kube-system/kube-dns
    expect(m.matrix.pods).toEqual(['x/a', 'x/b']);
    expect(renderReachDns(m.matrix)).toMatch(
      /^dns: 2 of 2 pods cannot reach kube-dns [\d.]+:53\/UDP, so their name lookups fail: x\/a x\/b \(first: default deny: no policy allows it; egress from x\/a is isolated by x\/deny-egress/,
    );
  });
});
