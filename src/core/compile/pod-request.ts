/**
 * A pod as the compiler's per-pod code reads it: the fields of a desired pod (the API object a
 * controller or the scenario made, plus its owner and position) copied into one class per level.
 *
 * Why: the add-on pods (CoreDNS) are made from a Deployment literal and JSON, the user's from the
 * YAML parser, so their metadata, spec, containers and ports had other hidden classes than the
 * user's; an owner made a third DesiredPod shape. System pods get their sandboxes first, and in
 * the first compile they ran before V8 had any feedback for the per-pod functions, which were then
 * optimised for the user's shapes only. Every later compile began with the CoreDNS pods, so
 * runPodSandbox, bridgeAdd, sandboxPod and the functions they inline were thrown away on its first
 * pod and optimised again. Built here, every pod has the same classes whatever made it.
 *
 * A missing optional field is `undefined` on the instance; readers test values (`p.name ? …`,
 * `?? 'TCP'`), never key presence. Lists are built by push (packed, whoever runs the code).
 */
import type { Container, ContainerPort, PodSpec } from '../k8s/types';
import type { DesiredPod } from '../controllers/workloads';
import type { SourcePos } from '../scenario/types';

/** A container port, every field present. */
export class PortRequest implements ContainerPort {
  name: string | undefined;
  containerPort: number;
  protocol: ContainerPort['protocol'];
  hostPort: number | undefined;
  hostIP: string | undefined;

  constructor(p: ContainerPort) {
    this.name = p.name;
    this.containerPort = p.containerPort;
    this.protocol = p.protocol;
    this.hostPort = p.hostPort;
    this.hostIP = p.hostIP;
  }
}

/** A container: its name, image and ports. */
export class ContainerRequest implements Container {
  name: string;
  image: string | undefined;
  ports: PortRequest[];

  constructor(c: Container) {
    this.name = c.name;
    this.image = c.image;
    const ports: PortRequest[] = [];
    if (Array.isArray(c.ports)) for (const p of c.ports) ports.push(new PortRequest(p));
    this.ports = ports;
  }
}

/** The spec fields placement reads (controllers/scheduler.ts hostPortClaims takes it as a PodSpec). */
export class SpecRequest implements PodSpec {
  nodeName: string | undefined;
  nodeSelector: Record<string, string> | undefined;
  hostNetwork: boolean | undefined;
  containers: ContainerRequest[];

  constructor(spec: PodSpec) {
    this.nodeName = spec.nodeName;
    this.nodeSelector = spec.nodeSelector;
    this.hostNetwork = spec.hostNetwork;
    const containers: ContainerRequest[] = [];
    for (const c of spec.containers) containers.push(new ContainerRequest(c));
    this.containers = containers;
  }
}

/** A desired pod the compiler can create: named, with a spec and a list of containers. */
export class PodRequest {
  /** Where the object that caused this pod is in the text. */
  pos: SourcePos;
  owner: string | undefined;
  /** DaemonSet pods are bound to a node by the controller. */
  boundNode: string | undefined;
  /** metadata.namespace as written (undefined: the default namespace). */
  namespace: string | undefined;
  name: string;
  labels: Record<string, string> | undefined;
  annotations: Record<string, string> | undefined;
  terminating: boolean;
  /** Its Ready condition, or true without one. */
  ready: boolean;
  spec: SpecRequest;

  constructor(want: DesiredPod, name: string) {
    const meta = want.pod.metadata;
    this.pos = want.pos;
    this.owner = want.owner;
    this.boundNode = want.boundNode;
    this.namespace = meta.namespace;
    this.name = name;
    this.labels = meta.labels;
    this.annotations = meta.annotations;
    this.terminating = !!meta.deletionTimestamp;
    const cond = want.pod.status?.conditions?.find((c) => c.type === 'Ready');
    this.ready = cond ? cond.status === 'True' : true;
    this.spec = new SpecRequest(want.pod.spec);
  }
}

/**
 * The request for `want`, or null when it has no name, no spec or no list of containers (the
 * parser reported it; the pod is left out).
 */
export function podRequest(want: DesiredPod): PodRequest | null {
  const name = want.pod.metadata?.name;
  if (!name || !want.pod.spec || !Array.isArray(want.pod.spec.containers)) return null;
  return new PodRequest(want, name);
}
