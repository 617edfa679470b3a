// `kubectl describe pod` of the container shapes the lessons use, against kubectl's own layout
// (kubectl pkg/describe/describe.go: describeContainerPorts, describeContainerHostPorts,
// describeContainerState, describeStatus).
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { renderGetPods } from '../render/kubectl';
import { renderDescribePod } from './kubectl-describe';

const CLUSTER = 'apiVersion: hopscope/v1alpha1\nkind: Cluster\nspec: {nodes: 1, cni: {plugin: bridge}}\n---\n';

/** The lines of one container's block, from its name to its Environment line. */
function containerBlock(text: string, name: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`  ${name}:`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('    Environment:'));
  return lines.slice(start, end + 1);
}

describe('kubectl describe pod', () => {
  const TWIN = `${CLUSTER}apiVersion: v1
kind: Pod
metadata: {name: twin}
spec:
  containers:
  - {name: one, image: nginx, ports: [{containerPort: 80, name: http}]}
  - {name: two, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}
`;

  it('a container crash-looping on EADDRINUSE: Waiting (CrashLoopBackOff), its last run Terminated (Error, exit 1), not Ready, restarted once', () => {
    const model = loadScenario(TWIN).model!;
    const text = renderDescribePod(model, 'twin', 'default')!;
    expect(containerBlock(text, 'two')).toEqual([
      '  two:',
      '    Image:          nginx',
      '    Port:           80/TCP',
      '    Host Port:      8080/TCP',
      '    State:          Waiting',
      '      Reason:       CrashLoopBackOff',
      '    Last State:     Terminated',
      '      Reason:       Error',
      '      Exit Code:    1',
      '      Started:      Thu, 01 Jan 1970 00:00:01 +0000',
      '      Finished:     Thu, 01 Jan 1970 00:00:01 +0000',
      '    Ready:          False',
      '    Restart Count:  1',
      '    Environment:    <none>',
    ]);
    // The container that holds the port runs and is ready; the pod is not.
    expect(containerBlock(text, 'one')).toEqual([
      '  one:',
      '    Image:          nginx',
      '    Port:           80/TCP (http)',
      '    Host Port:      0/TCP (http)',
      '    State:          Running',
      '      Started:      Thu, 01 Jan 1970 00:00:00 +0000',
      '    Ready:          True',
      '    Restart Count:  0',
      '    Environment:    <none>',
    ]);
    expect(text).toMatch(/\n {2}Ready {23}False \n {2}ContainersReady {13}False \n/);
    expect(text).toContain('\nStart Time:       Thu, 01 Jan 1970 00:00:00 +0000\n');
    // kubectl get pods sums the restart counts.
    expect(renderGetPods(model)).toMatch(/\ntwin\s+1\/2\s+CrashLoopBackOff\s+1\s+<unknown>\n/);
  });

  it('host ports: the hostPort given, 0 without one, the containerPort for a hostNetwork pod; several ports are "Ports"', () => {
    const text = `${CLUSTER}apiVersion: v1
kind: Pod
metadata: {name: exporter}
spec:
  hostNetwork: true
  containers:
  - {name: e, image: node-exporter, ports: [{containerPort: 9100, name: metrics}, {containerPort: 9101, protocol: UDP}]}
`;
    const out = renderDescribePod(loadScenario(text).model!, 'exporter', 'default')!;
    expect(containerBlock(out, 'e').slice(2, 4)).toEqual(['    Ports:          9100/TCP (metrics), 9101/UDP', '    Host Ports:     9100/TCP (metrics), 9101/UDP']);
  });
});
