/** Derived reads over the store, memoised on their inputs so selectors stay referentially stable. */
import type { FlowEntry } from '../../worker/protocol';
import type { AppState, PlayHop } from './types';
import { isNatHop } from '../packet/describe';

const hopCache = new WeakMap<FlowEntry, PlayHop[]>();
const EMPTY: PlayHop[] = [];

/** The flow's request hops followed by its reply hops. */
export function flowHops(entry: FlowEntry | undefined): PlayHop[] {
  if (!entry?.flow) return EMPTY;
  let hops = hopCache.get(entry);
  if (!hops) {
    const req = entry.flow.hops.map((hop) => ({ hop, dir: 'request' as const }));
    const rep = (entry.flow.reply?.hops ?? []).map((hop) => ({ hop, dir: 'reply' as const }));
    hops = [...req, ...rep].map((h, i) => ({ ...h, i }));
    hopCache.set(entry, hops);
  }
  return hops;
}

export const selectFlow = (s: AppState): FlowEntry | undefined => s.flows[s.flowIndex];
export const selectHops = (s: AppState): PlayHop[] => flowHops(s.flows[s.flowIndex]);
export const selectCurrentHop = (s: AppState): PlayHop | undefined => selectHops(s)[s.hop];
export const selectPreviousHop = (s: AppState): PlayHop | undefined => (s.hop > 0 ? selectHops(s)[s.hop - 1] : undefined);

/**
 * The Service whose virtual IP the current hop rewrote (kube-proxy's DNAT on the way out, its
 * reversal on the way back), so the canvas can light it up; undefined on other hops.
 */
export function selectNatService(s: AppState): string | undefined {
  const cur = selectCurrentHop(s);
  if (!cur || !isNatHop(cur.hop)) return undefined;
  const prev = selectPreviousHop(s);
  const ips = new Set<string>();
  for (const h of [cur.hop, prev?.hop]) for (const x of h?.packet.headers ?? []) if (x.kind === 'ipv4') ips.add(x.src).add(x.dst);
  return s.summary?.services?.find((v) => (v.clusterIP && ips.has(v.clusterIP)) || v.externalIPs.some((ip) => ips.has(ip)))?.id;
}
