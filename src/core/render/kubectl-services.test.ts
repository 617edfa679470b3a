// kubectl layouts for Services and EndpointSlices (spec/services-and-proxy.md §10).
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { renderDescribeService, renderGetEndpoints, renderGetEndpointSlices, renderGetServices, tabwrite } from './kubectl-services';

const TEXT = `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: k}
spec: {nodes: 2, seed: 2}
---
apiVersion: v1
kind: Pod
metadata: {name: app-1, labels: {app: myapp, type: frontend}}
spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: myapp-service}
spec:
  type: NodePort
  clusterIP: 10.110.37.201
  selector: {app: myapp, type: frontend}
  ports: [{port: 80, targetPort: 80, nodePort: 30008}]
---
apiVersion: v1
kind: Service
metadata: {name: my-db}
spec: {type: ExternalName, externalName: db.example.com}
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec: {clusterIP: None, selector: {app: none}, ports: [{port: 80}]}
`;

const model = loadScenario(TEXT).model!;

describe('kubectl get svc / endpointslices', () => {
  it('prints the columns, <none>, headless None and NodePorts as kubectl does', () => {
    const out = renderGetServices(model);
    expect(out.split('\n')[0]).toBe('NAME            TYPE           CLUSTER-IP      EXTERNAL-IP      PORT(S)        AGE');
    expect(out).toContain('my-db           ExternalName   <none>          db.example.com   <none>         <unknown>');
    expect(out).toContain('myapp-service   NodePort       10.110.37.201   <none>           80:30008/TCP   <unknown>');
    expect(out).toContain('web-headless    ClusterIP      None            <none>           80/TCP         <unknown>');
    expect(renderGetServices(model, { wide: true })).toContain('app=myapp,type=frontend');
  });

  it('endpointslices: ports and addresses, <unset> when empty', () => {
    const out = renderGetEndpointSlices(model);
    expect(out).toMatch(/myapp-service-\w{5}\s+IPv4\s+80\s+10\.244\.0\.\d+\s+<unknown>/);
    expect(out).toMatch(/web-headless-\w{5}\s+IPv4\s+<unset>\s+<unset>/);
  });
});

describe('kubectl get endpoints', () => {
  it('one row per Service the endpoints controller (or the apiserver, for kubernetes) keeps: ready IP:port, <none> when empty', () => {
    // printers.go printEndpoints/formatEndpoints: NAME, ENDPOINTS (three, then "+ N more..."), AGE;
    // no Endpoints object for an ExternalName Service or one without a selector.
    const ip = model.pods[0]!.ip;
    expect(renderGetEndpoints(model)).toBe(`NAME            ENDPOINTS           AGE
kubernetes      192.168.0.11:6443   <unknown>
myapp-service   ${ip}:80${' '.repeat(20 - ip.length - 3)}<unknown>
web-headless    <none>              <unknown>
`);
    expect(renderGetEndpoints(model, { allNamespaces: true })).toMatch(/^NAMESPACE\s+NAME\s+ENDPOINTS\s+AGE\ndefault\s+kubernetes\s+192\.168\.0\.11:6443\s+<unknown>\n/);
    expect(renderGetEndpoints(model, { namespace: 'nope' })).toBe('No resources found in nope namespace.\n');
    const unready = loadScenario(`${TEXT}---
apiVersion: v1
kind: Pod
metadata: {name: slow, labels: {app: slow}}
spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 80}]}]}
status: {conditions: [{type: Ready, status: "False"}]}
---
apiVersion: v1
kind: Service
metadata: {name: slow}
spec: {selector: {app: slow}, ports: [{port: 80}]}
`).model!;
    expect(renderGetEndpoints(unready)).toMatch(/\nslow {12}\s+<unknown>\n/);
  });

  it('lists every Endpoints written by hand, as the apiserver stored it, with or without a Service using it', () => {
    // kubectl lists Endpoints objects, not Services: one nothing mirrors (no Service, or
    // skip-mirror) is still there. The apiserver repacks subsets on create (registry/core/endpoint
    // Canonicalize → RepackSubsets): same ports merge, addresses sorted. One for a Service with a
    // selector is overwritten by the endpoints controller.
    const written = loadScenario(`${TEXT}---
apiVersion: v1
kind: Endpoints
metadata: {name: orphan}
subsets: [{addresses: [{ip: 192.168.0.53}], ports: [{port: 9000}]}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: skipped, labels: {endpointslice.kubernetes.io/skip-mirror: "true"}}
subsets:
- {addresses: [{ip: 192.168.0.61}, {ip: 192.168.0.60}], ports: [{port: 7000}]}
- {addresses: [{ip: 192.168.0.59}], ports: [{port: 7000}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: myapp-service}
subsets: [{addresses: [{ip: 192.168.0.99}], ports: [{port: 1}]}]
`).model!;
    const rows = renderGetEndpoints(written).split('\n');
    expect(rows.find((r) => r.startsWith('orphan '))).toMatch(/^orphan\s+192\.168\.0\.53:9000\s+<unknown>$/);
    expect(rows.find((r) => r.startsWith('skipped '))).toMatch(/^skipped\s+192\.168\.0\.59:7000,192\.168\.0\.60:7000,192\.168\.0\.61:7000\s+<unknown>$/);
    expect(rows.filter((r) => r.startsWith('myapp-service '))).toEqual([expect.stringMatching(new RegExp(`^myapp-service\\s+${model.pods[0]!.ip.replace(/\./g, '\\.')}:80\\s`))]);
    // Nothing is mirrored for them: no slices, so kube-proxy does not route to them.
    expect(written.endpointSlices.some((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'orphan')).toBe(false);
  });
});

describe('kubectl describe service', () => {
  it('ExternalName: IP Families <none>, an empty IP and IPs <none>, as kubectl writes them for every type', () => {
    // staging/src/k8s.io/kubectl/pkg/describe/describe.go describeService: IP Families falls back
    // to <none>, IP is always written, IPs falls back to <none>.
    expect(renderDescribeService(model, 'my-db')).toBe(`Name:              my-db
Namespace:         default
Labels:            <none>
Annotations:       <none>
Selector:          <none>
Type:              ExternalName
IP Families:       <none>
IP:                
IPs:               <none>
External Name:     db.example.com
Session Affinity:  None
Events:            <none>
`);
  });

  it('matches the current kubectl layout for a NodePort Service', () => {
    const ip = model.pods[0]!.ip;
    expect(renderDescribeService(model, 'myapp-service')).toBe(`Name:                     myapp-service
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 app=myapp,type=frontend
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.110.37.201
IPs:                      10.110.37.201
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
NodePort:                 <unset>  30008/TCP
Endpoints:                ${ip}:80
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
`);
  });

  it('returns null for an unknown Service', () => {
    expect(renderDescribeService(model, 'nope')).toBeNull();
  });

  it('tabwrite aligns each run of lines that share a column', () => {
    expect(tabwrite(['a:\tx', 'long:\ty\tz', 'b'])).toBe('a:     x\nlong:  y  z\nb\n');
  });
});
