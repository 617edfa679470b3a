// The worker's answers depend on the scenario and seed alone (DESIGN: the same scenario and seed
// give the same trace everywhere). Walks change the model they run on (conntrack entries, ARP
// and FDB entries, rule counters), so asking twice must not walk the state the first answer left.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulator } from './simulator';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/scenarios/${name}`, import.meta.url), 'utf8');

describe('simulator: every answer starts from the compiled model', () => {
  it('traces a scenario twice, and the same again after a reachability matrix, with the same flows', () => {
    const sim = createSimulator();
    sim.load({ text: fixture('service-test.yaml') });
    const first = sim.trace({});
    expect(first.flows.length).toBeGreaterThan(0);
    expect(sim.trace({})).toEqual(first);
    sim.reach({ port: 80, protocol: 'TCP' });
    expect(sim.trace({})).toEqual(first);
  });

  it('traces one connection twice with the same hops (the second is not an established one)', () => {
    const sim = createSimulator();
    sim.load({ text: fixture('two-node.yaml') });
    const req = { from: 'pod/default/a', to: 'pod/default/b:80' };
    const a = sim.trace(req);
    expect(a.flows[0]!.flow, a.flows[0]!.error).toBeDefined();
    expect(sim.trace(req)).toEqual(a);
  });
});
