/**
 * Every built-in lesson loads without errors and every narration step points at a flow and hop
 * that exist, traced exactly as the web UI traces them (the worker's simulator over the core).
 * A lesson that needs a core feature that has not landed yet (`requires:` in its steps.md) is
 * reported as a todo naming that feature instead of failing.
 */
import { describe, expect, it } from 'vitest';
import { LESSONS, LESSON_ERRORS } from './index';
import type { Lesson } from './format';
import { parseSteps } from './format';
import { resolveStep } from './resolve';
import { createSimulator } from '../worker/simulator';
import { loadScenario } from '../core/index';
import type { TraceResponse } from '../worker/protocol';

interface Checked {
  errors: string[];
  trace: TraceResponse;
}

function check(lesson: Lesson): Checked {
  const errors: string[] = [];
  const direct = loadScenario(lesson.scenario, `${lesson.id}/scenario.yaml`);
  for (const d of direct.diagnostics) if (d.severity === 'error') errors.push(`scenario.yaml:${d.pos.line}:${d.pos.col}: ${d.message}`);
  // The core says so when it stands in for something it does not model (a kube-proxy mode …).
  for (const d of direct.diagnostics) if (/not modelled yet/.test(d.message)) errors.push(`the core: ${d.message}`);
  const sim = createSimulator();
  const loaded = sim.load({ text: lesson.scenario });
  if (loaded.hasErrors) errors.push('the simulator refused the scenario');
  const trace = sim.trace({});
  lesson.steps.forEach((s, i) => {
    const r = resolveStep(s, trace.flows);
    if (!r.ok) errors.push(`step ${i + 1} "${s.title}": ${r.error}`);
  });
  return { errors, trace };
}

const results = new Map(LESSONS.map((l) => [l.id, check(l)]));

describe('lesson library', () => {
  it('has at least 14 lessons, all well-formed, with unique titles', () => {
    expect(LESSON_ERRORS).toEqual([]);
    expect(LESSONS.length).toBeGreaterThanOrEqual(14);
    expect(new Set(LESSONS.map((l) => l.title)).size).toBe(LESSONS.length);
    for (const l of LESSONS) expect(l.steps.length, l.id).toBeGreaterThanOrEqual(3);
  });

  it('covers every topic of the issue', () => {
    const text = LESSONS.map((l) => `${l.title} ${l.scenario}`).join('\n').toLowerCase();
    for (const t of ['pause container', 'cni add', 'bridge', 'kubenet', 'vxlan', 'proxy arp', 'ipip', 'iptables', 'ipvs', 'userspace', 'nodeport', 'externaltrafficpolicy', 'ndots', 'ingress', 'readiness']) expect(text, t).toContain(t);
  });

  it('parses steps.md strictly', () => {
    expect(parseSteps('no front matter')).toMatchObject({ ok: false });
    expect(parseSteps('---\ntitle: t\n---\n## a\nno directive')).toMatchObject({ ok: false, error: expect.stringMatching(/no <!-- flow=N/) });
    expect(parseSteps('---\ntitle: t\n---\n## a\n<!-- flow=0 -->\nx')).toMatchObject({ ok: false, error: expect.stringMatching(/neither hop= nor find=/) });
    expect(parseSteps('---\ntitle: t\nrequires: dns, ipvs\n---\n## a\n<!-- conn=2 find="request dnat" show=tally -->\nBody')).toMatchObject({
      ok: true,
      meta: { title: 't', requires: ['dns', 'ipvs'] },
      steps: [{ title: 'a', flow: 2, role: 'connection', find: 'request dnat', show: 'tally', body: 'Body' }],
    });
  });
});

describe.each(LESSONS.map((l) => [l.id, l] as const))('lesson %s', (id, lesson) => {
  const { errors } = results.get(id)!;
  if (errors.length && lesson.requires.length) {
    it.todo(`pending on core feature(s) ${lesson.requires.join(', ')}: ${errors[0]}`);
    return;
  }
  it('loads without errors and every step points at an existing flow and hop', () => {
    expect(errors).toEqual([]);
  });
});

describe('what the lessons claim', () => {
  it('service-test: each of the two pods answers about half of 200 requests', () => {
    const t = results.get('08-service-iptables')!.trace.tallies![0]!;
    expect(t.delivered).toBe(200);
    const counts = Object.values(t.byEndpoint);
    expect(counts).toHaveLength(2);
    for (const n of counts) expect(n).toBeGreaterThan(70);
  });

  it('readiness: after the fault only server-a answers', () => {
    const [before, after] = results.get('15-readiness')!.trace.tallies!;
    expect(Object.keys(before!.byEndpoint).sort()).toEqual(['default/server-a', 'default/server-b']);
    expect(after!.byEndpoint).toEqual({ 'default/server-a': 4 });
  });

  it('LoadBalancer: Local keeps the client address, Cluster does not', () => {
    const flows = results.get('12-loadbalancer-etp')!.trace.flows;
    const srcAtPod = (i: number) => {
      const h = flows[i]!.flow!.hops.find((x) => x.stage === 'deliver')!;
      return (h.packet.headers.find((x) => x.kind === 'ipv4') as { src: string }).src;
    };
    expect(srcAtPod(0)).not.toBe('203.0.113.10');
    expect(flows[1]!.flow!.verdict).toBe('dropped');
    expect(srcAtPod(2)).toBe('203.0.113.10');
  });
});
