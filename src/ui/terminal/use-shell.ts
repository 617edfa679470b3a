/**
 * One shell session over the current scenario: the scenario is compiled in-thread (the shell is
 * pure and fast, and keeping it beside the terminal avoids a worker round trip per key), the
 * session restarts when the text or the place changes, and history survives both.
 */
import { useMemo, useRef } from 'react';
import { loadScenario } from '../../core/index';
import type { ClusterModel } from '../../core/index';
import type { Shell, Where } from '../../core/shell/index';
import { createShell, listPlaces } from '../../core/shell/index';

export interface ShellSession {
  model: ClusterModel | null;
  places: { label: string; where: Where }[];
  shell: Shell | null;
}

/** The session for `text` standing at `place` (a label from `places`; the first when absent). */
export function useShellSession(text: string, place: string | null): ShellSession {
  const history = useRef<string[]>([]);
  const model = useMemo(() => {
    const r = loadScenario(text);
    return r.hasErrors ? null : r.model;
  }, [text]);
  const places = useMemo(() => (model ? listPlaces(model) : []), [model]);
  const shell = useMemo(() => {
    const p = places.find((x) => x.label === place) ?? places.find((x) => x.where.kind === 'pod') ?? places[0];
    if (!model || !p) return null;
    const s = createShell(model, p.where, { history: history.current });
    history.current = s.history;
    return s;
  }, [model, places, place]);
  return { model, places, shell };
}
