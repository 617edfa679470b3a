/**
 * Answers remembered per network namespace while what they were computed from holds: the route
 * decisions of routes.ts (by destination) and the local-address answers of netns.ts (by
 * address). A walk asks both questions of the same few addresses in every namespace it
 * crosses, and each uncached answer scans every device's addresses (objects of many shapes)
 * and every route.
 *
 * An answer depends on the namespace's routes and devices, on each device's addresses and
 * `up`, and on each route. A memo is kept while the namespace's routes and devices are the
 * same arrays of the same lengths and no writer has called `routingChanged` since. Every writer
 * of routes.ts and netns.ts calls it (`setDeviceUp` included), and so does code that edits a
 * route, a device's address list or an address in place (IPVS's address sync). What this
 * relies on: nothing else edits those in place; route-memo.test.ts lists the assignments to
 * `up` and `addresses` in the sources to hold new code to it.
 */
import type { Device, Netns, Route } from './types';

/** How many times routing-relevant state was changed in a way the arrays' identity and length do not show. */
let routingChanges = 0;

/** Announces a change a memo cannot see for itself (see the header). */
export function routingChanged(): void {
  routingChanges++;
}

/** One namespace's answers and what they were computed against. */
interface Basis<K, V> {
  stamp: number;
  routes: Route[];
  routesLength: number;
  devices: Device[];
  devicesLength: number;
  answers: Map<K, V>;
}

/**
 * Per-namespace answers of one question (`answer(ns, key)`, which must not return undefined),
 * at most `max` per namespace so that no run keeps every address it ever asked about.
 */
export class NamespaceMemo<K, V> {
  private readonly byNs = new WeakMap<Netns, Basis<K, V>>();
  /** The namespace asked about last and its basis: a packet's stages ask of one namespace several times in a row. */
  private lastNs: Netns | undefined = undefined;
  private last: Basis<K, V> | undefined = undefined;

  constructor(
    private readonly answer: (ns: Netns, key: K) => V,
    private readonly max: number,
  ) {}

  /** The answer for `key` in `ns`, remembered or computed now. */
  get(ns: Netns, key: K): V {
    const answers = this.current(ns).answers;
    let v = answers.get(key);
    if (v === undefined) {
      v = this.answer(ns, key);
      if (answers.size >= this.max) answers.clear();
      answers.set(key, v);
    }
    return v;
  }

  /** The basis of `ns`, emptied first when the namespace changed since it was filled. */
  private current(ns: Netns): Basis<K, V> {
    let b = ns === this.lastNs ? this.last : this.byNs.get(ns);
    if (b === undefined) {
      b = { stamp: routingChanges, routes: ns.routes, routesLength: ns.routes.length, devices: ns.devices, devicesLength: ns.devices.length, answers: new Map() };
      this.byNs.set(ns, b);
    } else if (b.stamp !== routingChanges || b.routes !== ns.routes || b.routesLength !== ns.routes.length || b.devices !== ns.devices || b.devicesLength !== ns.devices.length) {
      b.stamp = routingChanges;
      b.routes = ns.routes;
      b.routesLength = ns.routes.length;
      b.devices = ns.devices;
      b.devicesLength = ns.devices.length;
      b.answers.clear();
    }
    this.lastNs = ns;
    this.last = b;
    return b;
  }
}
