/**
 * The shape of `kind: Cluster` (hopscope/v1alpha1). Every field is optional: a YAML doc with only
 * `kind: Cluster` is a working 2-node cluster. Unknown fields are warned about with a suggestion.
 */
import { CIDR, cidrShape, IPV4, nameShape, STRING_MAP } from './common-shapes';
import { checkClusterSpec, checkCni } from './cluster-checks';
import { IPVS_SCHEDULERS } from './cluster-defaults';
import type { ObjectShape } from './shape';

/** The nodes' own network (the default underlay is 192.168.0.0/24). */
const UNDERLAY_CIDR = cidrShape('192.168.0.0/24');

const NODE_SPEC: ObjectShape = {
  type: 'object',
  fields: {
    name: nameShape(),
    ip: IPV4,
    labels: STRING_MAP,
    subnet: { type: 'number', integer: true, min: 0 },
  },
  required: ['name'],
};

const CLUSTER_SPEC: ObjectShape = {
  type: 'object',
  fields: {
    seed: { type: 'number', integer: true, min: 0, max: 0xffffffff },
    nodes: {
      type: 'union',
      options: [{ type: 'number', integer: true, min: 1, max: 100 }, { type: 'list', items: NODE_SPEC, minItems: 1 }],
      expected: 'a number or a list of nodes',
    },
    underlay: {
      type: 'object',
      fields: {
        type: { type: 'string', enum: ['l2', 'routed', 'cloud'] },
        cidr: UNDERLAY_CIDR,
        subnets: { type: 'list', items: UNDERLAY_CIDR, minItems: 1 },
        mtu: { type: 'number', integer: true, min: 576, max: 9216 },
      },
    },
    podCIDR: CIDR,
    nodeCIDRMaskSize: { type: 'number', integer: true, min: 8, max: 30 },
    serviceCIDR: cidrShape('10.96.0.0/12'),
    clusterDomain: nameShape(),
    cni: {
      type: 'object',
      fields: {
        plugin: { type: 'string', enum: ['bridge', 'kubenet', 'flannel', 'calico'] },
        backend: { type: 'string', enum: ['vxlan', 'host-gw', 'bgp', 'ipip'] },
        crossSubnet: { type: 'boolean' },
        hairpinMode: { type: 'boolean' },
        mtu: { type: 'number', integer: true, min: 68, max: 9216 },
        policy: { type: 'string', enum: ['calico', 'none'] },
      },
      check: checkCni,
    },
    kubeProxy: {
      type: 'object',
      fields: {
        mode: { type: 'string', enum: ['iptables', 'ipvs', 'nftables', 'userspace'] },
        ipvsScheduler: { type: 'string', enum: IPVS_SCHEDULERS },
      },
    },
    dns: { type: 'boolean' },
  },
  check: checkClusterSpec,
};

/** A whole Cluster object. */
export const CLUSTER: ObjectShape = {
  type: 'object',
  fields: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object', fields: { name: nameShape() }, known: ['namespace', 'labels', 'annotations'] },
    spec: CLUSTER_SPEC,
  },
};
