/**
 * Variant B of a scenario: `--set PATH=VALUE` edits applied to the parsed YAML YAML docs with
 * the `yaml` Document API, so comments, order and every untouched line stay as written.
 *
 *   cni.plugin=calico                         the Cluster spec (a leading `spec.` is optional)
 *   kubeProxy.mode=ipvs
 *   service/NS/NAME.spec.externalTrafficPolicy=Local   any object: KIND/[NS/]NAME.PATH
 *
 * Values are read as YAML scalars (`true`, `5`, `ipvs`). A scenario without a Cluster object
 * gets one (with only what was set) in front.
 */
import { parseAllDocuments, Document, isMap } from 'yaml';

export type VariantResult = { ok: true; text: string } | { ok: false; error: string };

interface Edit {
  kind?: string;
  namespace?: string;
  name?: string;
  path: string[];
  value: unknown;
}

function parseValue(raw: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (raw === 'null') return null;
  return raw;
}

/** Parses one `PATH=VALUE`. */
export function parseSet(set: string): Edit | { error: string } {
  const eq = set.indexOf('=');
  if (eq <= 0) return { error: `--set ${set}: expected PATH=VALUE, e.g. cni.plugin=calico` };
  const lhs = set.slice(0, eq);
  const value = parseValue(set.slice(eq + 1));
  const slash = lhs.lastIndexOf('/');
  if (slash < 0) {
    const path = lhs.split('.').filter(Boolean);
    if (path[0] === 'spec') path.shift();
    return path.length ? { path: ['spec', ...path], value } : { error: `--set ${set}: empty path` };
  }
  const dot = lhs.indexOf('.', slash);
  if (dot < 0) return { error: `--set ${set}: expected KIND/[NS/]NAME.PATH=VALUE, e.g. service/default/web.spec.externalTrafficPolicy=Local` };
  const ref = lhs.slice(0, dot).split('/');
  const path = lhs.slice(dot + 1).split('.').filter(Boolean);
  if (ref.length < 2 || ref.length > 3 || !path.length) return { error: `--set ${set}: expected KIND/[NS/]NAME.PATH=VALUE` };
  const [kind, namespace, name] = ref.length === 2 ? [ref[0]!, 'default', ref[1]!] : (ref as [string, string, string]);
  return { kind: kind.toLowerCase(), namespace, name, path, value };
}

function matchesDoc(doc: Document, e: Edit): boolean {
  const kind = String(doc.get('kind') ?? '').toLowerCase();
  if (!e.kind) return kind === 'cluster';
  if (kind !== e.kind) return false;
  return doc.getIn(['metadata', 'name']) === e.name && String(doc.getIn(['metadata', 'namespace']) ?? 'default') === e.namespace;
}

/** Applies every `--set` to `text`; an edit that names no object is an error. */
export function applySets(text: string, sets: readonly string[]): VariantResult {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { ok: false, error: 'the scenario is empty' };
  const list = docs as Document[];
  if (list.some((d) => d.errors.length)) return { ok: false, error: `the scenario does not parse: ${list.find((d) => d.errors.length)!.errors[0]!.message}` };
  for (const s of sets) {
    const e = parseSet(s);
    if ('error' in e) return { ok: false, error: e.error };
    const doc = list.find((d) => isMap(d.contents) && matchesDoc(d, e));
    if (doc) {
      doc.setIn(e.path, e.value);
      continue;
    }
    if (e.kind) return { ok: false, error: `--set ${s}: no ${e.kind} ${e.namespace}/${e.name} in the scenario` };
    const cluster = new Document({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'variant' }, spec: {} });
    cluster.setIn(e.path, e.value);
    list.unshift(cluster);
  }
  const parts = list.map((d) => d.toString({ flowCollectionPadding: false, lineWidth: 0 }));
  return { ok: true, text: parts.map((p, i) => (i === 0 || p.startsWith('---') ? p : `---\n${p}`)).join('') };
}
