/**
 * `kubectl get svc`, `kubectl get endpointslices` and `kubectl describe service` for the model's
 * Services and EndpointSlices, in kubectl's layout (spec/services-and-proxy.md §10).
 *
 * Read first: kubectl pkg/describe/describe.go (`describeService`: field order, `<unset>` port
 * names, one Port/TargetPort/NodePort/Endpoints group per port, Events last) and
 * pkg/printers/internalversion/printers.go (service and endpointslice columns, EXTERNAL-IP rules,
 * "+ N more..." after three endpoints). Describe output goes through a tabwriter with padding 2,
 * get tables through `renderTable`. AGE is `<unknown>`: the simulation has no wall clock.
 */
import type { EndpointSlice, Service } from '../k8s/types';
import type { ClusterModel } from '../model/types';
import type { GetOptions } from './kubectl';
import { renderTable } from './table';
import { endpointsAsSlices, writtenEndpoints } from '../controllers/endpoint-slice-mirroring';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** What kubectl prints on stderr for any read of v1 Endpoints from a v1.33+ apiserver (a warning header). */
export const ENDPOINTS_DEPRECATED = 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

function nsOf(o: { metadata: { namespace?: string } }): string {
  return o.metadata.namespace ?? 'default';
}

function byNamespaceAndName<T extends { metadata: { namespace?: string; name?: string } }>(list: T[], o: GetOptions): T[] {
  const ns = o.namespace ?? 'default';
  return list.filter((x) => o.allNamespaces || nsOf(x) === ns).sort((a, b) => nsOf(a).localeCompare(nsOf(b)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

function noneFound(o: GetOptions): string {
  return o.allNamespaces ? 'No resources found\n' : `No resources found in ${o.namespace ?? 'default'} namespace.\n`;
}

/** `k=v,k2=v2` with sorted keys, as labels.FormatLabels prints a selector; `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

function lbAddresses(s: Service): string[] {
  return (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter((x) => x);
}

/** The EXTERNAL-IP column. */
function externalIp(s: Service): string {
  const external = s.spec.externalIPs ?? [];
  switch (s.spec.type ?? 'ClusterIP') {
    case 'ExternalName':
      return s.spec.externalName ?? '<none>';
    case 'LoadBalancer': {
      const all = [...lbAddresses(s), ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return external.length ? external.join(',') : '<none>';
  }
}

function portsColumn(s: Service): string {
  const ports = s.spec.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

/** `kubectl get svc [-o wide] [-n NS | -A]`. */
export function renderGetServices(model: ClusterModel, o: GetOptions = {}): string {
  const list = byNamespaceAndName(model.services, o);
  if (!list.length) return noneFound(o);
  const header = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', ...(o.wide ? ['SELECTOR'] : [])];
  const rows = list.map((s) => {
    const type = s.spec.type ?? 'ClusterIP';
    const row = [s.metadata.name ?? '', type, type === 'ExternalName' ? '<none>' : s.spec.clusterIP || '<none>', externalIp(s), portsColumn(s), '<unknown>'];
    if (o.wide) row.push(formatLabels(s.spec.selector));
    return o.allNamespaces ? [nsOf(s), ...row] : row;
  });
  return renderTable(o.allNamespaces ? ['NAMESPACE', ...header] : header, rows);
}

/** At most three items, then ` + N more...`; `empty` when there are none. */
function firstThree(items: string[], empty: string): string {
  if (!items.length) return empty;
  return items.length > 3 ? `${items.slice(0, 3).join(',')} + ${items.length - 3} more...` : items.join(',');
}

/**
 * The ENDPOINTS column of `kubectl get endpoints` (printers.go formatEndpoints) for a Service's
 * v1 Endpoints as the endpoints controller writes them from the same pods: one subset per port
 * list (a slice here), ready addresses sorted as RepackSubsets sorts them (by the IP's text);
 * for each port of a subset every address as IP:port, three shown, then " + N more..."; `<none>`
 * without subsets, an empty cell when the only addresses are not ready.
 */
function endpointsColumn(slices: EndpointSlice[]): string {
  const list: string[] = [];
  let count = 0;
  // No subset at all prints <none>; subsets holding only not-ready addresses print nothing.
  const subsets = slices.some((e) => (e.endpoints ?? []).length > 0);
  for (const e of slices) {
    const addresses = (e.endpoints ?? []).filter((x) => x.conditions?.ready !== false).flatMap((x) => x.addresses).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const ports = e.ports ?? [];
    if (!ports.length) {
      count += addresses.length;
      for (const a of addresses) if (list.length < 3) list.push(a);
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) if (list.length < 3) list.push(`${a}:${p.port ?? ''}`);
    }
  }
  if (!list.length) return subsets ? '' : '<none>';
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

/** True when the endpoints controller owns the Service's v1 Endpoints: it has a selector. */
function controllerManaged(s: Service): boolean {
  return (s.spec.type ?? 'ClusterIP') !== 'ExternalName' && Object.keys(s.spec.selector ?? {}).length > 0;
}

/** One row's object: a Service whose Endpoints a controller writes, or an Endpoints as written. */
type EndpointsRow = { metadata: { namespace?: string; name?: string }; slices: () => EndpointSlice[] };

/**
 * `kubectl get endpoints [-n NS | -A]`: every v1 Endpoints object. The endpoints controller keeps
 * one for each Service with a selector (none for ExternalName), the apiserver its own for
 * `kubernetes`; those written by hand are listed as the apiserver stored them (repacked), whether
 * or not a Service uses them, except where a controller owns that name and overwrote them.
 */
export function renderGetEndpoints(model: ClusterModel, o: GetOptions = {}): string {
  const key = (x: { metadata: { namespace?: string; name?: string } }) => `${nsOf(x)}/${x.metadata.name ?? ''}`;
  const slicesOf = (ns: string, name: string) => () => model.endpointSlices.filter((e) => nsOf(e) === ns && e.metadata.labels?.[SERVICE_NAME_LABEL] === name);
  const rows: EndpointsRow[] = [];
  const owned = new Set<string>();
  for (const s of model.services) {
    if (!controllerManaged(s) && !(nsOf(s) === 'default' && s.metadata.name === 'kubernetes')) continue;
    owned.add(key(s));
    rows.push({ metadata: s.metadata, slices: slicesOf(nsOf(s), s.metadata.name ?? '') });
  }
  for (const ep of writtenEndpoints(model.pluginState)) {
    const meta = ep.metadata ?? {};
    if (owned.has(key({ metadata: meta }))) continue;
    owned.add(key({ metadata: meta }));
    rows.push({ metadata: meta, slices: () => endpointsAsSlices(0, ep) });
  }
  const list = byNamespaceAndName(rows, o);
  if (!list.length) return noneFound(o);
  const table = list.map((r) => {
    const row = [r.metadata.name ?? '', endpointsColumn(r.slices()), '<unknown>'];
    return o.allNamespaces ? [nsOf(r), ...row] : row;
  });
  const header = ['NAME', 'ENDPOINTS', 'AGE'];
  return renderTable(o.allNamespaces ? ['NAMESPACE', ...header] : header, table);
}

/** `kubectl get endpointslices [-n NS | -A]`. */
export function renderGetEndpointSlices(model: ClusterModel, o: GetOptions = {}): string {
  const list = byNamespaceAndName(model.endpointSlices, o);
  if (!list.length) return noneFound(o);
  const header = ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'];
  const rows = list.map((e) => {
    const ports = (e.ports ?? []).map((p) => String(p.port ?? ''));
    const addresses = (e.endpoints ?? []).flatMap((x) => x.addresses);
    const row = [e.metadata.name ?? '', e.addressType, firstThree(ports, '<unset>'), firstThree(addresses, '<unset>'), '<unknown>'];
    return o.allNamespaces ? [nsOf(e), ...row] : row;
  });
  return renderTable(o.allNamespaces ? ['NAMESPACE', ...header] : header, rows);
}

/**
 * Go's text/tabwriter (minwidth 0, padding 2, spaces): cells end at tabs; a column is as wide as
 * its widest cell plus 2 over each run of consecutive lines that have that column.
 */
export function tabwrite(lines: string[], padding = 2): string {
  const rows = lines.map((l) => l.split('\t'));
  const widths = rows.map((r) => new Array<number>(Math.max(0, r.length - 1)).fill(0));
  const columns = Math.max(0, ...rows.map((r) => r.length - 1));
  for (let c = 0; c < columns; c++) {
    for (let i = 0; i < rows.length; ) {
      if (rows[i]!.length - 1 <= c) {
        i++;
        continue;
      }
      let j = i;
      let w = 0;
      for (; j < rows.length && rows[j]!.length - 1 > c; j++) w = Math.max(w, rows[j]![c]!.length);
      for (let k = i; k < j; k++) widths[k]![c] = w + padding;
      i = j;
    }
  }
  return rows.map((r, i) => r.map((cell, c) => (c < r.length - 1 ? cell.padEnd(widths[i]![c]!) : cell)).join('')).join('\n') + '\n';
}

/** `Labels:\tk=v` then `\tk2=v2` per further key, or `<none>`. */
function multiline(title: string, m: Record<string, string> | undefined): string[] {
  const keys = Object.keys(m ?? {}).sort();
  if (!keys.length) return [`${title}:\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${title}:` : ''}\t${k}=${m![k]}`);
}

/** Ready endpoints of the Service's slices for one port name, as `IP:port` (three, then "+ N more..."). */
function endpointsFor(slices: EndpointSlice[], portName: string): string {
  const out: string[] = [];
  for (const e of slices) {
    const port = (e.ports ?? []).find((p) => (p.name ?? '') === portName);
    if (!port) continue;
    for (const x of e.endpoints ?? []) if (x.conditions?.ready !== false) for (const a of x.addresses) out.push(`${a}:${port.port}`);
  }
  return firstThree(out, '<none>');
}

function portLines(s: Service, slices: EndpointSlice[]): string[] {
  const out: string[] = [];
  for (const p of s.spec.ports ?? []) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    out.push(`Port:\t${name}\t${p.port}/${proto}`);
    out.push(`TargetPort:\t${p.targetPort ?? p.port}/${proto}`);
    if (p.nodePort) out.push(`NodePort:\t${name}\t${p.nodePort}/${proto}`);
    out.push(`Endpoints:\t${endpointsFor(slices, p.name ?? '')}`);
  }
  return out;
}

function eventLines(s: Service): string[] {
  if (s.spec.type !== 'LoadBalancer' || !lbAddresses(s).length) return ['Events:\t<none>'];
  return [
    'Events:',
    '  Type\tReason\tAge\tFrom\tMessage',
    '  ----\t------\t----\t----\t-------',
    '  Normal\tEnsuringLoadBalancer\t<unknown>\tservice-controller\tEnsuring load balancer',
    '  Normal\tEnsuredLoadBalancer\t<unknown>\tservice-controller\tEnsured load balancer',
  ];
}

/** `kubectl describe service NAME [-n NS]`; null when there is no such Service. */
export function renderDescribeService(model: ClusterModel, name: string, namespace = 'default'): string | null {
  const s = model.services.find((x) => x.metadata.name === name && nsOf(x) === namespace);
  if (!s) return null;
  const spec = s.spec;
  const slices = model.endpointSlices.filter((e) => nsOf(e) === namespace && e.metadata.labels?.[SERVICE_NAME_LABEL] === name);
  const lines = [`Name:\t${name}`, `Namespace:\t${namespace}`, ...multiline('Labels', s.metadata.labels), ...multiline('Annotations', s.metadata.annotations), `Selector:\t${formatLabels(spec.selector)}`, `Type:\t${spec.type ?? 'ClusterIP'}`];
  if (spec.ipFamilyPolicy) lines.push(`IP Family Policy:\t${spec.ipFamilyPolicy}`);
  // kubectl's describeService writes these three for every type, <none> when empty.
  lines.push(`IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}`);
  lines.push(`IP:\t${spec.clusterIP ?? ''}`);
  lines.push(`IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}`);
  if (spec.externalIPs?.length) lines.push(`External IPs:\t${spec.externalIPs.join(',')}`);
  if (spec.loadBalancerIP) lines.push(`IP:\t${spec.loadBalancerIP}`);
  if (spec.externalName) lines.push(`External Name:\t${spec.externalName}`);
  if (lbAddresses(s).length) lines.push(`LoadBalancer Ingress:\t${lbAddresses(s).join(', ')}`);
  lines.push(...portLines(s, slices));
  lines.push(`Session Affinity:\t${spec.sessionAffinity ?? 'None'}`);
  if (spec.externalTrafficPolicy) lines.push(`External Traffic Policy:\t${spec.externalTrafficPolicy}`);
  if (spec.internalTrafficPolicy) lines.push(`Internal Traffic Policy:\t${spec.internalTrafficPolicy}`);
  if (spec.healthCheckNodePort) lines.push(`HealthCheck NodePort:\t${spec.healthCheckNodePort}`);
  if (spec.loadBalancerSourceRanges?.length) lines.push(`LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}`);
  lines.push(...eventLines(s));
  return tabwrite(lines);
}
