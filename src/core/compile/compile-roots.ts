/**
 * The objects a compile makes once and its per-pod code reads through: the model's root, the
 * plugins' context. Classes rather than object literals, for V8's sake: V8 builds an object
 * literal's template on the literal's second run, and as it does it widens the field types the
 * first run recorded (which shape `model.netns` or `ctx.cluster` holds). Optimised code that relied
 * on them is thrown away. A literal run once per compile did that during the second compile, so
 * the first compile after a warm-up ran bridgeAdd, runPodSandbox and flannel's add unoptimised
 * while V8 redid them. A class's instances are made by its constructor, with no template: the
 * recorded types stay as long as every compile stores the same shapes. Instances are plain data
 * (own enumerable fields in the literal's order: JSON, structuredClone and the views see the same).
 * The lists every compile fills from its first pod on start in the objects' array class
 * (util/object-list.ts).
 */
import type { CniContext } from '../cni/types';
import type { EndpointSlice, Service } from '../k8s/types';
import type { ClusterModel, CniInvocation, ModelNode, ModelPod, Netns, Segment } from '../model/types';
import type { Diagnostic, Severity, SourcePos } from '../scenario/types';
import type { ResolvedCluster } from './resolved';
import { objectList } from '../util/object-list';

/**
 * The plugins' CniContext of one compile. Its reports go to `diagnostics` at `pos`, the object
 * being compiled, which the compiler moves as it goes (a field rather than a closure over a
 * variable: a closure made per compile and called per pod is a new call target each compile, and
 * the optimised pod loop was thrown away on the first pod of the next compile).
 */
export class CompileContext implements CniContext {
  model: ClusterModel;
  cluster: ResolvedCluster;
  diagnostics: Diagnostic[];
  pos: SourcePos;

  constructor(model: ClusterModel, cluster: ResolvedCluster, diagnostics: Diagnostic[], pos: SourcePos) {
    this.model = model;
    this.cluster = cluster;
    this.diagnostics = diagnostics;
    this.pos = pos;
  }

  report(severity: Severity, message: string, code: string): void {
    this.diagnostics.push({ severity, message, code, pos: this.pos });
  }
}

/** An empty ClusterModel for `cluster`, its fields in ClusterModel's order. */
export class ModelRoot implements ClusterModel {
  name: string;
  seed: number;
  clusterDomain: string;
  podCIDR: string;
  serviceCIDR: string;
  cni: ClusterModel['cni'];
  proxyMode: string;
  nodes: ModelNode[];
  pods: ModelPod[];
  netns: Map<string, Netns>;
  segments: Map<string, Segment>;
  cniLog: CniInvocation[];
  pluginState: Map<string, unknown>;
  services: Service[];
  endpointSlices: EndpointSlice[];

  constructor(cluster: ResolvedCluster) {
    this.name = cluster.name;
    this.seed = cluster.seed;
    this.clusterDomain = cluster.clusterDomain;
    this.podCIDR = cluster.podCIDR.text;
    this.serviceCIDR = cluster.serviceCIDR.text;
    this.cni = cluster.cni.backend ? { plugin: cluster.cni.plugin, mtu: 0, backend: cluster.cni.backend } : { plugin: cluster.cni.plugin, mtu: 0 };
    this.proxyMode = cluster.kubeProxy.mode;
    this.nodes = [];
    this.pods = objectList();
    this.netns = new Map();
    this.segments = new Map();
    this.cniLog = objectList();
    this.pluginState = new Map();
    this.services = [];
    this.endpointSlices = [];
  }
}

/**
 * A ResolvedCluster, copied field by field out of `fields` (a literal only this constructor reads:
 * its template's wider types cost nothing here).
 */
export class ClusterRoot implements ResolvedCluster {
  name: string;
  seed: number;
  nodes: ResolvedCluster['nodes'];
  underlay: ResolvedCluster['underlay'];
  podCIDR: ResolvedCluster['podCIDR'];
  nodeCIDRMaskSize: number;
  serviceCIDR: ResolvedCluster['serviceCIDR'];
  clusterDomain: string;
  cni: ResolvedCluster['cni'];
  kubeProxy: ResolvedCluster['kubeProxy'];
  dns: boolean;

  constructor(fields: ResolvedCluster) {
    this.name = fields.name;
    this.seed = fields.seed;
    this.nodes = fields.nodes;
    this.underlay = fields.underlay;
    this.podCIDR = fields.podCIDR;
    this.nodeCIDRMaskSize = fields.nodeCIDRMaskSize;
    this.serviceCIDR = fields.serviceCIDR;
    this.clusterDomain = fields.clusterDomain;
    this.cni = fields.cni;
    this.kubeProxy = fields.kubeProxy;
    this.dns = fields.dns;
  }
}
