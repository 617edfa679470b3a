import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ModelNode } from '../model/types';
import { NodeLoad, schedule } from './scheduler';

const node = (name: string, ready: boolean, zone: string): ModelNode => ({ name, ip: '192.168.0.1', labels: { zone }, netns: name, ready, subnet: 0, blocks: [] });

/** The spreading rule as a scan: the ready node with the fewest pods, the first on ties. */
function leastLoadedScan(nodes: ModelNode[], counts: Map<string, number>): ModelNode | undefined {
  let best: ModelNode | undefined;
  for (const n of nodes) if (n.ready && (!best || (counts.get(n.name) ?? 0) < (counts.get(best.name) ?? 0))) best = n;
  return best;
}

describe('NodeLoad', () => {
  it('picks what a scan of every node picks, whatever the binds (duplicate names and unready nodes included)', () => {
    const nodes = fc.array(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), ready: fc.boolean(), zone: fc.constantFrom('x', 'y') }), { maxLength: 9 });
    fc.assert(
      fc.property(nodes, fc.array(fc.oneof(fc.constant('spread'), fc.constantFrom('a', 'b', 'c', 'z')), { maxLength: 60 }), (specs, steps) => {
        const ns = specs.map((s) => node(s.name, s.ready, s.zone));
        const load = new NodeLoad(ns);
        const counts = new Map<string, number>();
        for (const step of steps) {
          const want = step === 'spread' ? {} : { nodeName: step };
          const placed = schedule(ns, load, want);
          const expected = step === 'spread' ? leastLoadedScan(ns, counts) : ns.find((n) => n.name === step);
          expect('node' in placed ? placed.node : undefined).toBe(expected);
          if ('node' in placed) {
            load.bind(placed.node.name);
            counts.set(placed.node.name, (counts.get(placed.node.name) ?? 0) + 1);
          }
          for (const n of ns) expect(load.get(n.name)).toBe(counts.get(n.name) ?? 0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('spreads with nodeSelector among matching nodes only, and counts pods bound by name', () => {
    const ns = [node('n1', true, 'x'), node('n2', true, 'y'), node('n3', true, 'y')];
    const load = new NodeLoad(ns);
    load.bind('n2');
    expect(schedule(ns, load, { nodeSelector: { zone: 'y' } })).toEqual({ node: ns[2] });
    expect(schedule(ns, load, {})).toEqual({ node: ns[0] });
    expect(schedule([], new NodeLoad([]), {})).toEqual({ unschedulable: '0/0 nodes are available' });
  });

  it("words FailedScheduling as kube-scheduler does: per-reason node counts, sorted, then preemption's verdict", () => {
    const ns = [node('n1', true, 'x'), node('n2', false, 'y'), node('n3', true, 'x')];
    expect(schedule(ns, new NodeLoad(ns), { nodeSelector: { zone: 'y' } })).toEqual({
      unschedulable: "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    });
    const down = [node('n1', false, 'x'), node('n2', false, 'y')];
    expect(schedule(down, new NodeLoad(down), {})).toEqual({
      unschedulable: '0/2 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    });
  });
});
