import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, summarizeModel } from '../../core/index';
import { createAppStore } from '../store/store';
import { selectCurrentHop, selectHops } from '../store/selectors';
import { AUTO_MAX, createReachController } from './reach-controller';
import type { ReachController } from './reach-controller';

const text = readFileSync(new URL('../../../fixtures/scenarios/netpol-default-deny.yaml', import.meta.url), 'utf8');
const summary = summarizeModel(loadScenario(text).model!);

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

let ctl: ReachController | undefined;
afterEach(() => ctl?.destroy());

describe('reach controller (in-thread worker)', () => {
  it('computes the matrix of the model on screen, and again when a control changes', async () => {
    const store = createAppStore({ text, summary });
    ctl = createReachController(store);
    await until(() => store.getState().reach.status === 'ready');
    expect(store.getState().reach.matrix!.pods).toEqual(['default/client', 'default/db', 'default/web']);
    store.getState().setReachOptions({ port: 0 });
    await until(() => store.getState().reach.status === 'error');
    expect(store.getState().reach.error).toMatch(/port 0/);
  });

  it('plays a denied cell and, at its end, selects the policy drop with the Rules tab', async () => {
    const store = createAppStore({ text, summary });
    ctl = createReachController(store);
    await until(() => store.getState().reach.status === 'ready');
    await ctl.probe(2, 1); // web → db
    const s = store.getState();
    expect(s.flows).toHaveLength(1);
    expect(s.flows[0]).toMatchObject({ from: 'pod/default/web', to: 'pod/default/db:80' });
    expect(s.playing).toBe(true);
    expect(s.reach.cell).toEqual({ row: 2, col: 1 });
    // The animator reaches the last hop and stops.
    store.setState({ hop: selectHops(s).length - 1, playing: false });
    const cur = selectCurrentHop(store.getState())!;
    expect(cur.hop.rule?.text).toMatch(/-j DROP/);
    expect(cur.hop.explain).toMatch(/default\/default-deny-ingress/);
    expect(store.getState().tab).toBe('rules');
  });

  it('leaves the hop alone when the user pauses before the end', async () => {
    const store = createAppStore({ text, summary });
    ctl = createReachController(store);
    await until(() => store.getState().reach.status === 'ready');
    await ctl.probe(0, 1);
    store.setState({ hop: 2, playing: false });
    expect(store.getState().hop).toBe(2);
    expect(store.getState().tab).not.toBe('rules');
  });

  it('waits to be asked above AUTO_MAX pods', async () => {
    // Copies of a user pod's namespace (the matrix leaves kube-system's pods out).
    const user = summary.netns.find((n) => n.pod && n.pod.namespace !== 'kube-system')!;
    const many = { ...summary, netns: Array.from({ length: AUTO_MAX + 1 }, (_, i) => ({ ...user, id: `pod:default/p${i}` })) };
    const store = createAppStore({ text, summary: many });
    ctl = createReachController(store);
    await until(() => store.getState().reach.status === 'large');
    expect(store.getState().reach.pods).toBe(AUTO_MAX + 1);
    await ctl.compute(true);
    expect(store.getState().reach.status).toBe('ready');
  });
});

describe('reach controller: coalescing', () => {
  it('runs one matrix at a time and folds the requests made meanwhile into one rerun with the latest controls', async () => {
    const { createSimClient } = await import('../../worker/client');
    let reaches = 0;
    const counting = () => {
      const c = createSimClient();
      return { ...c, reach: (r?: Parameters<typeof c.reach>[0]) => (reaches++, c.reach(r)) };
    };
    const store = createAppStore({ text, summary });
    ctl = createReachController(store, counting);
    for (const port of [81, 82, 83, 84]) store.getState().setReachOptions({ port });
    await until(() => store.getState().reach.status === 'ready' && store.getState().reach.matrix?.port === 84);
    expect(reaches).toBe(2);
  });
});
