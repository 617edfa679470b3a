// kube-proxy's own expectations (fixtures/oracles/kube-proxy-iptables, see ORIGIN.md) against our
// full sync: every dump byte for byte after normalisation N, every upstream packet flow through
// the static tracer, every single-chain assertion, and the jump rules of a real node.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { EndpointSlice, KubeProxyConfiguration, Node, Service } from '../../k8s/types';
import type { ProxierInput } from './index';
import {
  hostAddressesFrom,
  kubeProxyJumpRules,
  kubeProxyNodeName,
  kubeProxyOptionsFrom,
  normaliseIptables,
  syncIptablesRules,
  traceFlow,
} from './index';
import { findChain, parseRestoreText } from './restore-text';

const ROOT = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../fixtures/oracles/kube-proxy-iptables',
);

interface IndexCase {
  dir: string;
  kind: 'asserted-dump' | 'derived-dump';
  family: 'IPv4' | 'IPv6';
  steps?: string[];
}

interface FlowFile {
  nodeIPs: string[];
  flows: {
    name: string;
    sourceIP: string;
    protocol: string;
    destIP: string;
    destPort: number;
    output: string;
    masq: boolean;
  }[];
}

interface ChainAssertion {
  table: string;
  chain: string;
  rules: string;
}

function read(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

/** objects.yaml → ProxierInput, the way a scenario would feed kube-proxy. */
function loadInput(dir: string): ProxierInput {
  const docs = parseAllDocuments(read(`${dir}/objects.yaml`)).map(
    (d) => d.toJS() as { kind?: string },
  );
  const node = docs.find((d) => d.kind === 'Node') as Node | undefined;
  const cfg = docs.find((d) => d.kind === 'KubeProxyConfiguration') as
    KubeProxyConfiguration | undefined;
  const host = hostAddressesFrom(node);
  return {
    nodeName: kubeProxyNodeName(cfg, node),
    nodeIPs: host.nodeIPs,
    localAddresses: host.localAddresses,
    services: docs.filter((d) => d.kind === 'Service') as Service[],
    endpointSlices: docs.filter((d) => d.kind === 'EndpointSlice') as EndpointSlice[],
    // Upstream's fake proxier writes the mark as 0x4000; real kube-proxy writes 0x00004000.
    config: { ...kubeProxyOptionsFrom(cfg, node), masqueradeMark: '0x4000' },
  };
}

function expectedDump(dir: string): string {
  return existsSync(join(ROOT, dir, 'expected.iptables'))
    ? read(`${dir}/expected.iptables`)
    : read(`${dir}/derived.iptables`);
}

const cases = (parse(read('index.yaml')) as { cases: IndexCase[] }).cases;
const flowCases = cases.filter((c) => existsSync(join(ROOT, c.dir, 'expected-flows.yaml')));
const chainCases = cases.filter((c) => existsSync(join(ROOT, c.dir, 'expected-chains.yaml')));

describe('kube-proxy iptables oracle: full dumps', () => {
  it.each(cases.map((c) => [c.dir, c] as const))('%s', (dir) => {
    expect(normaliseIptables(syncIptablesRules(loadInput(dir)))).toBe(expectedDump(dir));
  });
});

describe('kube-proxy iptables oracle: repeated syncs (full sync of each step)', () => {
  const steps = cases.find((c) => c.dir === 'sync-proxy-rules-repeated')?.steps ?? [];

  it.each(steps)('%s', (step) => {
    const dir = `sync-proxy-rules-repeated/${step}`;
    expect(normaliseIptables(syncIptablesRules(loadInput(dir)))).toBe(
      read(`${dir}/state.iptables`),
    );
  });

  it('step 09 is a full resync that deletes the chains left in the kernel', () => {
    const [previous, last] = steps.slice(-2).map((s) => `sync-proxy-rules-repeated/${s}`);
    const kernelNat = parseRestoreText(read(`${previous}/state.iptables`)).find(
      (t) => t.name === 'nat',
    );
    // The test appended a bogus jump to a chain of svc4 behind kube-proxy's back before this step.
    const existingChains = [
      ...(kernelNat?.chains.map((c) => c.name) ?? []),
      'KUBE-SEP-AYCN5HPXMIRJNJXU',
    ];
    const text = syncIptablesRules({ ...loadInput(last!), existingChains });
    expect(normaliseIptables(text)).toBe(read(`${last}/expected.iptables`));
  });
});

describe('kube-proxy iptables oracle: upstream packet flows', () => {
  for (const c of flowCases) {
    const file = parse(read(`${c.dir}/expected-flows.yaml`)) as FlowFile;
    const text = syncIptablesRules(loadInput(c.dir));
    it.each(file.flows.map((f) => [f.name, f] as const))(`${c.dir}: %s`, (_name, flow) => {
      const got = traceFlow(text, file.nodeIPs, flow);
      expect({ output: got.output, masq: got.masq }).toEqual({
        output: flow.output,
        masq: flow.masq,
      });
    });
  }
});

describe('kube-proxy iptables oracle: single-chain assertions', () => {
  for (const c of chainCases) {
    const assertions = parse(read(`${c.dir}/expected-chains.yaml`)) as ChainAssertion[];
    it.each(assertions.map((a) => [`${a.table}/${a.chain}`, a] as const))(
      `${c.dir}: %s`,
      (_name, a) => {
        const tables = parseRestoreText(syncIptablesRules(loadInput(c.dir)));
        const rules = findChain(tables, a.table, a.chain)?.rules ?? [];
        expect(rules.map((r) => `${r}\n`).join('')).toBe(a.rules ?? '');
      },
    );
  }
});

describe('kube-proxy jump rules', () => {
  it('match the built-in chains of a real node after kube-proxy started', () => {
    const real = parseRestoreText(read('overall-iptables-rules/node-view.iptables-save'));
    const ours = parseRestoreText(kubeProxyJumpRules());
    for (const table of ['filter', 'nat']) {
      for (const chain of ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']) {
        expect(findChain(ours, table, chain)?.rules ?? [], `${table}/${chain}`).toEqual(
          findChain(real, table, chain)?.rules ?? [],
        );
      }
    }
  });

  it('with the sync text declare exactly the chains a real node has', () => {
    const real = parseRestoreText(read('overall-iptables-rules/node-view.iptables-save'));
    const combined = parseRestoreText(
      kubeProxyJumpRules() + syncIptablesRules(loadInput('overall-iptables-rules')),
    );
    for (const table of ['filter', 'nat']) {
      const names = (ts: typeof real): string[] =>
        [...new Set(ts.filter((t) => t.name === table).flatMap((t) => t.chains.map((c) => c.name)))]
          .filter((n) => n.startsWith('KUBE-'))
          .sort();
      expect(names(combined), table).toEqual(names(real));
    }
  });
});
