import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, summarizeModel, traceFlow } from '../../core/index';
import { computeReachability, renderReachMatrix } from '../../core/simulate/reach';
import type { ReachMatrix } from '../../core/simulate/reach';
import { decidingHop, outcomeCounts, probeRequest, reachView, shieldIndex } from './view-model';

const text = readFileSync(new URL('../../../fixtures/scenarios/netpol-default-deny.yaml', import.meta.url), 'utf8');

function matrixOf(src: string, opts = {}): ReachMatrix {
  const r = computeReachability(loadScenario(src).model!, opts);
  if (!r.ok) throw new Error(r.error);
  return r.matrix;
}

describe('reachView', () => {
  const m = matrixOf(text);
  const v = reachView(m);

  it('keeps the CLI order and symbols, row by row', () => {
    const lines = renderReachMatrix(m).trim().split('\n');
    expect(v.columns.map((c) => c.pod).join(' ')).toBe(lines[0]);
    v.rows.forEach((r, i) => expect(`${r.pod} ${r.cells.map((c) => c.symbol).join(' ')}`).toBe(lines[i + 1]));
  });

  it('labels each cell for assistive tech and says why a denied one failed', () => {
    expect(v.rows[0]!.cells[2]).toMatchObject({ label: 'default/client to default/web: allowed', allowed: true });
    const x = v.rows[0]!.cells[1]!;
    expect(x.label).toBe('default/client to default/db: denied by a NetworkPolicy');
    expect(x).toMatchObject({ outcome: 'policy', symbol: 'X' });
    expect(x.why).toMatch(/isolated by default\/default-deny-ingress/);
  });

  it('adds the DNS probe per row and counts denials', () => {
    expect(v.dnsTarget).toMatch(/:53\/UDP$/);
    expect(v.rows[1]!.dns).toMatchObject({ col: 'dns', allowed: true, label: `default/db to kube-dns ${v.dnsTarget}: allowed` });
    expect(v.denied).toBe(5);
    expect(v.counts).toEqual({ allowed: 7, policy: 5, refused: 0, dropped: 0 });
    expect(v.total).toBe(12);
    expect(outcomeCounts(v)).toBe('5 of 12 denied');
  });

  it('names a refused cell and a dropped one apart from a policy denial, with why', () => {
    // Nothing listens on 81: pods the policies leave open refuse it; isolated ones still deny it.
    const on81 = reachView(matrixOf(text, { port: 81 }));
    const self = on81.rows[0]!.cells[0]!; // client to itself: never leaves its netns
    expect(self).toMatchObject({ outcome: 'refused', symbol: 'R', label: 'default/client to default/client: refused, nothing listens' });
    expect(self.why).toBe('nothing listens on that port: the kernel answers with a TCP RST');
    expect(on81.rows[0]!.cells[1]).toMatchObject({ outcome: 'policy', symbol: 'X' });
    expect(outcomeCounts(on81)).toBe('6 of 12 denied · 3 refused');
    const udp = reachView(matrixOf(text, { port: 81, protocol: 'UDP' }));
    expect(udp.rows[0]!.cells[0]!.why).toBe('nothing listens on that port: the kernel answers ICMP port unreachable');
    // A cell the worker could not trace, and a plain drop with a reason the view words.
    const dropped = reachView({ ...m, dns: undefined, pods: ['a/p', 'a/q'], cells: [[{ allowed: false, outcome: 'dropped', reason: 'no-route' }, { allowed: false, outcome: 'dropped', reason: 'reply: filtered' }], []] });
    expect(dropped.rows[0]!.cells.map((c) => [c.symbol, c.label, c.why])).toEqual([
      ['-', 'a/p to a/p: dropped (no route to the destination)', 'no route to the destination'],
      ['-', 'a/p to a/q: dropped (reply: filtered)', 'reply: filtered'],
    ]);
    expect(outcomeCounts(dropped)).toBe('0 of 2 denied · 2 dropped');
  });

  it('groups columns by namespace', () => {
    const two = reachView({ ...m, pods: ['a/p', 'a/q', 'b/r'], cells: [[], [], []] });
    expect(two.groups).toEqual([
      { namespace: 'a', span: 2 },
      { namespace: 'b', span: 1 },
    ]);
  });
});

describe('probeRequest and decidingHop', () => {
  const model = loadScenario(text).model!;
  const m = matrixOf(text);

  it('numbers probes as the matrix does, DNS after every pair', () => {
    expect(probeRequest(m, 0, 1)).toEqual({ from: 'pod/default/client', to: 'pod/default/db:80', protocol: 'TCP', index: 1 });
    expect(probeRequest(m, 2, 0)?.index).toBe(6);
    expect(probeRequest(m, 1, 'dns')).toMatchObject({ protocol: 'UDP', index: 10 });
    expect(probeRequest(m, 1, 'dns')?.to).toMatch(/^10\.96\.\d+\.\d+:53$/);
    expect(probeRequest(m, 9, 0)).toBeUndefined();
    expect(probeRequest({ ...m, protocol: 'ICMP' }, 0, 2)?.to).toBe('pod/default/web');
  });

  it('re-traces a denied cell to the policy drop, which it picks as the deciding hop', () => {
    const req = probeRequest(m, 2, 1)!;
    const r = traceFlow(model, { from: req.from!, to: req.to!, protocol: req.protocol! }, { index: req.index! });
    if (!r.ok) throw new Error(r.error);
    expect(r.flow.verdict).toBe('dropped');
    const i = decidingHop(r.flow.hops);
    expect(r.flow.hops[i]!.rule?.text).toMatch(/-j DROP/);
    expect(r.flow.hops[i]!.explain).toMatch(/default\/default-deny-ingress/);
    expect(i).toBeLessThan(r.flow.hops.length - 1); // the rule's hop, not the bare "drop" after it
  });

  it('falls back to the last hop', () => {
    expect(decidingHop([])).toBe(-1);
  });
});

describe('shieldIndex', () => {
  it('puts a shield on every selected pod naming its policies, memoised per summary', () => {
    const s = summarizeModel(loadScenario(text).model!);
    const idx = shieldIndex(s)!;
    expect(idx.get('default/web')!.policies).toEqual(['default/allow-web-from-client', 'default/default-deny-ingress']);
    expect(idx.get('default/db')!.label).toBe('Selected by NetworkPolicy default/default-deny-ingress (ingress)');
    expect(shieldIndex(s)).toBe(idx);
  });

  it('says so when nothing enforces them, and gives nothing without policies', () => {
    const s = summarizeModel(loadScenario(text.replace('plugin: calico', 'plugin: flannel')).model!);
    expect(shieldIndex(s)!.get('default/db')!.label).toMatch(/not enforced/);
    expect(shieldIndex(null)).toBeUndefined();
    expect(shieldIndex({})).toBeUndefined();
  });
});
