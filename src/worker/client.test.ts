import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimClient, SupersededError } from './client';
import type { ClientStatus } from './client';
import type { Transport } from './transport';

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
});
