import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimClient, SupersededError } from './client';
import type { ClientStatus } from './client';
import type { Transport } from './transport';
import type { RequestMessage, ResponseMessage } from './protocol';

const text = readFileSync(new URL('../ui/default-scenario.yaml', import.meta.url), 'utf8');

describe('sim client (in-thread fallback: Node has no Worker)', () => {
  it('loads the default scenario and traces its Traffic requests', async () => {
    const c = createSimClient();
    const r = await c.load(text);
    expect(r.hasErrors).toBe(false);
    expect(r.summary?.netns.some((n) => n.id === 'pod:default/client')).toBe(true);
    expect(r.renderings['node-1']?.iptablesSave).toContain('*nat');
    const t = await c.trace();
    expect(t.flows.length).toBeGreaterThan(0);
    expect(t.flows[0]!.flow?.verdict).toBe('delivered');
    expect(t.flows[0]!.flow?.hops.some((h) => h.stage === 'encap')).toBe(true);
    c.dispose();
  });

  it('keeps the last good model when the text has errors', async () => {
    const c = createSimClient();
    await c.load(text);
    const bad = await c.load(`${text}\n---\nkind: Cluster\nspec: {nodes: [}\n`);
    expect(bad.hasErrors).toBe(true);
    expect(bad.stale).toBe(true);
    expect(bad.summary).not.toBeNull();
    expect(bad.diagnostics[0]!.pos.line).toBeGreaterThan(1);
    c.dispose();
  });

  it('supersedes a queued load by a newer one', async () => {
    const c = createSimClient();
    const first = c.load(text);
    const second = c.load(text + '\n# b');
    const third = c.load(text + '\n# c');
    await expect(second).rejects.toBeInstanceOf(SupersededError);
    await expect(first).resolves.toBeTruthy();
    await expect(third).resolves.toBeTruthy();
    c.dispose();
  });

  it('restarts a worker that never answers and says so', async () => {
    const statuses: ClientStatus[] = [];
    let created = 0;
    const silent = (): Transport => {
      created++;
      return { post: () => undefined, terminate: () => undefined };
    };
    const c = createSimClient({ transport: silent, timeoutMs: 50, onStatus: (s) => statuses.push(s) });
    const p = c.load(text);
    await expect(p).rejects.toThrow(/restarted/);
    expect(created).toBeGreaterThanOrEqual(2);
    expect(statuses.some((s) => s.kind === 'restarted')).toBe(true);
    c.dispose();
  });

  /** A worker that says hello after `helloMs` and answers each other request `answerMs` after it arrives. */
  function slowWorker(helloMs: number, answerMs: number, posted: RequestMessage[] = []) {
    return (onMessage: (m: ResponseMessage) => void): Transport => ({
      post: (m) => {
        posted.push(m);
        const ok = { v: m.v, id: m.id, type: m.type, ok: true, payload: m.type === 'load' ? { hasErrors: false } : {} } as ResponseMessage;
        setTimeout(() => onMessage(ok), m.type === 'hello' ? helloMs : answerMs);
      },
      terminate: () => undefined,
    });
  }

  it('gives a load its own, longer watchdog: a slow compile is not killed and started over', async () => {
    const statuses: ClientStatus[] = [];
    const c = createSimClient({ transport: slowWorker(0, 120), timeoutMs: 40, loadTimeoutMs: 400, onStatus: (s) => statuses.push(s) });
    await expect(c.load(text)).resolves.toEqual({ hasErrors: false });
    expect(statuses.filter((s) => s.kind === 'restarted')).toEqual([]);
    // Other requests keep the short one.
    const silent = createSimClient({ transport: () => ({ post: () => undefined, terminate: () => undefined }), timeoutMs: 40, loadTimeoutMs: 400 });
    await expect(silent.trace()).rejects.toThrow(/within 0.04 s/);
    c.dispose();
    silent.dispose();
  });

  it("starts a request's watchdog when it reaches the worker, not while the worker boots", async () => {
    const statuses: ClientStatus[] = [];
    const posted: RequestMessage[] = [];
    // Booting (80 ms) and answering (60 ms) each fit the 100 ms budget; together they do not.
    const c = createSimClient({ transport: slowWorker(80, 60, posted), timeoutMs: 100, loadTimeoutMs: 100, onStatus: (s) => statuses.push(s) });
    await expect(c.trace()).resolves.toEqual({});
    expect(statuses.filter((s) => s.kind === 'restarted')).toEqual([]);
    expect(posted.map((m) => m.type)).toEqual(['hello', 'trace']);
    c.dispose();
  });
});
