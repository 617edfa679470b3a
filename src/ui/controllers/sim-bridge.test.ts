import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createAppStore } from '../store/store';
import { createSimBridge } from './sim-bridge';
import { selectHops } from '../store/selectors';

const text = readFileSync(new URL('../default-scenario.yaml', import.meta.url), 'utf8');

describe('sim bridge (in-thread simulator)', () => {
  it('compiles, traces and starts playing the first flow', async () => {
    const store = createAppStore();
    const b = createSimBridge(store);
    await b.compileNow(text);
    const s = store.getState();
    expect(s.summary?.netns.length).toBeGreaterThan(3);
    expect(s.flows[0]?.flow?.endpoint).toBe('default/server-b');
    expect(selectHops(s).length).toBeGreaterThan(20);
    expect(s.playing).toBe(true);
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
});
