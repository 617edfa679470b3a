import { beforeEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../store/store';
import { createWorkspace } from './workspace';
import { encodeShare } from './codec';
import { loadSavedScenario, saveScenario } from '../persist';
import { followSelections, selectPatch } from './follow';
import type { FlowEntry } from '../../worker/protocol';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, String(v)), removeItem: (k) => void m.delete(k), clear: () => m.clear(), key: (i) => [...m.keys()][i] ?? null, get length() { return m.size; } };
}

function setup() {
  const store = createAppStore();
  const shown: string[] = [];
  const ws = createWorkspace(store, { show: (t) => (store.getState().setText(t), shown.push(t)) }, () => 'default');
  return { store, ws, shown };
}

const hashOf = (text: string, flow?: number, hop?: number) => {
  const r = encodeShare({ text, ...(flow !== undefined ? { flow } : {}), ...(hop !== undefined ? { hop } : {}) });
  if (!r.ok) throw new Error(r.message);
  return r.hash;
};

beforeEach(() => {
  (globalThis as { localStorage?: Storage }).localStorage = memoryStorage();
});

describe('workspace', () => {
  it('opens the default, then your autosaved work', () => {
    const a = setup();
    a.ws.boot({ hash: '' }, 'default');
    expect(a.shown).toEqual(['default']);
    saveScenario('default');
    a.store.getState().setText('mine');
    saveScenario('mine');
    const b = setup();
    b.ws.boot({ hash: '' }, 'default');
    expect(b.shown).toEqual(['mine']);
  });

  it('opens a shared link beside your own work; both stay reachable', () => {
    localStorage.setItem('hopscope.scenario.v1', 'mine');
    const { store, ws, shown } = setup();
    ws.boot({ hash: hashOf('theirs', 1, 4) }, 'default');
    expect(shown).toEqual(['theirs']);
    expect(store.getState()).toMatchObject({ source: 'shared', hasShared: true, pendingSelect: { flow: 1, hop: 4 } });
    saveScenario('theirs, edited');
    store.getState().setText('theirs, edited');
    saveScenario('theirs, edited');
    expect(loadSavedScenario()).toBe('mine');
    ws.switchTo('own');
    expect(store.getState().text).toBe('mine');
    ws.switchTo('shared');
    expect(store.getState().text).toBe('theirs, edited');
  });

  it('a broken link shows a message and leaves your text alone', () => {
    localStorage.setItem('hopscope.scenario.v1', 'mine');
    const { store, ws, shown } = setup();
    ws.boot({ hash: '#s=1.abc$' }, 'default');
    expect(shown).toEqual(['mine']);
    expect(store.getState().openError).toMatch(/could not be opened.*not allowed.*unchanged/);
    expect(ws.openHash(hashOf('x').slice(0, 8))).toBe(false);
    expect(store.getState().text).toBe('mine');
  });

  it('autosave refuses text that is no longer on screen (a stale debounced save)', () => {
    const { store, ws } = setup();
    ws.boot({ hash: '' }, 'default');
    store.getState().setText('new');
    saveScenario('old keystroke');
    expect(loadSavedScenario()).toBeNull();
    saveScenario('new');
    expect(loadSavedScenario()).toBe('new');
  });

  it('share URL carries the text, flow and hop', () => {
    const { store, ws } = setup();
    store.setState({ text: 'kind: Cluster\n', flowIndex: 2, hop: 7 });
    const r = ws.shareUrl('https://example.org/app/');
    expect('url' in r && r.url).toMatch(/^https:\/\/example\.org\/app\/#s=1\.[\w-]+&flow=2&hop=7$/);
  });

  it('selects the linked flow and hop once the flows arrive, clamped to what exists', async () => {
    const { store, ws } = setup();
    followSelections(store);
    ws.boot({ hash: hashOf('theirs', 1, 99) }, 'default');
    const hop = { seq: 0, node: 'n', netns: 'n', stage: 'route', packet: { headers: [], payload: { length: 0, summary: '' } }, explain: '' };
    const flow = { verdict: 'delivered', from: 'a', to: 'b', hops: [hop, hop, hop] } as unknown as FlowEntry['flow'];
    store.getState().setFlows([{ from: 'a', to: 'b', index: 0, flow }, { from: 'a', to: 'b', index: 1, flow }]);
    store.setState({ playing: true });
    await Promise.resolve();
    expect(store.getState()).toMatchObject({ flowIndex: 1, hop: 2, playing: false, pendingSelect: null });
    expect(selectPatch(store.getState(), 5, 0)).toMatchObject({ flowIndex: 1, hop: 0 });
  });
});
