/**
 * NetworkPolicy validation and defaulting, as the apiserver does it: a policy the apiserver
 * would refuse becomes an error diagnostic at the offending field and is left out (it never
 * existed in the cluster); unknown fields are warnings. Defaults: a port's protocol is TCP;
 * `policyTypes` is `[Ingress]`, plus `Egress` when `egress` has rules.
 *
 * Read first: pkg/apis/networking/validation/validation.go (ValidateNetworkPolicySpec,
 * ValidateNetworkPolicyPort, ValidateIPBlock) and pkg/apis/networking/v1/defaults.go.
 */
import type { LabelSelector } from '../k8s/types';
import type { Diagnostic, Located, Scenario, Severity } from '../scenario/types';
import type { Policy, PolicyPeer, PolicyPort, PolicyRule, PolicyType } from './types';
import { selectorProblems } from './selectors';
import { parseCidr } from '../util/ip';
import { editDistance } from '../scenario/did-you-mean';

type Obj = Record<string, unknown>;
type Report = (severity: Severity, path: string, message: string) => void;

const SPEC_FIELDS = ['podSelector', 'policyTypes', 'ingress', 'egress'];
const RULE_FIELDS = {
  ingress: ['from', 'ports'],
  egress: ['to', 'ports'],
} as const;
const PEER_FIELDS = ['podSelector', 'namespaceSelector', 'ipBlock'];
const PORT_FIELDS = ['protocol', 'port', 'endPort'];
const IPBLOCK_FIELDS = ['cidr', 'except'];

/** `spec.ingress.0.from` → `spec.ingress[0].from`, as kubectl names fields. */
export function displayPath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownFields(o: Obj, known: readonly string[], at: string, report: Report): void {
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    const near = known.find((f) => editDistance(k, f, 2) <= 2);
    report(
      'warning',
      `${at}.${k}`,
      `unknown field "${k}"${near ? ` (did you mean "${near}"?)` : ''}; it is ignored`,
    );
  }
}

/** IANA_SVC_NAME: at most 15 lowercase alphanumerics or '-', at least one letter, no '--' or '-' at the ends. */
export function portNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return 'must be no more than 15 characters';
  if (!/^[a-z0-9-]+$/.test(name))
    return "must contain only lowercase alphanumeric characters or '-'";
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  if (name.startsWith('-') || name.endsWith('-') || name.includes('--'))
    return "must not begin or end with '-' or contain '--'";
  return undefined;
}

function validPortNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

function readPort(p: unknown, at: string, report: Report): PolicyPort | null {
  if (!isObj(p))
    return (report('error', at, 'a port must be a map (protocol, port, endPort)'), null);
  unknownFields(p, PORT_FIELDS, at, report);
  let ok = true;
  const protocol: unknown = p.protocol ?? 'TCP';
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    report(
      'error',
      `${at}.protocol`,
      `Unsupported value: ${JSON.stringify(protocol)}: supported values: "TCP", "UDP", "SCTP"`,
    );
    ok = false;
  }
  const port = p.port;
  if (typeof port === 'string') {
    const why = portNameProblem(port);
    if (why) {
      report('error', `${at}.port`, `Invalid value: ${JSON.stringify(port)}: a named port ${why}`);
      ok = false;
    }
  } else if (port !== undefined && port !== null && !validPortNumber(port)) {
    report(
      'error',
      `${at}.port`,
      `Invalid value: ${JSON.stringify(port)}: must be between 1 and 65535, inclusive`,
    );
    ok = false;
  }
  const end = p.endPort;
  if (end !== undefined && end !== null) {
    if (port === undefined || port === null) {
      report(
        'error',
        `${at}.endPort`,
        'Required value: may not be specified when `port` is not specified',
      );
      ok = false;
    } else if (typeof port === 'string') {
      report(
        'error',
        `${at}.endPort`,
        'Invalid value: may not be specified when `port` is non-numeric',
      );
      ok = false;
    } else if (!validPortNumber(end)) {
      report(
        'error',
        `${at}.endPort`,
        `Invalid value: ${JSON.stringify(end)}: must be between 1 and 65535, inclusive`,
      );
      ok = false;
    } else if (typeof port === 'number' && end < port) {
      report(
        'error',
        `${at}.endPort`,
        `Invalid value: ${end}: must be greater than or equal to \`port\` (${port})`,
      );
      ok = false;
    }
  }
  if (!ok) return null;
  const out: PolicyPort = { protocol: protocol as PolicyPort['protocol'] };
  if (typeof port === 'number' || typeof port === 'string') out.port = port;
  if (typeof end === 'number' && end !== port) out.endPort = end;
  return out;
}

function readSelector(sel: unknown, at: string, report: Report): boolean {
  const problems = selectorProblems(sel);
  for (const p of problems) report('error', p.path ? `${at}.${p.path}` : at, p.message);
  return problems.length === 0;
}

function readIpBlock(b: unknown, at: string, report: Report): PolicyPeer | null {
  if (!isObj(b)) return (report('error', at, 'ipBlock must be a map (cidr, except)'), null);
  unknownFields(b, IPBLOCK_FIELDS, at, report);
  if (typeof b.cidr !== 'string' || b.cidr === '')
    return (report('error', `${at}.cidr`, 'Required value: an ipBlock needs a cidr'), null);
  const cidr = b.cidr.includes('/') ? parseCidr(b.cidr) : null;
  if (!cidr)
    return (
      report(
        'error',
        `${at}.cidr`,
        `Invalid value: ${JSON.stringify(b.cidr)}: must be a valid CIDR (e.g. 10.0.0.0/8)`,
      ),
      null
    );
  const except: string[] = [];
  let ok = true;
  if (b.except !== undefined && b.except !== null && !Array.isArray(b.except))
    return (report('error', `${at}.except`, 'except must be a list of CIDRs'), null);
  ((b.except as unknown[] | undefined) ?? []).forEach((e, i) => {
    const ex = typeof e === 'string' && e.includes('/') ? parseCidr(e) : null;
    if (!ex) {
      report(
        'error',
        `${at}.except.${i}`,
        `Invalid value: ${JSON.stringify(e)}: must be a valid CIDR (e.g. 10.0.1.0/24)`,
      );
      ok = false;
    } else if (ex.prefix <= cidr.prefix || (ex.network & cidr.mask) >>> 0 !== cidr.network) {
      report(
        'error',
        `${at}.except.${i}`,
        `Invalid value: "${e as string}": must be a strict subset of \`cidr\` (${b.cidr as string})`,
      );
      ok = false;
    } else except.push(e as string);
  });
  return ok ? { kind: 'ipBlock', cidr: b.cidr, except } : null;
}

function readPeer(p: unknown, at: string, report: Report): PolicyPeer | null {
  if (!isObj(p))
    return (
      report('error', at, 'a peer must be a map (podSelector, namespaceSelector, ipBlock)'),
      null
    );
  unknownFields(p, PEER_FIELDS, at, report);
  const has = (k: string) => p[k] !== undefined && p[k] !== null;
  const n = PEER_FIELDS.filter(has).length;
  if (n === 0)
    return (
      report(
        'error',
        at,
        'Required value: must specify a peer (podSelector, namespaceSelector or ipBlock)',
      ),
      null
    );
  if (n > 1 && has('ipBlock'))
    return (report('error', at, 'Forbidden: may not specify both ipBlock and another peer'), null);
  if (has('ipBlock')) return readIpBlock(p.ipBlock, `${at}.ipBlock`, report);
  const okPod = readSelector(p.podSelector, `${at}.podSelector`, report);
  const okNs = readSelector(p.namespaceSelector, `${at}.namespaceSelector`, report);
  if (!okPod || !okNs) return null;
  const peer: PolicyPeer = { kind: 'pods' };
  if (has('podSelector')) peer.podSelector = p.podSelector as LabelSelector;
  if (has('namespaceSelector')) peer.namespaceSelector = p.namespaceSelector as LabelSelector;
  return peer;
}

function readList<T>(
  v: unknown,
  at: string,
  report: Report,
  item: (x: unknown, at: string) => T | null,
): T[] | null | false {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) return (report('error', at, 'must be a list'), false);
  const out: T[] = [];
  let ok = true;
  v.forEach((x, i) => {
    const r = item(x, `${at}.${i}`);
    if (r === null) ok = false;
    else out.push(r);
  });
  return ok ? out : false;
}

function readRule(
  r: unknown,
  at: string,
  dir: 'ingress' | 'egress',
  index: number,
  report: Report,
): PolicyRule | null {
  if (!isObj(r))
    return (
      report('error', at, `an ${dir} rule must be a map (${RULE_FIELDS[dir].join(', ')})`),
      null
    );
  unknownFields(r, RULE_FIELDS[dir], at, report);
  const peerKey = dir === 'ingress' ? 'from' : 'to';
  const peers = readList(r[peerKey], `${at}.${peerKey}`, report, (x, a) => readPeer(x, a, report));
  const ports = readList(r.ports, `${at}.ports`, report, (x, a) => readPort(x, a, report));
  if (peers === false || ports === false) return null;
  // An empty list means the same as a missing one: every peer, every port.
  return {
    index,
    peers: peers?.length ? peers : null,
    ports: ports?.length ? ports : null,
  };
}

function readPolicyTypes(v: unknown, report: Report): PolicyType[] | null | false {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v))
    return (
      report('error', 'spec.policyTypes', 'must be a list of "Ingress" and/or "Egress"'),
      false
    );
  let ok = v.length <= 2;
  if (!ok) report('error', 'spec.policyTypes', `Too many: ${v.length}: must have at most 2 items`);
  v.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') {
      report(
        'error',
        `spec.policyTypes.${i}`,
        `Unsupported value: ${JSON.stringify(t)}: supported values: "Ingress", "Egress"`,
      );
      ok = false;
    }
  });
  return ok ? (v as PolicyType[]) : false;
}

function readRules(v: unknown, dir: 'ingress' | 'egress', report: Report): PolicyRule[] | false {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return (report('error', `spec.${dir}`, 'must be a list of rules'), false);
  const out: PolicyRule[] = [];
  let ok = true;
  v.forEach((r, i) => {
    const rule = readRule(r, `spec.${dir}.${i}`, dir, i, report);
    if (rule) out.push(rule);
    else ok = false;
  });
  return ok ? out : false;
}

/** Validates one NetworkPolicy object; null when the apiserver would refuse it. */
export function readNetworkPolicy(obj: Located<Obj>, diagnostics: Diagnostic[]): Policy | null {
  const meta = isObj(obj.value.metadata) ? obj.value.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : undefined;
  const namespace =
    typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
  const label = `NetworkPolicy ${namespace}/${name ?? '?'}`;
  let errors = 0;
  const report: Report = (severity, path, message) => {
    if (severity === 'error') errors++;
    diagnostics.push({
      severity,
      code: severity === 'error' ? 'netpol-invalid' : 'netpol-unknown-field',
      message: `${label}: ${displayPath(path)}: ${message}`,
      pos: obj.fieldPos(path),
    });
  };
  if (!name) return null; // the parser reported the missing name
  const spec = obj.value.spec ?? {};
  if (!isObj(spec)) {
    report('error', 'spec', 'spec must be a map (podSelector, policyTypes, ingress, egress)');
    return null;
  }
  unknownFields(spec, SPEC_FIELDS, 'spec', report);
  readSelector(spec.podSelector, 'spec.podSelector', report);
  const types = readPolicyTypes(spec.policyTypes, report);
  const ingress = readRules(spec.ingress, 'ingress', report);
  const egress = readRules(spec.egress, 'egress', report);
  if (errors || types === false || ingress === false || egress === false) return null;
  const effective =
    types ?? (['Ingress', ...(egress.length ? ['Egress' as const] : [])] as PolicyType[]);
  const policy: Policy = {
    namespace,
    name,
    key: `${namespace}/${name}`,
    podSelector: (spec.podSelector as LabelSelector | undefined) ?? {},
    pos: obj.pos,
  };
  if (effective.includes('Ingress')) policy.ingress = ingress;
  if (effective.includes('Egress')) policy.egress = egress;
  if (!effective.includes('Ingress') && ingress.length)
    report(
      'warning',
      'spec.ingress',
      'policyTypes does not include "Ingress": these rules have no effect',
    );
  if (!effective.includes('Egress') && egress.length)
    report(
      'warning',
      'spec.egress',
      'policyTypes does not include "Egress": these rules have no effect',
    );
  return policy;
}

/** Every valid NetworkPolicy of the scenario, in the order written, plus diagnostics for the rest. */
export function readNetworkPolicies(scenario: Scenario): {
  policies: Policy[];
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const policies: Policy[] = [];
  const seen = new Set<string>();
  for (const o of scenario.others) {
    if (o.value.kind !== 'NetworkPolicy') continue;
    const p = readNetworkPolicy(o as Located<Obj>, diagnostics);
    if (!p || seen.has(p.key)) continue; // duplicates are reported by the parser
    seen.add(p.key);
    policies.push(p);
  }
  return { policies, diagnostics };
}
