// `iptables -L` held byte for byte to the real tool (fixtures/tool-output, iptables v1.8.9):
// the same restore text loaded into our netfilter must list exactly as the kernel's did.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNetfilter, restore, setIpset } from '../netfilter/index';
import { renderIptablesList } from './iptables-list';

const dir = new URL('../../../fixtures/tool-output/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

function load(file: string, counters = false) {
  const nf = createNetfilter();
  setIpset(nf, 'KUBE-CLUSTER-IP', 'hash:ip,port', []);
  const r = restore(nf, read(file), { counters });
  expect(r).toEqual({ ok: true });
  return nf;
}

const NV = { numeric: true, verbose: true, exact: false, lineNumbers: false };

describe('iptables -L against real iptables v1.8.9 output', () => {
  it('prints the nat table with -n -v exactly (matches, targets, negations, goto-free jumps)', () => {
    expect(renderIptablesList(load('iptables-L.rules'), 'nat', undefined, NV)).toBe(read('iptables-L-nat-nv.txt'));
  });

  it('prints the filter table with -n -v exactly (REJECT, ipset, physdev, interfaces)', () => {
    expect(renderIptablesList(load('iptables-L.rules'), 'filter', undefined, NV)).toBe(read('iptables-L-filter-nv.txt'));
  });

  it('prints one chain without -v exactly', () => {
    expect(renderIptablesList(load('iptables-L.rules'), 'nat', 'KUBE-SVC-ABC', { ...NV, verbose: false })).toBe(read('iptables-L-chain-n.txt'));
  });

  it('abbreviates counters with K/M/G as iptables does, and expands them with -x', () => {
    const nf = load('iptables-L-counters.rules', true);
    expect(renderIptablesList(nf, 'nat', undefined, NV)).toBe(read('iptables-L-counters-nv.txt'));
    expect(renderIptablesList(nf, 'nat', undefined, { ...NV, exact: true })).toBe(read('iptables-L-counters-nvx.txt'));
  });

  it('returns null for a chain that does not exist', () => {
    expect(renderIptablesList(load('iptables-L.rules'), 'nat', 'NOPE', NV)).toBeNull();
  });

  it('names protocols and services without -n', () => {
    const text = renderIptablesList(load('iptables-L.rules'), 'nat', 'KUBE-SVC-ABC', { ...NV, numeric: false, verbose: false })!;
    expect(text).toContain('KUBE-MARK-MASQ  tcp  -- !10.244.0.0/16        10.96.0.10           /* default/svc:http cluster IP */ tcp dpt:http');
    expect(text).toContain('KUBE-SEP-ONE  all  --  anywhere             anywhere');
  });
});
