import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';

const text = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  '  annotations: {hopscope.dev/pod-ip: 10.244.1.9}',
  'spec:',
  '  nodeName:',
  '  containers:',
  '    - name: c',
  '      ports:',
  '        - containerPort: 80',
  '',
].join('\n');

describe('Located.fieldPos', () => {
  const pod = parseScenario(text).scenario.pods[0];
  const at = (path: string) => {
    const p = pod?.fieldPos(path);
    return p && `${p.line}:${p.col}`;
  };

  it('gives the object position and 1-based positions of values', () => {
    expect(pod?.pos).toMatchObject({ line: 1, col: 1, offset: 0 });
    expect(at('metadata.name')).toBe('4:9');
    expect(at('spec.containers.0.ports.0.containerPort')).toBe('11:26');
    expect(at('spec.containers.0')).toBe('9:7');
  });

  it('reaches keys that contain dots', () => {
    expect(at('metadata.annotations.hopscope.dev/pod-ip')).toBe('5:38');
  });

  it('points at the key when the value is empty', () => {
    expect(at('spec.nodeName')).toBe('7:3');
  });

  it('falls back to the nearest existing parent', () => {
    expect(at('spec.containers.0.ports.5.containerPort')).toBe('11:9');
    expect(at('spec.containers.0.image')).toBe('9:7');
    expect(at('status.podIP')).toBe('1:1');
  });

  it('gives offsets that slice the source text', () => {
    const p = pod?.fieldPos('metadata.name');
    expect(p && text.slice(p.offset, p.end)).toBe('web');
  });
});
