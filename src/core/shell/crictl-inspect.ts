/**
 * `crictl inspectp POD-ID` and `crictl inspect CONTAINER-ID` (cri-tools cmd/crictl sandbox.go,
 * container.go, util.go outputStatusData): the runtime's status of a sandbox or a container and,
 * verbose by default, containerd's `info` (pkg/cri SandboxInfo / ContainerInfo) — where students
 * read `info.pid` for `nsenter -t PID -n`, and the network namespace in
 * `info.runtimeSpec.linux.namespaces`: the sandbox's is /var/run/netns/cni-…, a container's is
 * /proc/PAUSE-PID/ns/net, since it joins its sandbox's.
 *
 * crictl re-marshals both halves through Go maps, so every object's keys come out sorted, then
 * json.Indent with two spaces. Trimmed to the fields the model knows (no createdAt, config or
 * full OCI spec). `-o go-template --template '{{.info.pid}}'` answers dotted paths.
 */
import type { ModelPod } from '../model/types';
import type { ShellContext, ShellResult } from './types';
import { containerId, imageId, sandboxId } from './runtime-ids';
import { pidOf } from './processes';
import { err, out } from './output';

const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Go's json.Marshal of a map: keys sorted, at every level. */
function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k]!)]));
  return v;
}

function podLabels(pod: ModelPod): Record<string, string> {
  return { ...pod.labels, 'io.kubernetes.pod.name': pod.name, 'io.kubernetes.pod.namespace': pod.namespace };
}

function sandboxStatus(ctx: ShellContext, pod: ModelPod): Json {
  const netns = ctx.model.netns.get(pod.netns);
  const namespaces: Json[] = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }];
  if (!pod.hostNetwork && netns) namespaces.push({ type: 'network', path: `/var/run/netns/${netns.name}` });
  return {
    status: {
      id: sandboxId(ctx.model, pod),
      metadata: { attempt: 0, name: pod.name, namespace: pod.namespace },
      state: 'SANDBOX_READY',
      network: { additionalIps: [], ip: pod.hostNetwork ? '' : pod.ip },
      linux: { namespaces: { options: { ipc: 'POD', network: pod.hostNetwork ? 'NODE' : 'POD', pid: 'CONTAINER' } } },
      labels: podLabels(pod),
    },
    info: {
      pid: pidOf(ctx.model, pod) ?? 0,
      processStatus: 'running',
      netNamespaceClosed: false,
      image: PAUSE_IMAGE,
      snapshotter: 'overlayfs',
      runtimeType: 'io.containerd.runc.v2',
      runtimeSpec: { linux: { namespaces } },
    },
  };
}

function containerStatus(ctx: ShellContext, pod: ModelPod, name: string): Json {
  const c = pod.containers.find((x) => x.name === name)!;
  const sandboxPid = pidOf(ctx.model, pod) ?? 0;
  // containerd's WithPodNamespaces: the container joins the sandbox's network, IPC and UTS namespaces through its pause process.
  const join = (type: string, ns: string): Json => ({ type, path: `/proc/${sandboxPid}/ns/${ns}` });
  const namespaces: Json[] = [{ type: 'pid' }, join('ipc', 'ipc'), join('uts', 'uts'), { type: 'mount' }];
  if (!pod.hostNetwork) namespaces.push(join('network', 'net'));
  return {
    status: {
      id: containerId(ctx.model, pod, name),
      metadata: { attempt: 0, name },
      state: 'CONTAINER_RUNNING',
      image: { image: c.image },
      imageRef: `sha256:${imageId(ctx.model, c)}`,
      labels: { 'io.kubernetes.container.name': name, 'io.kubernetes.pod.name': pod.name, 'io.kubernetes.pod.namespace': pod.namespace },
    },
    info: {
      sandboxID: sandboxId(ctx.model, pod),
      pid: pidOf(ctx.model, pod, name) ?? 0,
      snapshotter: 'overlayfs',
      runtimeType: 'io.containerd.runc.v2',
      runtimeSpec: { linux: { namespaces } },
    },
  };
}

/** text/template's `{{.a.b}}` over the JSON: a missing key prints `<no value>`. */
function goTemplate(template: string, data: Json): string {
  return template.replace(/\{\{\s*((?:\.[A-Za-z_][\w]*)+|\.)\s*\}\}/g, (_m, path: string) => {
    let v: Json | undefined = data;
    for (const key of path.split('.').filter(Boolean)) v = v && typeof v === 'object' && !Array.isArray(v) ? v[key] : undefined;
    if (v === undefined) return '<no value>';
    if (typeof v === 'object' && v !== null) return Array.isArray(v) ? `[${v.join(' ')}]` : `map[${Object.keys(v).sort().join(' ')}]`;
    return String(v);
  });
}

function flag(args: string[], names: string[]): string | undefined {
  const i = args.findIndex((a) => names.includes(a) || names.some((n) => a.startsWith(`${n}=`)));
  if (i < 0) return undefined;
  const a = args[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
}

/** `crictl inspectp [ID…]` (every pod of the node without one) and `crictl inspect ID…`. */
export function crictlInspect(ctx: ShellContext, sub: 'inspect' | 'inspectp', args: string[]): ShellResult {
  const valued = new Set(['-o', '--output', '--template', '--name', '--namespace']);
  const ids = args.filter((a, i) => !a.startsWith('-') && !valued.has(args[i - 1] ?? ''));
  const pods = ctx.model.pods.filter((p) => ctx.where.kind === 'node' && p.node === ctx.where.name);
  const found: Json[] = [];
  const quiet = args.includes('-q') || args.includes('--quiet');
  if (sub === 'inspectp') {
    const list = ids.length ? ids.map((id) => pods.find((p) => sandboxId(ctx.model, p).startsWith(id))) : [...pods].reverse();
    const missing = list.indexOf(undefined);
    if (missing >= 0) return err(`FATA[0000] get the status of pod sandboxes: get pod sandbox status: rpc error: code = NotFound desc = an error occurred when try to find sandbox: not found`, 1);
    for (const p of list) found.push(sandboxStatus(ctx, p!));
  } else {
    if (!ids.length) return err('FATA[0000] ID cannot be empty', 1);
    for (const id of ids) {
      const hit = pods.flatMap((p) => p.containers.map((c) => ({ p, c: c.name }))).find((x) => containerId(ctx.model, x.p, x.c).startsWith(id));
      if (!hit) return err(`FATA[0000] get container status: rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`, 1);
      found.push(containerStatus(ctx, hit.p, hit.c));
    }
  }
  // -q: not verbose, so the runtime sends no info.
  const shown = found.map((f) => sortKeys(quiet ? { status: (f as Record<string, Json>)['status']! } : f));
  // "Old behavior: single entries are not encapsulated within an array."
  const data: Json = shown.length === 1 ? shown[0]! : shown;
  const format = flag(args, ['-o', '--output']) ?? 'json';
  if (format === 'json') return out(JSON.stringify(data, null, 2));
  if (format === 'go-template') return out(goTemplate(flag(args, ['--template']) ?? '', data));
  return err(`hopscope: crictl ${sub} -o ${format} is not simulated (json, go-template)`, 1);
}
