import { describe, expect, it, vi } from 'vitest';
import { createSimClient } from '../../worker/client';
import type { SimClient } from '../../worker/client';
import { inThreadTransport } from '../../worker/transport';
import type { TransportFactory } from '../../worker/transport';
import type { ResponseMessage } from '../../worker/protocol';
import type { LoadResponse } from '../../worker/protocol';
import { readFileSync } from 'node:fs';
import { createAppStore } from '../store/store';
import { createSimBridge } from './sim-bridge';
import { selectHops } from '../store/selectors';
import { setSaveSlot } from '../persist';

const text = readFileSync(new URL('../default-scenario.yaml', import.meta.url), 'utf8');

describe('sim bridge (in-thread simulator)', () => {
  it('compiles, runs the Traffic and starts playing a flow that crosses the tunnel', async () => {
    const store = createAppStore();
    const b = createSimBridge(store);
    await b.compileNow(text);
    const s = store.getState();
    expect(s.summary?.netns.length).toBeGreaterThan(3);
    expect(s.summary?.services?.some((v) => v.name === 'web')).toBe(true);
    const hops = selectHops(s);
    expect(hops.some((h) => h.hop.stage === 'encap')).toBe(true);
    expect(hops.some((h) => h.hop.stage.startsWith('netfilter:nat') && (h.hop.changed ?? []).includes('ipv4.dst'))).toBe(true);
    expect(s.flows[s.flowIndex]?.flow?.verdict).toBe('delivered');
    expect(s.playing).toBe(true);
    // The LB demo: 100 requests, tallied per endpoint, every one as a compact path.
    expect(s.tallies[0]?.count).toBe(100);
    expect(Object.values(s.tallies[0]!.byEndpoint).reduce((a, c) => a + c, 0)).toBe(100);
    expect(s.paths?.flows).toHaveLength(100);
    const byEndpoint: Record<string, number> = {};
    for (const f of s.paths!.flows) byEndpoint[f.endpoint!] = (byEndpoint[f.endpoint!] ?? 0) + 1;
    expect(byEndpoint).toEqual(s.tallies[0]!.byEndpoint);
    b.destroy();
  });

  it('keeps the selected flow and hop across a recompile', async () => {
    const store = createAppStore();
    const b = createSimBridge(store, { autoplay: false });
    await b.compileNow(text);
    store.setState({ flowIndex: 1, hop: 7 });
    const before = selectHops(store.getState())[7]!.hop;
    await b.compileNow(`${text}\n# a comment\n`);
    const s = store.getState();
    expect(s.flowIndex).toBe(1);
    expect(s.hop).toBe(7);
    expect(selectHops(s)[7]!.hop.stage).toBe(before.stage);
    b.destroy();
  });

  it('keeps the last good model on screen when the edit has errors', async () => {
    const store = createAppStore();
    const b = createSimBridge(store, { autoplay: false });
    await b.compileNow(text);
    const good = store.getState().summary;
    await b.compileNow(`bad: a: b\n${text}`);
    const s = store.getState();
    expect(s.hasErrors).toBe(true);
    expect(s.stale).toBe(true);
    expect(s.summary).toEqual(good);
    expect(s.diagnostics.some((d) => d.severity === 'error' && d.pos.line === 1)).toBe(true);
    b.destroy();
  });

  it("opens a document with errors on that document's last good model: after a reload, or back from another document", async () => {
    const m = new Map<string, string>();
    const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, String(v)), removeItem: (k: string) => void m.delete(k) };
    (globalThis as { localStorage?: unknown }).localStorage = storage;
    try {
      const bad = `bad: a: b\n${text}`;
      const show = async (b: ReturnType<typeof createSimBridge>, store: ReturnType<typeof createAppStore>, t: string) => {
        store.getState().setText(t);
        await b.compileNow(t);
      };
      setSaveSlot('own');
      const first = createAppStore();
      const a = createSimBridge(first, { autoplay: false });
      await show(a, first, text);
      const good = first.getState().summary;
      expect(good?.name).toBe('demo');
      a.destroy();

      // A reload with the bad edit saved: a new page and worker, and no model yet.
      const store = createAppStore();
      const b = createSimBridge(store, { autoplay: false });
      await show(b, store, bad);
      expect(store.getState().text).toBe(bad);
      expect(store.getState().hasErrors).toBe(true);
      expect(store.getState().stale).toBe(true);
      expect(store.getState().summary).toEqual(good);
      expect(store.getState().diagnostics.some((d) => d.severity === 'error' && d.pos.line === 1)).toBe(true);

      // Another document (a lesson: not saved) on screen, then back to yours with its error.
      setSaveSlot(null);
      await show(b, store, text.replace('metadata: {name: demo}', 'metadata: {name: lesson}'));
      expect(store.getState().summary?.name).toBe('lesson');
      setSaveSlot('own');
      await show(b, store, bad);
      expect(store.getState().stale).toBe(true);
      expect(store.getState().summary?.name).toBe('demo');
      b.destroy();
    } finally {
      setSaveSlot('own');
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it('while the worker restarts and compiles again, says it is compiling and why, not "No problems."', async () => {
    // The first worker says hello and never answers the load; the second is the real simulator.
    let made = 0;
    const transport: TransportFactory = (onMessage, onError) => {
      if (++made > 1) return inThreadTransport(onMessage, onError);
      return { post: (m) => m.type === 'hello' && setTimeout(() => onMessage({ v: m.v, id: m.id, type: m.type, ok: true, payload: {} } as ResponseMessage), 0), terminate: () => undefined };
    };
    const store = createAppStore();
    const b = createSimBridge(store, { autoplay: false, client: (o) => createSimClient({ ...o, transport, loadTimeoutMs: 50 }) });
    await b.compileNow(text);
    // The first compile was dropped at the watchdog; the second is under way.
    expect(made).toBe(2);
    expect(store.getState().summary).toBeNull();
    expect(store.getState().compiling).toBe(true);
    expect(store.getState().notice).toMatch(/^The simulation worker stopped \(no answer to "load" within 0.05 s\) and was restarted\.$/);
    await vi.waitFor(() => expect(store.getState().summary).not.toBeNull(), { timeout: 20_000 });
    expect(store.getState().compiling).toBe(false);
    b.destroy();
  });
});

describe('sim bridge edits', () => {
  const answer: LoadResponse = { summary: null, diagnostics: [], hasErrors: true, stale: false, renderings: {}, pods: '', compileMs: 1 };
  function rig() {
    const loads: string[] = [];
    const client: SimClient = {
      load: (t) => {
        loads.push(t);
        return Promise.resolve(answer);
      },
      trace: () => Promise.resolve({ flows: [] }),
      reach: () => Promise.reject(new Error('unused')),
      dispose: () => undefined,
    };
    const store = createAppStore();
    const b = createSimBridge(store, { autoplay: false, saveMs: 1e9, client: () => client });
    return { loads, store, b };
  }

  it('sends an edit without waiting for a timer, coalescing the edits of one event', async () => {
    const { loads, store, b } = rig();
    b.edit('a');
    b.edit('ab');
    expect(store.getState().text).toBe('ab');
    await Promise.resolve();
    expect(loads).toEqual(['ab']);
    b.edit('abc');
    await Promise.resolve();
    expect(loads).toEqual(['ab', 'abc']);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().appliedEdit).toBe(3);
    b.destroy();
  });

  it('sends nothing after destroy', async () => {
    const { loads, b } = rig();
    b.edit('a');
    b.destroy();
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toEqual([]);
  });
});
