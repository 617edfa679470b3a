import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimClient } from './client';

const text = readFileSync(new URL('../../fixtures/scenarios/netpol-default-deny.yaml', import.meta.url), 'utf8');

describe('sim client: reach (issue 8)', () => {
  it('computes the matrix of the last good model, as hopscope reach prints it', async () => {
    const c = createSimClient();
    await c.load(text);
    const r = await c.reach({ port: 80, protocol: 'TCP' });
    expect(r.result.ok).toBe(true);
    if (!r.result.ok) return;
    const m = r.result.matrix;
    expect(m.pods).toEqual(['default/client', 'default/db', 'default/web']);
    expect(m.cells.map((row) => row.map((x) => (x.allowed ? '.' : 'X')).join(' '))).toEqual(['. X .', 'X . X', 'X X .']);
    expect(m.cells[0]![1]!.explain).toMatch(/default\/default-deny-ingress/);
    expect(m.dns?.cells.every((x) => x.allowed)).toBe(true);
    c.dispose();
  });

  it('traces one cell again with the probe index: the same walk, the same drop', async () => {
    const c = createSimClient();
    await c.load(text);
    const t = await c.trace({ from: 'pod/default/client', to: 'pod/default/db:80', protocol: 'TCP', index: 1 });
    const flow = t.flows[0]!.flow!;
    expect(flow.verdict).toBe('dropped');
    expect(flow.hops.some((h) => /default-deny-ingress/.test(h.explain))).toBe(true);
    c.dispose();
  });

  it('answers an error, not a throw, for a bad port or before any model', async () => {
    const c = createSimClient();
    expect((await c.reach({})).result).toEqual({ ok: false, error: 'no scenario has compiled yet' });
    await c.load(text);
    expect((await c.reach({ port: 0 })).result.ok).toBe(false);
    c.dispose();
  });
});
