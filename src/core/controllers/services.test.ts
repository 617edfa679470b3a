// The API server's Service rules and the EndpointSlice controller, through loadScenario: every
// bad input is a diagnostic at the field that caused it.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';

const CLUSTER = 'apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec: {nodes: 2, seed: 5}\n';
const WEB = `---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  nodeName: node-1
  containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]
`;

function load(...docs: string[]) {
  const text = [CLUSTER, ...docs].join('');
  const r = loadScenario(text);
  const line = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const diag = (code: string) => r.diagnostics.find((d) => d.code === code);
  return { r, model: r.model!, line, diag };
}

function svc(name: string, spec: string): string {
  return `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n${spec}`;
}

describe('ClusterIP allocation', () => {
  it('gives kubernetes the first address, keeps the tenth for kube-dns, allocates the rest from the upper band by seed', () => {
    const a = load(svc('a', '  ports: [{port: 80}]\n'), svc('b', '  ports: [{port: 80}]\n'));
    const ips = Object.fromEntries(a.model.services.map((s) => [s.metadata.name, s.spec.clusterIP]));
    expect(ips['kubernetes']).toBe('10.96.0.1');
    for (const n of ['a', 'b']) {
      expect(ips[n]).not.toBe('10.96.0.10');
      const [, b, c, d] = ips[n]!.split('.').map(Number);
      expect(((b! - 96) << 16) + (c! << 8) + d!).toBeGreaterThanOrEqual(256); // the lower band stays for static IPs
    }
    const again = load(svc('a', '  ports: [{port: 80}]\n'), svc('b', '  ports: [{port: 80}]\n'));
    expect(again.model.services.map((s) => s.spec.clusterIP)).toEqual(a.model.services.map((s) => s.spec.clusterIP));
    const dns = load(`---\napiVersion: v1\nkind: Service\nmetadata: {name: kube-dns, namespace: kube-system}\nspec:\n  ports: [{name: dns, port: 53, protocol: UDP}]\n`);
    expect(dns.model.services.find((s) => s.metadata.name === 'kube-dns')?.spec.clusterIP).toBe('10.96.0.10');
  });

  it('reports a given IP outside the service CIDR or already taken, at spec.clusterIP', () => {
    const c = load(svc('out', '  clusterIP: 10.0.0.5\n  ports: [{port: 80}]\n'), svc('dup', '  clusterIP: 10.96.0.1\n  ports: [{port: 80}]\n'));
    expect(c.diag('clusterip-outside')).toMatchObject({ severity: 'error', pos: { line: c.line('clusterIP: 10.0.0.5') } });
    expect(c.diag('clusterip-outside')?.message).toContain('The range of valid IPs is 10.96.0.0/12');
    expect(c.diag('clusterip-taken')).toMatchObject({ severity: 'error', pos: { line: c.line('clusterIP: 10.96.0.1') } });
    expect(c.diag('clusterip-taken')?.message).toContain('provided IP is already allocated');
  });

  it('a user Service asking for the kube-dns address is refused at its spec.clusterIP; kube-dns keeps it', () => {
    // kubeadm creates kube-dns (the 10th address) when the cluster is set up, before any user
    // object, so a later Service with that clusterIP gets "provided IP is already allocated".
    const c = load(svc('mine', '  clusterIP: 10.96.0.10\n  ports: [{port: 80}]\n'));
    const taken = c.r.diagnostics.filter((d) => d.code === 'clusterip-taken');
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({ severity: 'error', pos: { line: c.line('clusterIP: 10.96.0.10') } });
    expect(taken[0]!.message).toContain('(to kube-system/kube-dns)');
    expect(c.model.services.find((s) => s.metadata.name === 'kube-dns')?.spec.clusterIP).toBe('10.96.0.10');
  });

  it('refuses externalTrafficPolicy on a Service that is not externally accessible, at the field', () => {
    // pkg/apis/core/validation validateServiceExternalTrafficPolicy: "may only be set for
    // externally-accessible services" (NodePort, LoadBalancer, or a ClusterIP with externalIPs).
    const c = load(svc('inside', '  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n'), svc('outside', '  type: NodePort\n  externalTrafficPolicy: Local\n  ports: [{port: 81}]\n'));
    const bad = c.r.diagnostics.filter((d) => d.code === 'etp-not-external');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ severity: 'error', pos: { line: c.line('externalTrafficPolicy: Local') } });
    expect(bad[0]!.message).toBe('spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services');
  });

  it('refuses what ValidateService refuses: a headless NodePort/LoadBalancer, no ports, an affinity timeout out of range or without ClientIP', () => {
    const c = load(
      svc('hnp', '  type: NodePort\n  clusterIP: None\n  ports: [{port: 80}]\n'),
      svc('hlb', '  type: LoadBalancer\n  clusterIP: None\n  ports: [{port: 81}]\n'),
      svc('noports', '  selector: {app: web}\n'),
      svc('headless-noports', '  clusterIP: None\n  selector: {app: web}\n'),
      svc('long', '  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 100000}}\n  ports: [{port: 82}]\n'),
      svc('none', '  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n  ports: [{port: 83}]\n'),
    );
    const msgs = c.r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.pos.line}: ${d.message}`);
    expect(msgs).toContain(`${c.line('clusterIP: None')}: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`);
    expect(msgs.some((m) => m.endsWith(`spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`))).toBe(true);
    expect(msgs).toContain(`${c.line('name: noports') + 2}: spec.ports: Required value`); // at spec's first field
    expect(msgs.filter((m) => m.includes('spec.ports: Required value'))).toHaveLength(1);
    expect(msgs).toContain(`${c.line('timeoutSeconds: 100000')}: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less than 86400`);
    expect(msgs).toContain(`${c.line('timeoutSeconds: 60')}: spec.sessionAffinityConfig: Invalid value: must not be set when session affinity is None`);
  });

  it('headless keeps None; ExternalName gets no IP, and an IP on it is a diagnostic', () => {
    const c = load(svc('h', '  clusterIP: None\n  ports: [{port: 80}]\n'), svc('x', '  type: ExternalName\n  externalName: 1.2.3.4\n'), svc('y', '  type: ExternalName\n  externalName: db.example.com\n  clusterIP: 10.96.5.5\n'));
    expect(c.model.services.find((s) => s.metadata.name === 'h')?.spec.clusterIP).toBe('None');
    expect(c.model.services.find((s) => s.metadata.name === 'x')?.spec.clusterIP).toBeUndefined();
    expect(c.diag('externalname-ip')).toBeDefined();
    const codes = c.r.diagnostics.filter((d) => d.code === 'externalname-ip');
    expect(codes.map((d) => d.severity).sort()).toEqual(['error', 'warning']);
    expect(codes.find((d) => d.severity === 'warning')?.pos.line).toBe(c.line('externalName: 1.2.3.4'));
    expect(codes.find((d) => d.severity === 'error')?.pos.line).toBe(c.line('clusterIP: 10.96.5.5'));
  });
});

describe('NodePorts and LoadBalancers', () => {
  it('reports a NodePort out of range with the API server message, at the port', () => {
    const c = load(svc('n', '  type: NodePort\n  ports: [{port: 80, nodePort: 8080}]\n'));
    const d = c.diag('nodeport-range')!;
    expect(d.severity).toBe('error');
    expect(d.message).toBe('spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767');
    expect(d.pos.line).toBe(c.line('nodePort: 8080'));
  });

  it('reports a NodePort already taken by another Service', () => {
    const c = load(svc('a', '  type: NodePort\n  ports: [{port: 80, nodePort: 30080}]\n'), svc('b', '  type: NodePort\n  ports:\n    - {port: 81, nodePort: 30080}\n'));
    const d = c.diag('nodeport-taken')!;
    expect(d.message).toContain('provided port is already allocated (to default/a)');
    expect(d.pos.line).toBe(c.line('port: 81'));
  });

  it('a NodePort on a ClusterIP Service is forbidden', () => {
    expect(load(svc('a', '  ports: [{port: 80, nodePort: 30080}]\n')).diag('nodeport-forbidden')?.severity).toBe('error');
  });

  it('a LoadBalancer with no node to send to stays <pending>, with a warning', () => {
    const cluster = "apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  nodes: [{name: node-1, labels: {node.kubernetes.io/exclude-from-external-load-balancers: ''}}]\n";
    const r = loadScenario(cluster + svc('lb', '  type: LoadBalancer\n  ports: [{port: 80}]\n'));
    const d = r.diagnostics.find((x) => x.code === 'lb-no-nodes')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('no available nodes');
    const s = r.model!.services.find((x) => x.metadata.name === 'lb')!;
    expect(s.status?.loadBalancer?.ingress ?? []).toEqual([]);
    expect(s.spec.ports![0]!.nodePort).toBeGreaterThanOrEqual(30000);
  });
});

describe('EndpointSlice controller', () => {
  it('builds one slice per Service with labels, conditions, nodeName, targetRef and the resolved named port', () => {
    const c = load(WEB, svc('web', '  selector: {app: web}\n  ports: [{name: h, port: 80, targetPort: http}]\n'));
    const slice = c.model.endpointSlices.find((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
    expect(slice.ports).toEqual([{ name: 'h', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual([{ addresses: [c.model.pods[0]!.ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web' } }]);
  });

  it('a pod that is not Ready is an endpoint that is neither ready nor serving', () => {
    const c = load(WEB.replace('spec:\n  nodeName', 'status: {conditions: [{type: Ready, status: "False"}]}\nspec:\n  nodeName'), svc('web', '  selector: {app: web}\n  ports: [{port: 80}]\n'));
    const slice = c.model.endpointSlices.find((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
    expect(slice.endpoints?.[0]?.conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('a pod with a deletionTimestamp is a terminating endpoint: serving (still Ready) but not ready', () => {
    const c = load(WEB.replace('metadata: {name: web,', 'metadata: {name: web, deletionTimestamp: "2026-01-01T00:00:00Z",'), svc('web', '  selector: {app: web}\n  ports: [{port: 80}]\n'));
    const slice = c.model.endpointSlices.find((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
    expect(slice.endpoints?.[0]?.conditions).toEqual({ ready: false, serving: true, terminating: true });
  });

  it('publishNotReadyAddresses makes a not-Ready pod ready, but serving stays its readiness', () => {
    const c = load(WEB.replace('spec:\n  nodeName', 'status: {conditions: [{type: Ready, status: "False"}]}\nspec:\n  nodeName'), svc('web', '  selector: {app: web}\n  publishNotReadyAddresses: true\n  ports: [{port: 80}]\n'));
    const slice = c.model.endpointSlices.find((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
    expect(slice.endpoints?.[0]?.conditions).toEqual({ ready: true, serving: false, terminating: false });
  });

  it('warns when a selector matches no pod, at spec.selector', () => {
    const c = load(WEB, svc('none', '  selector: {app: nothing}\n  ports: [{port: 80}]\n'));
    const d = c.diag('selector-no-match')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('selector app=nothing matches no pod');
    expect(d.pos.line).toBe(c.line('app: nothing'));
  });

  it('warns when a targetPort name is declared by no selected pod', () => {
    const c = load(WEB, svc('web', '  selector: {app: web}\n  ports: [{port: 80, targetPort: grpc}]\n'));
    const d = c.diag('targetport-unresolved')!;
    expect(d.message).toContain('no selected pod declares a TCP container port named "grpc"');
    expect(d.pos.line).toBe(c.line('targetPort: grpc'));
  });

  it('warns when a numeric targetPort is declared by no selected pod: nothing listens there in the model', () => {
    // Seed 002's NodePort example: an nginx pod without `ports:` behind targetPort 80.
    const nginx = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: myapp-pod, labels: {app: myapp}}\nspec: {containers: [{name: nginx-container, image: nginx}]}\n';
    const c = load(nginx, svc('myapp-service', '  type: NodePort\n  selector: {app: myapp}\n  ports: [{targetPort: 80, port: 80, nodePort: 30008}]\n'));
    const d = c.diag('targetport-undeclared')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toMatch(/^spec\.ports\[0\]\.targetPort 80: pod myapp-pod declares no TCP containerPort 80, and a simulated container listens only on the ports it declares, so connections are refused .*add `ports: \[\{containerPort: 80\}\]` to its container$/);
    expect(d.pos.line).toBe(c.line('targetPort: 80'));
    // That is what a connection meets: the pod refuses it.
    const pod = c.model.pods.find((p) => p.name === 'myapp-pod')!;
    expect(c.model.netns.get(pod.netns)!.sockets.some((s) => s.port === 80)).toBe(false);
    // Without targetPort the port is the target (the API server defaults it), shown at the port;
    // a declared port (web declares 8080) or a named one is not this warning.
    const bare = load(nginx, svc('s', '  selector: {app: myapp}\n  ports: [{port: 81}]\n'));
    expect(bare.diag('targetport-undeclared')?.message).toMatch(/^spec\.ports\[0\]\.targetPort 81: /);
    expect(bare.diag('targetport-undeclared')?.pos.line).toBe(bare.line('port: 81'));
    expect(load(WEB, svc('web', '  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n')).diag('targetport-undeclared')).toBeUndefined();
    expect(load(WEB, svc('web', '  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n')).diag('targetport-undeclared')).toBeUndefined();
    // UDP is its own port space.
    expect(load(WEB, svc('web', '  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080, protocol: UDP}]\n')).diag('targetport-undeclared')?.message).toContain('no UDP containerPort 8080');
  });

  it('keeps EndpointSlices given for a Service without selector', () => {
    const c = load(svc('ext', '  ports: [{name: p, port: 80}]\n'), '---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: ext-1, labels: {kubernetes.io/service-name: ext}}\naddressType: IPv4\nports: [{name: p, port: 9000}]\nendpoints: [{addresses: [192.168.0.50]}]\n');
    expect(c.model.endpointSlices.map((e) => e.metadata.name)).toContain('ext-1');
  });
});

describe('without a Cluster document (objects as the API server stored them)', () => {
  it('allocates nothing and only warns about values an API server would refuse', () => {
    const r = loadScenario(svc('a', '  type: NodePort\n  clusterIP: 172.30.0.041\n  ports: [{port: 80, nodePort: 3001}, {name: b, port: 81}]\n').replace('{port: 80,', '{name: a, port: 80,').slice(4));
    expect(r.hasErrors).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['nodeport-as-stored', 'ip-leading-zeros']));
    const s = r.model!.services;
    expect(s.map((x) => x.metadata.name)).toEqual(['a']);
    expect(s[0]!.spec.ports![1]!.nodePort).toBeUndefined();
  });
});
