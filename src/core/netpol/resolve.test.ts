import { describe, expect, it } from 'vitest';
import type { ModelPod } from '../model/types';
import type { Policy, PolicyState } from './types';
import { namespaceLabels, peerPods, policiesFor, resolveNamedPort, selectsPod } from './resolve';

const pod = (
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ports: {
    name?: string;
    containerPort: number;
    protocol: 'TCP' | 'UDP' | 'SCTP';
  }[] = [],
): ModelPod => ({
  namespace,
  name,
  labels,
  node: 'node-1',
  ip: `10.0.0.${name.length}`,
  netns: `pod:${namespace}/${name}`,
  containers: [{ name: 'c', image: 'x', ports }],
  hostNetwork: false,
  ready: true,
  containerId: 'c',
});
const POS = { line: 1, col: 1, offset: 0, end: 0 };
const pol = (namespace: string, name: string, extra: Partial<Policy> = {}): Policy => ({
  namespace,
  name,
  key: `${namespace}/${name}`,
  podSelector: {},
  ingress: [],
  pos: POS,
  ...extra,
});

const pods = [
  pod('x', 'a', { pod: 'a' }),
  pod('x', 'b', { pod: 'b' }),
  pod('y', 'a', { pod: 'a' }),
  pod('z', 'b', { pod: 'b' }),
];
const state: PolicyState = {
  policies: [],
  namespaces: namespaceLabels(
    [
      {
        value: {
          kind: 'Namespace',
          metadata: {
            name: 'y',
            labels: { team: 'blue', 'kubernetes.io/metadata.name': 'spoofed' },
          },
        },
        pos: POS,
        fieldPos: () => POS,
      },
    ],
    ['x', 'z'],
  ),
};

describe('policy semantics', () => {
  it('every namespace carries kubernetes.io/metadata.name, which the apiserver sets to its name', () => {
    expect(state.namespaces.get('y')).toEqual({
      team: 'blue',
      'kubernetes.io/metadata.name': 'y',
    });
    expect(state.namespaces.get('z')).toEqual({
      'kubernetes.io/metadata.name': 'z',
    });
    expect(state.namespaces.get('default')).toEqual({
      'kubernetes.io/metadata.name': 'default',
    });
  });

  it('a policy selects pods of its own namespace only; hostNetwork pods never', () => {
    const p = pol('x', 'p', { podSelector: { matchLabels: { pod: 'a' } } });
    expect(pods.filter((q) => selectsPod(p, q)).map((q) => `${q.namespace}/${q.name}`)).toEqual([
      'x/a',
    ]);
    expect(selectsPod(p, { ...pods[0]!, hostNetwork: true })).toBe(false);
  });

  it('podSelector alone = own namespace; namespaceSelector alone = all pods there; both = AND', () => {
    const p = pol('x', 'p');
    const names = (ps: ModelPod[]) => ps.map((q) => `${q.namespace}/${q.name}`);
    expect(
      names(peerPods(state, p, { kind: 'pods', podSelector: { matchLabels: { pod: 'a' } } }, pods)),
    ).toEqual(['x/a']);
    expect(names(peerPods(state, p, { kind: 'pods', namespaceSelector: {} }, pods))).toEqual([
      'x/a',
      'x/b',
      'y/a',
      'z/b',
    ]);
    expect(
      names(
        peerPods(
          state,
          p,
          {
            kind: 'pods',
            namespaceSelector: { matchLabels: { team: 'blue' } },
            podSelector: { matchLabels: { pod: 'a' } },
          },
          pods,
        ),
      ),
    ).toEqual(['y/a']);
    expect(
      names(
        peerPods(
          state,
          p,
          {
            kind: 'pods',
            namespaceSelector: {
              matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }],
            },
            podSelector: { matchLabels: { pod: 'b' } },
          },
          pods,
        ),
      ),
    ).toEqual(['x/b', 'z/b']);
  });

  it('isolation per direction, policies sorted by namespace/name', () => {
    const s: PolicyState = {
      ...state,
      policies: [
        pol('x', 'zz'),
        pol('x', 'aa', { ingress: undefined, egress: [] }),
        pol('x', 'mm'),
      ],
    };
    expect(policiesFor(s, pods[0]!, 'ingress').map((p) => p.key)).toEqual(['x/mm', 'x/zz']);
    expect(policiesFor(s, pods[0]!, 'egress').map((p) => p.key)).toEqual(['x/aa']);
    expect(policiesFor(s, pods[2]!, 'ingress')).toEqual([]);
  });

  it('resolves a named port per pod and protocol', () => {
    const p = pod('x', 'n', {}, [
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      { name: 'web', containerPort: 8080, protocol: 'TCP' },
    ]);
    expect(resolveNamedPort(p, 'dns', 'UDP')).toBe(53);
    expect(resolveNamedPort(p, 'dns', 'TCP')).toBeUndefined();
    expect(resolveNamedPort(p, 'web', 'TCP')).toBe(8080);
  });
});
