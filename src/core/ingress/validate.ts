/**
 * Checks Ingress objects the way the API server does (pkg/apis/networking/validation:
 * hosts are DNS-1123 subdomains, a wildcard only as the whole first label, never an IP; a path
 * needs a pathType, and Exact/Prefix paths are absolute; a backend is a service or a resource,
 * and a service port is a number or a name) — errors — and the way the controller would
 * complain at sync time — warnings: a backend Service that does not exist in the Ingress's
 * namespace, or has no such port (the controller answers 503 for it). Every diagnostic points
 * at the field.
 */
import type { Service } from '../k8s/types';
import type { Located, Severity, SourcePos } from '../scenario/types';
import type { Ingress, IngressBackend } from './types';
import { isDns1123Subdomain } from '../scenario/names';
import { isIPv4 } from '../util/ip';

type Report = (severity: Severity, message: string, code: string, pos: SourcePos) => void;

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];

/** Why `host` is not a valid Ingress host, or null. */
export function hostProblem(host: string): string | null {
  if (isIPv4(host)) return 'must be a DNS name, not an IP address';
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (bare.includes('*')) return 'a wildcard is allowed only as the first label, as in "*.example.com"';
  if (!isDns1123Subdomain(bare)) return 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\')';
  return null;
}

/** `path` is the display path (`spec.rules[0]…`), `field` the same as a dotted field path for positions. */
function checkBackend(b: IngressBackend | undefined, path: string, field: string, ing: Located<Ingress>, services: readonly Service[], report: Report): void {
  const at = (p: string) => ing.fieldPos(`${field}${p ? `.${p}` : ''}`);
  if (!b || (!b.service && !b.resource)) {
    report('error', `${path}: Invalid value: a backend must specify either service or resource`, 'ingress-backend', at(''));
    return;
  }
  if (b.service && b.resource) report('error', `${path}: Invalid value: cannot set both service and resource backends`, 'ingress-backend', at(''));
  const s = b.service;
  if (!s) return;
  if (!s.name) {
    report('error', `${path}.service.name: Required value`, 'missing-field', at('service'));
    return;
  }
  const hasNumber = s.port?.number !== undefined;
  const hasName = !!s.port?.name;
  if (hasNumber === hasName) report('error', `${path}.service.port: Invalid value: exactly one of port.number or port.name must be set`, 'ingress-backend', at('service.port'));
  const ns = ing.value.metadata.namespace ?? 'default';
  const svc = services.find((x) => x.metadata.name === s.name && (x.metadata.namespace ?? 'default') === ns);
  if (!svc) {
    report('warning', `${path}.service.name: Service "${ns}/${s.name}" not found; the ingress controller answers 503 Service Temporarily Unavailable for this backend`, 'ingress-service-missing', at('service.name'));
    return;
  }
  const ports = svc.spec.ports ?? [];
  const found = hasNumber ? ports.some((p) => p.port === s.port!.number) : hasName ? ports.some((p) => p.name === s.port!.name) : true;
  if (!found) {
    const want = hasNumber ? String(s.port!.number) : `"${s.port!.name}"`;
    const list = ports.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port))).join(', ') || 'none';
    report('warning', `${path}.service.port: Service "${ns}/${s.name}" has no port ${want} (its ports: ${list}); the ingress controller answers 503 for this backend`, 'ingress-port-missing', at(hasNumber ? 'service.port.number' : 'service.port.name'));
  }
}

/** Validates one Ingress against the API rules and the Services that exist. */
export function validateIngress(ing: Located<Ingress>, services: readonly Service[], report: Report): void {
  const spec = ing.value.spec ?? {};
  const at = (p: string) => ing.fieldPos(p);
  if (!spec.rules?.length && !spec.defaultBackend) report('error', 'spec: Invalid value: either `defaultBackend` or `rules` must be specified', 'ingress-empty', at('spec'));
  if (spec.defaultBackend) checkBackend(spec.defaultBackend, 'spec.defaultBackend', 'spec.defaultBackend', ing, services, report);
  (spec.tls ?? []).forEach((t, i) =>
    (t.hosts ?? []).forEach((h, j) => {
      const why = hostProblem(h);
      if (why) report('error', `spec.tls[${i}].hosts[${j}]: Invalid value: "${h}": ${why}`, 'ingress-host', at(`spec.tls.${i}.hosts.${j}`));
    }),
  );
  (spec.rules ?? []).forEach((r, i) => {
    if (r.host !== undefined && r.host !== '') {
      const why = hostProblem(r.host);
      if (why) report('error', `spec.rules[${i}].host: Invalid value: "${r.host}": ${why}`, 'ingress-host', at(`spec.rules.${i}.host`));
    }
    (r.http?.paths ?? []).forEach((p, j) => {
      const base = `spec.rules[${i}].http.paths[${j}]`;
      const field = `spec.rules.${i}.http.paths.${j}`;
      if (!p.pathType) report('error', `${base}.pathType: Required value: pathType must be specified`, 'missing-field', at(field));
      else if (!PATH_TYPES.includes(p.pathType)) report('error', `${base}.pathType: Unsupported value: "${p.pathType}": supported values: "Exact", "ImplementationSpecific", "Prefix"`, 'ingress-path-type', at(`${field}.pathType`));
      if (p.pathType !== 'ImplementationSpecific' && p.path !== undefined && !p.path.startsWith('/')) report('error', `${base}.path: Invalid value: "${p.path}": must be an absolute path`, 'ingress-path', at(`${field}.path`));
      checkBackend(p.backend, `${base}.backend`, `${field}.backend`, ing, services, report);
    });
  });
}
