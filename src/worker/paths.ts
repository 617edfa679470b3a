/**
 * Compact paths for the fan-out animation: every flow of a Traffic run reduced to the places it
 * passed (device or namespace ids, consecutive repeats merged) with the few flags the canvas
 * draws, and identical paths interned. A 100-request run costs a few kilobytes instead of the
 * ~2.7 MB its full hop-by-hop traces would (ANCHORS §3.3: clone cost ~10 ms per MiB).
 */
import type { Flow, Hop } from '../core/index';
import type { FlowPaths, PathStep } from './protocol';

function isNat(h: Hop): boolean {
  return (h.changed ?? []).some((c) => /(^|\.)(src|dst|sport|dport)$/.test(c) && !c.startsWith('outer') && !c.startsWith('eth'));
}

function isEncapsulated(h: Hop): boolean {
  return h.packet.headers.filter((x) => x.kind === 'ipv4').length > 1;
}

/** The places one flow passed, request then reply. */
export function pathSteps(flow: Flow): PathStep[] {
  const out: PathStep[] = [];
  const add = (h: Hop, reply: boolean) => {
    const at = h.deviceId ?? h.netns;
    const last = out[out.length - 1];
    const nat = isNat(h);
    const encap = isEncapsulated(h);
    if (last && last.at === at && !!last.reply === reply) {
      if (nat) last.nat = true;
      return;
    }
    out.push({ at, netns: h.netns, ...(reply ? { reply: true } : {}), ...(nat ? { nat: true } : {}), ...(encap ? { encap: true } : {}) });
  };
  for (const h of flow.hops) add(h, false);
  for (const h of flow.reply?.hops ?? []) add(h, true);
  return out;
}

/** Collects flows into interned routes, up to `max` flows. */
export function createPathCollector(max: number): { add(request: number, flow: Flow | undefined): void; result(): FlowPaths } {
  const routes: PathStep[][] = [];
  const index = new Map<string, number>();
  const flows: FlowPaths['flows'] = [];
  let total = 0;
  return {
    add(request, flow) {
      total++;
      if (!flow || flows.length >= max) return;
      const steps = pathSteps(flow);
      const key = JSON.stringify(steps);
      let route = index.get(key);
      if (route === undefined) {
        route = routes.length;
        routes.push(steps);
        index.set(key, route);
      }
      flows.push({ request, route, verdict: flow.verdict, ...(flow.endpoint ? { endpoint: flow.endpoint } : {}) });
    },
    result: () => ({ routes, flows, total }),
  };
}
