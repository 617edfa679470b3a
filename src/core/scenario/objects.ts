/**
 * YAML YAML docs → the objects in them. A YAML doc is one object, except a `List` (what
 * `kubectl get -o yaml` prints), whose items are objects in their own right; their positions
 * point into the list so diagnostics land on the item.
 */
import type { Reporter } from './diagnostics';
import { createLocator } from './positions';
import type { Locator } from './positions';
import type { YamlDocument } from './read-yaml';

/** One object of the scenario before validation: its plain value and where it is. */
export interface RawObject {
  value: Record<string, unknown>;
  locator: Locator;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unpackList(list: Record<string, unknown>, d: YamlDocument, out: Reporter): RawObject[] {
  const items = list['items'];
  const listLocator = createLocator(d.source);
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) {
    out.error('wrong-type', 'items must be a list of objects in a List', listLocator.valuePos(['items']));
    return [];
  }
  const objects: RawObject[] = [];
  items.forEach((item, i) => {
    const locator = createLocator(d.source, ['items', i]);
    if (isPlainObject(item)) objects.push({ value: item, locator });
    else out.error('not-an-object', `items.${i} must be a Kubernetes object (a mapping with apiVersion and kind)`, locator.pos);
  });
  return objects;
}

/** The objects of one YAML doc; reports YAML docs that are not objects at all. */
export function unpackDocument(d: YamlDocument, out: Reporter): RawObject[] {
  const locator = createLocator(d.source);
  if (!isPlainObject(d.value)) {
    out.error('not-an-object', 'a YAML doc must be a Kubernetes or Hopscope object (a mapping with apiVersion and kind)', locator.pos);
    return [];
  }
  // kubectl prints `kind: List` with apiVersion v1; `PodList` and friends have the same layout.
  const kind = d.value['kind'];
  if (typeof kind === 'string' && /^[A-Z]\w*List$/.test(kind) && Array.isArray(d.value['items'])) {
    return unpackList(d.value, d, out);
  }
  if (kind === 'List') return unpackList(d.value, d, out);
  return [{ value: d.value, locator }];
}
