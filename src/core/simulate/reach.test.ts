// The reachability matrix tells apart what a NetworkPolicy truth table lumps together: a policy
// denial, a port nothing listens on, and any other loss on the way.
import { describe, expect, it } from 'vitest';
import { cluster } from '../testing/cluster';
import { computeReachability, REACH_MARKS, renderReachLegend, renderReachMatrix } from './reach';
import type { ReachMatrix } from './reach';
import { restore } from '../netfilter/restore';

const DENY_DB = JSON.stringify({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny-db', namespace: 'default' },
  spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] },
});

/** client (nothing listens), web and db on TCP/80; db isolated by a deny-all ingress policy. */
function build() {
  return cluster()
    .nodes(2)
    .cni('calico')
    .pod('client', { node: 'node-1' })
    .pod('web', { node: 'node-2', ports: [80], labels: { app: 'web' } })
    .pod('db', { node: 'node-2', ports: [80], labels: { app: 'db' } })
    .raw(DENY_DB)
    .build();
}

function matrix(c: ReturnType<typeof build>, opts: Parameters<typeof computeReachability>[1] = {}): ReachMatrix {
  const r = computeReachability(c.model, { dns: false, ...opts });
  if (!r.ok) throw new Error(r.error);
  return r.matrix;
}

const at = (m: ReachMatrix, from: string, to: string) => m.cells[m.pods.indexOf(`default/${from}`)]![m.pods.indexOf(`default/${to}`)]!;

describe('reach outcomes', () => {
  it('allowed, denied by a NetworkPolicy, refused by a port nothing listens on', () => {
    const m = matrix(build());
    expect(at(m, 'client', 'web')).toEqual({ allowed: true, outcome: 'allowed' });
    expect(at(m, 'client', 'db')).toMatchObject({ allowed: false, outcome: 'policy', reason: 'filtered', explain: expect.stringContaining('default/deny-db') });
    expect(at(m, 'web', 'client')).toMatchObject({ allowed: false, outcome: 'refused', reason: 'connection-refused' });
    expect(renderReachMatrix(m)).toBe(['default/client default/db default/web', 'default/client R X .', 'default/db R . .', 'default/web R X .', ''].join('\n'));
  });

  it('a UDP port nothing listens on is refused too (ICMP port unreachable)', () => {
    const m = matrix(build(), { protocol: 'UDP', port: 80 });
    expect(at(m, 'client', 'web')).toMatchObject({ outcome: 'refused', reason: 'port-unreachable' });
    expect(at(m, 'client', 'db')).toMatchObject({ outcome: 'policy' });
  });

  it('a drop that is no policy of the engine (here a plain FORWARD DROP on the node) is `dropped`', () => {
    const c = build();
    const r = restore(c.model.netns.get('node-2')!.netfilter, '*filter\n-I FORWARD 1 -d ' + c.model.pods.find((p) => p.name === 'web')!.ip + ' -j DROP\nCOMMIT\n', { noflush: true });
    expect(r.ok).toBe(true);
    const m = matrix(c);
    expect(at(m, 'client', 'web')).toMatchObject({ allowed: false, outcome: 'dropped', reason: 'filtered' });
    expect(at(m, 'client', 'web').explain).toBeUndefined();
    expect(renderReachMatrix(m).split('\n')[1]).toBe('default/client R X -');
  });

  it('has one distinct mark and one legend line per outcome', () => {
    const marks = Object.values(REACH_MARKS).map((x) => x.mark);
    expect(new Set(marks).size).toBe(4);
    expect(renderReachLegend().trimEnd().split('\n')).toEqual([
      '.  allowed: the request reached a listening socket and the reply came back',
      'X  denied by a NetworkPolicy (the policy engine dropped it)',
      'R  refused: nothing listens on that port (TCP RST, SCTP ABORT or ICMP port unreachable)',
      '-  dropped for another reason (no route, a rule other than a policy, a lost reply): the client times out',
    ]);
  });
});
