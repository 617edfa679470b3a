// The API server's rules on container and port names (pkg/apis/core/validation validateContainers,
// validateContainerPorts; pkg/api/pod/warnings.go), reported at the offending field in its words.
import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';

const diags = (text: string) => parseScenario(text).diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.severity} ${d.code}: ${d.message}`);
const pod = (containers: string, extra = '') => diags(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${extra}  containers:\n${containers}`);

describe('container names', () => {
  it('must be DNS-1123 labels', () => {
    expect(pod('  - {name: Web_1, image: nginx}\n')).toEqual([
      `6:12 error invalid-name: spec.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    // A subdomain is not a label: IsDNS1123Label says why in a word.
    expect(pod('  - {name: a.b, image: nginx}\n')).toEqual(['6:12 error invalid-name: spec.containers[0].name: Invalid value: "a.b": must not contain dots']);
    expect(pod(`  - {name: ${'a'.repeat(64)}, image: nginx}\n`)).toEqual(['6:12 error invalid-name: spec.containers[0].name: Invalid value: "' + 'a'.repeat(64) + '": must be no more than 63 characters']);
    expect(pod('  - {name: "", image: nginx}\n')).toEqual(['6:12 error missing-field: spec.containers[0].name: Required value']);
    expect(pod('  - {name: web-1, image: nginx}\n')).toEqual([]);
  });

  it('are unique among the containers and init containers of a pod', () => {
    expect(pod('  - {name: c, image: nginx}\n  - {name: c, image: nginx}\n')).toEqual(['7:12 error duplicate-name: spec.containers[1].name: Duplicate value: "c"']);
    expect(pod('  - {name: c, image: nginx}\n', '  initContainers: [{name: c, image: busybox}]\n')).toEqual(['5:27 error duplicate-name: spec.initContainers[0].name: Duplicate value: "c"']);
  });

  it('are checked in a workload’s pod template, at the template’s path', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}, {name: c, image: nginx}]
`;
    expect(diags(text)).toEqual(['9:52 error duplicate-name: spec.template.spec.containers[1].name: Duplicate value: "c"']);
  });
});

describe('container port names', () => {
  it('must be IANA service names: at most 15 characters of a-z, 0-9 and "-", a letter, no leading, trailing or double hyphen', () => {
    expect(pod('  - {name: c, ports: [{containerPort: 80, name: Http_Port-Too-Long}]}\n')).toEqual([
      '6:49 error invalid-port-name: spec.containers[0].ports[0].name: Invalid value: "Http_Port-Too-Long": must be no more than 15 characters',
      '6:49 error invalid-port-name: spec.containers[0].ports[0].name: Invalid value: "Http_Port-Too-Long": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
    expect(pod('  - {name: c, ports: [{containerPort: 80, name: "8080"}]}\n')).toEqual(['6:49 error invalid-port-name: spec.containers[0].ports[0].name: Invalid value: "8080": must contain at least one letter (a-z)']);
    expect(pod('  - {name: c, ports: [{containerPort: 80, name: web--a}]}\n')[0]).toContain('must not contain consecutive hyphens');
    expect(pod('  - {name: c, ports: [{containerPort: 80, name: -web}]}\n')[0]).toContain('must not begin or end with a hyphen');
    expect(pod('  - {name: c, ports: [{containerPort: 80, name: http-alt}]}\n')).toEqual([]);
  });

  it('are unique within a container (an error); the same name in two containers is a warning: named targetPorts take the first', () => {
    expect(pod('  - {name: c, ports: [{containerPort: 80, name: http}, {containerPort: 81, name: http}]}\n')).toEqual(['6:82 error duplicate-port: spec.containers[0].ports[1].name: Duplicate value: "http"']);
    expect(pod('  - {name: a, ports: [{containerPort: 80, name: http}]}\n  - {name: b, ports: [{containerPort: 81, name: http}]}\n')).toEqual([
      '7:49 warning duplicate-port-name: spec.containers[1].ports[0]: duplicate port name "http" with spec.containers[0].ports[0], services and probes that select ports by name will use spec.containers[0].ports[0]',
    ]);
  });
});
