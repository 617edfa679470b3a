import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, summarizeModel } from '../../core/index';
import { layout } from './layout';
import { HANDLE_SIZE } from './layout-handles';

const text = readFileSync(new URL('../default-scenario.yaml', import.meta.url), 'utf8');
const summary = summarizeModel(loadScenario(text).model!);

describe('layout handles', () => {
  for (const detail of ['detail', 'overview'] as const) {
    it(`declares every handle an edge attaches to, and only those (${detail})`, () => {
      const l = layout(summary, detail);
      const byId = new Map(l.nodes.map((n) => [n.id, n]));
      const used = new Map<string, Set<string>>();
      for (const e of l.edges) {
        for (const [id, h] of [[e.source, e.sourceHandle], [e.target, e.targetHandle]] as const) {
          const n = byId.get(id)!;
          expect(n.handles?.map((x) => x.id), `${e.id} at ${id}`).toContain(h);
          expect(n.data.ports, `${e.id} at ${id}`).toContain(h);
          used.set(id, (used.get(id) ?? new Set()).add(h!));
        }
      }
      for (const n of l.nodes) {
        const want = [...(used.get(n.id) ?? [])].sort();
        expect(n.handles!.map((h) => h.id).sort(), n.id).toEqual(want);
        expect([...n.data.ports!].sort(), n.id).toEqual(want);
      }
    });
  }

  it('in detail, a pod group draws a handle only as a Service endpoint (its devices carry the links)', () => {
    const l = layout(summary, 'detail');
    const endpoints = new Set(summary.services!.flatMap((s) => s.endpoints.map((e) => e.netns)));
    const pods = l.nodes.filter((n) => n.type === 'pod');
    expect(pods.some((p) => !endpoints.has(p.id))).toBe(true);
    for (const p of pods) expect(p.data.ports, p.id).toEqual(endpoints.has(p.id) ? ['t'] : []);
  });

  it('centres each handle on its node top or bottom edge, as React Flow places the element', () => {
    const l = layout(summary, 'detail');
    const veth = l.nodes.find((n) => n.type === 'veth' && n.handles!.length === 2)!;
    const [t, b] = veth.handles!;
    expect(t).toMatchObject({ id: 't', position: 'top', x: veth.width! / 2 - HANDLE_SIZE / 2, y: -HANDLE_SIZE / 2, width: HANDLE_SIZE, height: HANDLE_SIZE });
    expect(b).toMatchObject({ id: 'b', position: 'bottom', x: veth.width! / 2 - HANDLE_SIZE / 2, y: veth.height! - HANDLE_SIZE / 2 });
  });
});
