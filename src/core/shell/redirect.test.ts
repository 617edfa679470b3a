// Redirections and file arguments as a tutorial types them (bash's redirection order, GNU grep /
// coreutils head, tail, wc reading FILE arguments), checked through the whole shell.
import { describe, expect, it } from 'vitest';
import { cluster } from '../testing/cluster';
import { createShell } from './index';
import { splitLine } from './words';

const shell = () => {
  const c = cluster().dns().cni('flannel', { backend: 'vxlan' }).pod('client', { node: 'node-1' }).build();
  return createShell(c.model, { kind: 'pod', namespace: 'default', name: 'client' });
};
const nodeShell = () => {
  const c = cluster().dns().cni('flannel', { backend: 'vxlan' }).pod('client', { node: 'node-1' }).build();
  return createShell(c.model, { kind: 'node', name: 'node-1' });
};

describe('parsing redirections (bash parse.y)', () => {
  it('reads N>, >>, <, N>&M, &> apart from the words; quoted text stays a word', () => {
    const r = splitLine("curl -s http://x 2>&1 >/dev/null | wc -l; echo '2>x' a>b &>>log < in");
    expect(r.ok && r.pipelines.map((p) => ({ commands: p.commands, redirects: p.redirects }))).toEqual([
      { commands: [['curl', '-s', 'http://x'], ['wc', '-l']], redirects: [[{ fd: 2, op: '>&', target: '1' }, { fd: 1, op: '>', target: '/dev/null' }], []] },
      { commands: [['echo', '2>x', 'a']], redirects: [[{ fd: 1, op: '>', target: 'b' }, { fd: 1, op: '>>', target: 'log' }, { fd: 2, op: '>&', target: '1' }, { fd: 0, op: '<', target: 'in' }]] },
    ]);
    expect(splitLine('echo a >')).toEqual({ ok: false, error: "bash: syntax error near unexpected token `newline'" });
    expect(splitLine('echo a > | wc')).toEqual({ ok: false, error: "bash: syntax error near unexpected token `|'" });
  });
});

describe('running redirections', () => {
  it('2>&1 sends errors into the pipe; 2>/dev/null hides them; order matters (2>&1 >/dev/null keeps the errors on stdout)', () => {
    const sh = shell();
    expect(sh.run('cat /nope 2>&1 | wc -l')).toMatchObject({ stdout: '1\n', stderr: '' });
    expect(sh.run('cat /nope 2>/dev/null')).toMatchObject({ stdout: '', stderr: '', exitCode: 1 });
    expect(sh.run('cat /nope /etc/hostname >/dev/null 2>&1')).toMatchObject({ stdout: '', stderr: '' });
    // stderr went where stdout was (the terminal's stdout, or the pipe) before stdout moved to /dev/null.
    expect(sh.run('cat /nope /etc/hostname 2>&1 >/dev/null')).toMatchObject({ stdout: 'cat: /nope: No such file or directory\n', stderr: '' });
    expect(sh.run('cat /nope &>/dev/null')).toMatchObject({ stdout: '', stderr: '' });
    expect(sh.run('echo hi >&2')).toMatchObject({ stdout: '', stderr: 'hi\n' });
  });

  it('> FILE and >> FILE write into the session, which cat, grep and < read back; a missing directory is refused', () => {
    const sh = nodeShell();
    expect(sh.run('iptables-save > rules.txt')).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
    const svc = sh.run('grep -c KUBE-SVC /rules.txt').stdout;
    expect(Number(svc)).toBeGreaterThan(0);
    expect(sh.run('iptables-save | grep -c KUBE-SVC').stdout).toBe(svc);
    expect(sh.run('wc -l < rules.txt').stdout).toBe(sh.run('iptables-save | wc -l').stdout);
    sh.run('echo one > /tmp/n; echo two >> /tmp/n');
    expect(sh.run('cat /tmp/n').stdout).toBe('one\ntwo\n');
    expect(sh.run('echo x > /nope/dir/f')).toMatchObject({ stderr: 'bash: /nope/dir/f: No such file or directory\n', exitCode: 1 });
    expect(sh.run('echo 0 > /proc/sys/net/ipv4/ip_forward').stderr).toMatch(/^bash: \/proc\/sys\/net\/ipv4\/ip_forward: Read-only file system\n/);
    expect(sh.run('cat /proc/sys/net/ipv4/ip_forward').stdout).toBe('1\n');
    expect(sh.run('wc -l < /nope')).toMatchObject({ stderr: 'bash: /nope: No such file or directory\n', exitCode: 1 });
  });
});

describe('filters read FILE arguments', () => {
  it('grep PATTERN FILE, head/tail -n N FILE and wc -l FILE read the file instead of waiting on stdin', () => {
    const sh = shell();
    expect(sh.run('grep nameserver /etc/resolv.conf')).toMatchObject({ stdout: 'nameserver 10.96.0.10\n', exitCode: 0 });
    expect(sh.run('grep -c . /etc/resolv.conf /etc/hostname').stdout).toBe('/etc/resolv.conf:3\n/etc/hostname:1\n');
    expect(sh.run('grep x /nope')).toMatchObject({ stderr: 'grep: /nope: No such file or directory\n', exitCode: 2 });
    expect(sh.run('head -n 1 /etc/resolv.conf').stdout).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\n');
    expect(sh.run('tail -1 /etc/resolv.conf').stdout).toBe('options ndots:5\n');
    expect(sh.run('head /nope')).toMatchObject({ stderr: "head: cannot open '/nope' for reading: No such file or directory\n", exitCode: 1 });
    expect(sh.run('wc -l /etc/resolv.conf').stdout).toBe('3 /etc/resolv.conf\n');
  });
});
