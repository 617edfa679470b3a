/**
 * `kubectl get ingress` and `kubectl describe ingress` for the model's Ingresses.
 *
 * Read first: kubectl's printers (printIngress: CLASS `<none>` without ingressClassName, HOSTS
 * the first three rule hosts then "+ N more...", `*` without any, PORTS "80" or "80, 443" with
 * TLS) and describe.go (`describeIngressV1`, `describeBackendV1`, `formatEndpointSlices`: at
 * most three ready `ip:port` then "+ N more..."), laid out by Go's tabwriter (minwidth 0,
 * tabwidth 8, padding 2, space padding; a cell ends at a tab, and only consecutive lines that
 * share a column align it). AGE is `<unknown>`: the simulation has no clock. Events are not
 * modelled (`<none>`).
 */
import type { ClusterModel } from '../model/types';
import type { EndpointSlice } from '../k8s/types';
import type { Ingress, IngressBackend } from '../ingress/types';
import type { GetOptions } from './kubectl';
import { getIngressState } from '../ingress/controller';
import { renderTable } from './table';

function allIngresses(model: ClusterModel): Ingress[] {
  const s = getIngressState(model);
  return s ? [...s.ingresses, ...s.others] : [];
}

function hostsOf(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const list: string[] = [];
  let more = false;
  for (const r of rules) {
    if (list.length === 3) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (!list.length) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

function addressOf(ing: Ingress): string {
  return (ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').join(',');
}

/** `kubectl get ingress`. */
export function renderGetIngress(model: ClusterModel, o: GetOptions = {}): string {
  const ns = o.namespace ?? 'default';
  const list = allIngresses(model)
    .filter((i) => o.allNamespaces || (i.metadata.namespace ?? 'default') === ns)
    .sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  if (!list.length) return o.allNamespaces ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
  const header = ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'];
  const rows = list.map((i) => {
    const row = [i.metadata.name ?? '', i.spec?.ingressClassName ?? '<none>', hostsOf(i), addressOf(i), i.spec?.tls?.length ? '80, 443' : '80', '<unknown>'];
    return o.allNamespaces ? [i.metadata.namespace ?? 'default', ...row] : row;
  });
  return renderTable(o.allNamespaces ? ['NAMESPACE', ...header] : header, rows);
}

/** Go's text/tabwriter with kubectl describe's settings (padding 2, spaces). */
export function tabwrite(text: string, padding = 2): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const widths: number[][] = lines.map(() => []);
  // Column c of line i is a cell if the line has a cell after it (tab-terminated).
  const format = (col: number, from: number, to: number) => {
    let i = from;
    while (i < to) {
      if (lines[i]!.length - 1 <= col) {
        i++;
        continue;
      }
      const start = i;
      let w = 0;
      while (i < to && lines[i]!.length - 1 > col) {
        w = Math.max(w, lines[i]![col]!.length + padding);
        i++;
      }
      for (let k = start; k < i; k++) widths[k]![col] = w;
      format(col + 1, start, i);
    }
  };
  format(0, 0, lines.length);
  return lines.map((cells, i) => cells.map((c, j) => (j < cells.length - 1 ? c.padEnd(widths[i]![j] ?? 0) : c)).join('')).join('\n');
}

function endpointsText(slices: EndpointSlice[], portName: string | undefined): string {
  if (!slices.length) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const s of slices)
    for (const p of s.ports ?? [])
      if (portName === undefined || (p.name ?? '') === portName)
        for (const e of s.endpoints ?? []) {
          if (list.length === 3) more = true;
          if (e.conditions?.ready === false) continue;
          if (!more) list.push(`${e.addresses[0]}:${p.port}`);
          count++;
        }
  return more ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

function backendText(model: ClusterModel, ns: string, b: IngressBackend | undefined): string {
  const s = b?.service;
  if (!s) return b?.resource ? `APIGroup: ${b.resource.apiGroup ?? '<none>'}, Kind: ${b.resource.kind ?? ''}, Name: ${b.resource.name ?? ''}` : '';
  const sb = `${s.name ?? ''}:${s.port?.number ?? s.port?.name ?? ''}`;
  const svc = model.services.find((x) => x.metadata.name === s.name && (x.metadata.namespace ?? 'default') === ns);
  if (!svc) return `${sb} (<error: services "${s.name ?? ''}" not found>)`;
  let spName = '';
  for (const p of svc.spec.ports ?? []) if ((s.port?.number && p.port === s.port.number) || (s.port?.name && p.name === s.port.name)) spName = p.name ?? '';
  const slices = model.endpointSlices.filter((e) => e.metadata.labels?.['kubernetes.io/service-name'] === s.name && (e.metadata.namespace ?? 'default') === ns);
  return `${sb} (${endpointsText(slices, spName)})`;
}

function mapLines(title: string, m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  if (!keys.length) return `${title}:\t<none>\n`;
  return keys.map((k, i) => `${i === 0 ? `${title}:` : ''}\t${k}=${m![k]}\n`).join('');
}

/** `kubectl describe ingress NAME -n NS`, or null when there is no such Ingress. */
export function renderDescribeIngress(model: ClusterModel, name: string, namespace = 'default'): string | null {
  const ing = allIngresses(model).find((i) => i.metadata.name === name && (i.metadata.namespace ?? 'default') === namespace);
  if (!ing) return null;
  const ns = ing.metadata.namespace ?? 'default';
  const spec = ing.spec ?? {};
  const def = spec.defaultBackend ? backendText(model, ns, spec.defaultBackend) : '<default>';
  let t = `Name:\t${name}\n${mapLines('Labels', ing.metadata.labels)}Namespace:\t${ns}\nAddress:\t${addressOf(ing)}\nIngress Class:\t${spec.ingressClassName ?? '<none>'}\nDefault backend:\t${def}\n`;
  if (spec.tls?.length) {
    t += 'TLS:\n';
    for (const x of spec.tls) t += x.secretName ? `  ${x.secretName} terminates ${(x.hosts ?? []).join(',')}\n` : `  SNI routes ${(x.hosts ?? []).join(',')}\n`;
  }
  t += 'Rules:\n  Host\tPath\tBackends\n  ----\t----\t--------\n';
  let count = 0;
  for (const r of spec.rules ?? []) {
    if (!r.http) continue;
    count++;
    t += `  ${r.host || '*'}\t\n`;
    for (const p of r.http.paths ?? []) t += `    \t${p.path ?? ''} \t${backendText(model, ns, p.backend)}\n`;
  }
  if (!count) t += `  *\t*\t${def}\n`;
  t += mapLines('Annotations', ing.metadata.annotations);
  t += 'Events:\t<none>\n';
  return tabwrite(t);
}
