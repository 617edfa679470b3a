/**
 * `hopscope reach` (issue 8): the matrix format on stdout, notes on stderr, clean refusals.
 * Calls the command function on scenarios built from the netpol oracle fixtures.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { reach } from './reach-command';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'hopscope-reach-'));

function scenario(name: string, oracle: string, cni = 'cni: {plugin: calico}'): string {
  const objects = readFileSync(
    join(root, 'fixtures', 'oracles', 'netpol', oracle, 'objects.yaml'),
    'utf8',
  );
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: ${name}}\nspec:\n  ${cni}\n---\n${objects}`,
  );
  return file;
}

const expected = (oracle: string) =>
  readFileSync(join(root, 'fixtures', 'oracles', 'netpol', oracle, 'expected.txt'), 'utf8');

/** The expected table with its diagonal set to allowed (a pod reaching its own IP never leaves its netns). */
function withOpenDiagonal(table: string): string {
  return (
    table
      .trimEnd()
      .split('\n')
      .map((line, i) =>
        i === 0
          ? line
          : line
              .split(' ')
              .map((s, j) => (j === i ? '.' : s))
              .join(' '),
      )
      .join('\n') + '\n'
  );
}

const run = (file: string, values: Record<string, string | boolean> = {}) =>
  reach({ positionals: [file], values });

describe('hopscope reach', () => {
  it('prints the header and one row per source pod, sorted by namespace then name', () => {
    const r = run(scenario('deny', 'default-deny-ingress'), {
      port: '80',
      protocol: 'TCP',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(withOpenDiagonal(expected('default-deny-ingress')));
  });

  it('--protocol UDP and --port pick the probe', () => {
    const file = scenario('udp', 'ingress-any-port-specific-protocol--udp-80');
    expect(run(file, { port: '80', protocol: 'udp' }).stdout).toBe(
      withOpenDiagonal(expected('ingress-any-port-specific-protocol--udp-80')),
    );
  });

  it('--namespace limits rows and columns (comma-separated)', () => {
    const r = run(scenario('ns', 'default-deny-ingress'), { namespace: 'y,x' });
    expect(r.stdout.split('\n')[0]).toBe('x/a x/b x/c y/a y/b y/c');
    expect(r.stdout.split('\n')).toHaveLength(8);
  });

  it('--json carries each cell with the reason and the policy explanation', () => {
    const r = run(scenario('json', 'default-deny-ingress'), {
      json: true,
      namespace: 'x,y',
    });
    const m = JSON.parse(r.stdout) as {
      pods: string[];
      cells: { allowed: boolean; explain?: string }[][];
    };
    expect(m.pods[3]).toBe('y/a');
    expect(m.cells[3]![0]).toMatchObject({
      allowed: false,
      reason: 'filtered',
      explain: expect.stringContaining(
        'default deny: no policy allows it; ingress to x/a is isolated by x/deny-ingress',
      ),
    });
  });

  it('says on stderr that flannel enforces nothing, and the matrix shows it', () => {
    const r = run(
      scenario('flannel', 'default-deny-ingress', 'nodes: 4\n  cni: {plugin: flannel}'),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /flannel\.yaml:\d+:\d+: warning: flannel does not enforce NetworkPolicy; 1 policy will have no effect/,
    );
    expect(r.stdout).not.toContain('X');
  });

  it('reports pods whose DNS lookups an egress policy breaks', () => {
    const r = run(scenario('dns', 'deny-egress-podselector'));
    expect(r.stderr).toMatch(
      /^dns: 1 of 9 pods cannot reach kube-dns 10\.96\.0\.10:53\/UDP, so their name lookups fail: x\/a \(first: default deny: no policy allows it; egress from x\/a/m,
    );
  });

  it('marks a port nothing listens on R (refused), not X, and prints the legend on stderr', () => {
    // The oracle pods serve 80 and 81; nothing listens on 82. x is isolated by default deny.
    const r = run(scenario('refused', 'default-deny-ingress'), { port: '82', namespace: 'x,y' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'x/a x/b x/c y/a y/b y/c',
        'x/a R X X R R R',
        'x/b X R X R R R',
        'x/c X X R R R R',
        'y/a X X X R R R',
        'y/b X X X R R R',
        'y/c X X X R R R',
        '',
      ].join('\n'),
    );
    expect(r.stderr.split('\n').slice(0, 4)).toEqual([
      '.  allowed: the request reached a listening socket and the reply came back',
      'X  denied by a NetworkPolicy (the policy engine dropped it)',
      'R  refused: nothing listens on that port (TCP RST, SCTP ABORT or ICMP port unreachable)',
      '-  dropped for another reason (no route, a rule other than a policy, a lost reply): the client times out',
    ]);
    const json = JSON.parse(run(scenario('refused-json', 'default-deny-ingress'), { port: '82', namespace: 'x,y', json: true }).stdout) as {
      cells: { outcome: string; reason?: string }[][];
    };
    expect(json.cells[0]![3]).toEqual({ allowed: false, outcome: 'refused', reason: 'connection-refused' });
    expect(json.cells[3]![0]).toMatchObject({ allowed: false, outcome: 'policy' });
  });

  it('refuses bad options cleanly and traces SCTP like the other protocols', () => {
    const file = scenario('bad', 'default-deny-ingress');
    expect(() => run(file, { port: '70000' })).toThrow(/--port 70000/);
    expect(() => run(file, { protocol: 'GRE' })).toThrow(/use TCP, UDP, SCTP or ICMP/);
    expect(run(file, { protocol: 'SCTP' })).toMatchObject({ code: 0 });
    expect(run(file, { namespace: 'nope' })).toMatchObject({
      code: 1,
      stderr: 'hopscope reach: no pods in nope\n',
    });
  });
});
