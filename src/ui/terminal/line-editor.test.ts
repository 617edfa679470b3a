import { describe, expect, it } from 'vitest';
import { createLineEditor } from './line-editor';

function editor(candidates: string[] = [], history: string[] = []) {
  return createLineEditor({ prompt: '$ ', complete: (l) => candidates.filter((c) => c.startsWith(/(\S*)$/.exec(l)![1]!)), history: () => history });
}

describe('line editor', () => {
  it('echoes typing, erases with Backspace and submits on Enter', () => {
    const e = editor();
    expect(e.input('ip r').write).toBe('ip r');
    expect(e.input('\x7f').write).toBe('\b \b');
    expect(e.input('o\r')).toEqual({ write: 'o\r\n', submit: 'ip o' });
    expect(e.line()).toBe('');
  });

  it('completes a single candidate, extends a common prefix, and lists several', () => {
    const e = editor(['service-test-abc', 'service-test-xyz', 'client']);
    e.input('kubectl get pods cl');
    e.input('\t');
    expect(e.line()).toBe('kubectl get pods client ');
    const f = editor(['service-test-abc', 'service-test-xyz']);
    f.input('kubectl get pods se');
    f.input('\t');
    expect(f.line()).toBe('kubectl get pods service-test-');
    expect(f.input('\t').write).toBe('\r\nservice-test-abc  service-test-xyz\r\n$ kubectl get pods service-test-');
  });

  it('walks history with the arrows and keeps the draft', () => {
    const e = editor([], ['ip a', 'ip r']);
    e.input('cur');
    e.input('\x1b[A');
    expect(e.line()).toBe('ip r');
    e.input('\x1b[A');
    expect(e.line()).toBe('ip a');
    e.input('\x1b[B\x1b[B');
    expect(e.line()).toBe('cur');
  });

  it('Ctrl-C abandons the line; a pasted line with a newline submits', () => {
    const e = editor();
    e.input('abc');
    expect(e.input('\x03').write).toBe('^C\r\n$ ');
    expect(e.input('echo hi\n').submit).toBe('echo hi');
  });
});
