/**
 * Shapes for the remaining kinds we read fields of (EndpointSlice, Node, Namespace,
 * KubeProxyConfiguration) and the metadata-only shape for kinds we keep for later layers.
 */
import { CIDR, IPV4, metadataShape, STRING_LIST } from './common-shapes';
import { IPVS_SCHEDULERS } from './cluster-defaults';
import type { ObjectShape, Shape } from './shape';

const ANY: Shape = { type: 'any' };

/** A port of an EndpointSlice or of an Endpoints subset (discovery/v1 EndpointPort, core/v1 EndpointPort: the same fields). */
const PORT_FIELDS: ObjectShape['fields'] = {
  name: { type: 'string' },
  port: { type: 'number', integer: true, min: 1, max: 65535 },
  protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] },
  appProtocol: { type: 'string' },
};

/** discovery.k8s.io/v1 EndpointSlice. */
export const ENDPOINT_SLICE: ObjectShape = {
  type: 'object',
  fields: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: metadataShape(),
    addressType: { type: 'string', enum: ['IPv4', 'IPv6', 'FQDN'] },
    endpoints: {
      type: 'list',
      items: {
        type: 'object',
        fields: {
          addresses: { type: 'list', items: { type: 'string' }, minItems: 1 },
          conditions: { type: 'object', fields: { ready: { type: 'boolean' }, serving: { type: 'boolean' }, terminating: { type: 'boolean' } } },
          hostname: { type: 'string' },
          nodeName: { type: 'string' },
          zone: { type: 'string' },
          targetRef: { type: 'object', fields: {}, open: true },
        },
        required: ['addresses'],
        known: ['deprecatedTopology', 'hints'],
      },
    },
    ports: {
      type: 'list',
      items: {
        type: 'object',
        fields: PORT_FIELDS,
      },
    },
  },
  required: ['metadata', 'addressType'],
};

const ENDPOINT_ADDRESS: ObjectShape = {
  type: 'object',
  fields: { ip: { type: 'string' }, hostname: { type: 'string' }, nodeName: { type: 'string' }, targetRef: { type: 'object', fields: {}, open: true } },
  required: ['ip'],
};

/** core/v1 Endpoints: the subsets the EndpointSlice mirroring controller copies into slices. */
export const ENDPOINTS: ObjectShape = {
  type: 'object',
  fields: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: metadataShape(),
    subsets: {
      type: 'list',
      items: {
        type: 'object',
        fields: {
          addresses: { type: 'list', items: ENDPOINT_ADDRESS },
          notReadyAddresses: { type: 'list', items: ENDPOINT_ADDRESS },
          ports: {
            type: 'list',
            items: {
              type: 'object',
              fields: PORT_FIELDS,
              required: ['port'],
            },
          },
        },
      },
    },
  },
  required: ['metadata'],
};

/** core/v1 Node: its pod CIDR and addresses are what networking reads. */
export const NODE: ObjectShape = {
  type: 'object',
  fields: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: metadataShape(),
    spec: {
      type: 'object',
      fields: { podCIDR: CIDR, podCIDRs: { type: 'list', items: CIDR }, unschedulable: { type: 'boolean' } },
      open: true,
    },
    status: {
      type: 'object',
      fields: {
        addresses: {
          type: 'list',
          items: {
            type: 'object',
            fields: {
              type: { type: 'string', enum: ['InternalIP', 'ExternalIP', 'Hostname', 'InternalDNS', 'ExternalDNS'] },
              address: { type: 'string' },
            },
            required: ['type', 'address'],
          },
        },
      },
      open: true,
    },
  },
  required: ['metadata'],
};

/** Any object we keep without reading its fields: only apiVersion, kind and metadata are checked. */
export function metadataOnlyShape(nameIsLabel = false): ObjectShape {
  return {
    type: 'object',
    fields: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: metadataShape(nameIsLabel) },
    required: ['metadata'],
    open: true,
  };
}

/** kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration; other real fields pass through. */
export const KUBE_PROXY_CONFIGURATION: ObjectShape = {
  type: 'object',
  fields: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    mode: { type: 'string', enum: ['', 'iptables', 'ipvs', 'nftables', 'userspace'], expected: 'one of iptables, ipvs, nftables, userspace' },
    clusterCIDR: { type: 'string' },
    bindAddress: IPV4,
    nodePortAddresses: STRING_LIST,
    ipvs: {
      type: 'object',
      fields: {
        scheduler: { type: 'string', enum: ['', ...IPVS_SCHEDULERS] },
        strictARP: { type: 'boolean' },
        excludeCIDRs: { type: 'list', items: CIDR },
      },
      open: true,
    },
    iptables: ANY,
    conntrack: ANY,
  },
  open: true,
};
