import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, summarizeModel, traceFlow } from '../../core/index';
import { anchorFor, layout } from './layout';

const text = readFileSync(new URL('../default-scenario.yaml', import.meta.url), 'utf8');
const loaded = loadScenario(text);
const summary = summarizeModel(loaded.model!);

describe('layout', () => {
  it('is deterministic', () => {
    expect(layout(summary, 'detail')).toEqual(layout(summary, 'detail'));
  });

  it('draws every device but loopbacks in detail, with parents before children', () => {
    const l = layout(summary, 'detail');
    const ids = new Set(l.nodes.map((n) => n.id));
    for (const ns of summary.netns) for (const d of ns.devices) expect(ids.has(d.id), d.id).toBe(d.kind !== 'loopback');
    expect(l.anchors['pod:default/client#lo']).toBe('pod:default/client');
    const seen = new Set<string>();
    for (const n of l.nodes) {
      if (n.parentId) expect(seen.has(n.parentId)).toBe(true);
      seen.add(n.id);
    }
    expect(l.edges.some((e) => e.className === 'edge-tunnel' && e.label === 'VXLAN VNI 1 udp/8472')).toBe(true);
    expect(l.edges.filter((e) => e.className === 'edge-veth')).toHaveLength(summary.netns.filter((n) => n.kind === 'pod').length);
  });

  it('draws each Service as a virtual IP on no device, dashed to its endpoints, at both levels', () => {
    const web = summary.services!.find((s) => s.name === 'web')!;
    for (const detail of ['detail', 'overview'] as const) {
      const l = layout(summary, detail);
      const node = l.nodes.find((n) => n.id === web.id)!;
      expect(node.type).toBe('service');
      expect(node.parentId).toBe('svcnet');
      const edges = l.edges.filter((e) => e.source === web.id);
      expect(edges.map((e) => e.target).sort()).toEqual(web.endpoints.map((e) => e.netns).sort());
      expect(edges.every((e) => e.className === 'edge-service')).toBe(true);
      // Above the nodes, not inside any device or namespace box.
      expect(l.boxes[web.id]!.y + l.boxes[web.id]!.h).toBeLessThan(0);
    }
  });

  it('hides devices in overview and anchors them to their group', () => {
    const l = layout(summary, 'overview');
    expect(l.nodes.some((n) => n.id.includes('#'))).toBe(false);
    expect(l.anchors['pod:default/client#eth0']).toBe('pod:default/client');
    expect(l.anchors['node-1#flannel.1']).toBe('node-1');
    expect(l.edges.some((e) => e.className === 'edge-tunnel' && e.source === 'node-1' && e.target === 'node-2')).toBe(true);
    for (const e of l.edges) expect(e.source).not.toBe(e.target);
  });

  it('places every hop of the default flow on a canvas node at both levels', () => {
    const model = loadScenario(text).model!;
    const ip = model.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP;
    const r = traceFlow(model, { from: 'pod/default/client', to: `http://${ip}` });
    if (!r.ok) throw new Error(r.error);
    for (const detail of ['detail', 'overview'] as const) {
      const l = layout(summary, detail);
      for (const h of [...r.flow.hops, ...(r.flow.reply?.hops ?? [])]) expect(anchorFor(l, h.deviceId, h.netns), `${h.deviceId}`).toBeTruthy();
    }
  });

  it('keeps child boxes inside their parents', () => {
    const l = layout(summary, 'detail');
    for (const n of l.nodes) {
      if (!n.parentId) continue;
      const c = l.boxes[n.id]!;
      const p = l.boxes[n.parentId]!;
      expect(c.x >= p.x && c.y >= p.y && c.x + c.w <= p.x + p.w + 0.01 && c.y + c.h <= p.y + p.h + 0.01, n.id).toBe(true);
    }
  });
});
