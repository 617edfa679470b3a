/**
 * The Service shape (core/v1 ServiceSpec and ServicePort), with the API server's own rules that
 * matter for networking: port ranges, the NodePort range, names on multi-port Services, and
 * clusterIP being an address, "None" (headless) or empty.
 */
import { isIPv4 } from '../util/ip';
import { IPV4, LABELS, metadataShape, PORT, STRING_LIST } from './common-shapes';
import type { FieldAt, ObjectShape } from './shape';
import { portNameErrors } from './names';

/** A named targetPort is an IANA_SVC_NAME (apimachinery validation.IsValidPortName). */
function checkPortName(s: string, at: FieldAt): void {
  for (const e of portNameErrors(s)) at.error('invalid-port-name', `${at.name}: Invalid value: "${s}": ${e}`);
}

const SERVICE_PORT: ObjectShape = {
  type: 'object',
  fields: {
    name: { type: 'string' },
    protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] },
    port: PORT,
    targetPort: { type: 'union', options: [PORT, { type: 'string', check: checkPortName }], expected: 'a port number or a named container port' },
    // The --service-node-port-range (default 30000-32767) is the API server's rule, checked by
    // compile (controllers/services.ts): a scenario without a Cluster holds objects as stored,
    // and kube-proxy's own test objects use ports such as 3001.
    nodePort: PORT,
    appProtocol: { type: 'string' },
  },
  required: ['port'],
};

/**
 * Kubernetes requires a name on every port once a Service has more than one, and refuses a
 * repeated name or a repeated (protocol, port) pair (pkg/apis/core/validation ValidateService:
 * field.Duplicate on spec.ports[i].name and on spec.ports[i]).
 */
function checkPortNames(ports: unknown[], at: FieldAt): void {
  const names = new Map<string, number>();
  const pairs = new Map<string, number>();
  ports.forEach((p, i) => {
    if (!p || typeof p !== 'object') return;
    const { name, port, protocol } = p as { name?: unknown; port?: unknown; protocol?: unknown };
    if (ports.length >= 2 && !name) {
      at.error('missing-field', `${at.name}.${i}.name is required when a Service has more than one port`, [i]);
    } else if (typeof name === 'string' && name) {
      const first = names.get(name);
      if (first !== undefined) at.error('duplicate-port', `${at.name}[${i}].name: Duplicate value: "${name}" (already the name of ${at.name}[${first}])`, [i, 'name']);
      else names.set(name, i);
    }
    if (typeof port === 'number') {
      const key = `${port}/${typeof protocol === 'string' ? protocol : 'TCP'}`;
      const first = pairs.get(key);
      if (first !== undefined) at.error('duplicate-port', `${at.name}[${i}]: Duplicate value: port ${key} is already ${at.name}[${first}]`, [i, 'port']);
      else pairs.set(key, i);
    }
  });
}

/**
 * A dotted quad whose octets may carry leading zeros (`172.30.0.041`): older API servers stored
 * such addresses and kube-proxy reads them "sloppily" as decimal. compile reports them.
 */
function isSloppyIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

const CLUSTER_IP = {
  type: 'string',
  check: (s: string, at: FieldAt) => {
    if (s !== 'None' && s !== '' && !isIPv4(s) && !isSloppyIPv4(s)) at.error('invalid-ip', `${at.name} must be an IPv4 address, "None" or empty (got "${s}")`);
  },
} as const;

/** An IPv4 address, leading zeros tolerated (see isSloppyIPv4). */
const SERVICE_IPV4 = {
  type: 'string',
  expected: 'an IPv4 address',
  check: (s: string, at: FieldAt) => {
    if (!isIPv4(s) && !isSloppyIPv4(s)) at.error('invalid-ip', `${at.name} must be an IPv4 address such as 10.0.0.1 (got "${s}")`);
  },
} as const;

const SERVICE_SPEC_KNOWN = [
  'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'trafficDistribution',
] as const;

/** A whole Service object. */
export const SERVICE: ObjectShape = {
  type: 'object',
  fields: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: metadataShape(true),
    spec: {
      type: 'object',
      fields: {
        type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] },
        selector: LABELS,
        clusterIP: CLUSTER_IP,
        clusterIPs: { type: 'list', items: CLUSTER_IP },
        ports: { type: 'list', items: SERVICE_PORT, check: checkPortNames },
        externalIPs: { type: 'list', items: SERVICE_IPV4 },
        externalName: { type: 'string' },
        externalTrafficPolicy: { type: 'string', enum: ['Cluster', 'Local'] },
        internalTrafficPolicy: { type: 'string', enum: ['Cluster', 'Local'] },
        healthCheckNodePort: PORT,
        loadBalancerIP: IPV4,
        loadBalancerSourceRanges: STRING_LIST,
        sessionAffinity: { type: 'string', enum: ['None', 'ClientIP'] },
        sessionAffinityConfig: { type: 'object', fields: {}, open: true },
        ipFamilies: { type: 'list', items: { type: 'string', enum: ['IPv4', 'IPv6'] } },
        publishNotReadyAddresses: { type: 'boolean' },
      },
      known: SERVICE_SPEC_KNOWN,
    },
    status: { type: 'any' },
  },
  required: ['metadata'],
};
