import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng';
import type { PacketContext } from '../module';
import { createNetfilter } from '../state';
import type { NfPacket } from '../types';
import { getMatchModule } from './registry';

function ctx(packet: Partial<NfPacket>, extra: Partial<PacketContext> = {}): PacketContext {
  return {
    packet: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', sport: 1234, dport: 80, mark: 0, length: 60, ...packet },
    input: { hook: 'FORWARD', packet: { src: '', dst: '', protocol: 'tcp', mark: 0, length: 0 } },
    env: { isLocal: (ip) => ip === '192.168.0.2', primaryAddress: () => undefined, rng: createRng(9), now: 0 },
    nf: createNetfilter(),
    ctState: 'NEW',
    logs: [],
    untracked: false,
    ...extra,
  };
}

function match(module: string, options: [string, boolean, ...string[]][], c: PacketContext, protocol = 6): boolean {
  const m = getMatchModule(module)!;
  const r = m.parse(
    options.map(([name, negate, ...args]) => ({ name, negate, args })),
    { table: 'filter', chain: 'X', protocol },
  );
  if (!r.ok) throw new Error(r.error);
  return m.evaluate(r.parsed, c);
}

describe('match modules', () => {
  it('tcp/udp ports and flags', () => {
    expect(match('tcp', [['--dport', false, '80']], ctx({}))).toBe(true);
    expect(match('tcp', [['--dport', true, '80']], ctx({}))).toBe(false);
    expect(match('tcp', [['--sport', false, '1000:2000']], ctx({}))).toBe(true);
    expect(match('tcp', [['--syn', false]], ctx({ tcpFlags: 'S' }))).toBe(true);
    expect(match('tcp', [['--syn', false]], ctx({ tcpFlags: 'S.' }))).toBe(false);
    expect(match('udp', [['--dport', false, '80']], ctx({}))).toBe(false);
  });

  it('multiport, icmp, mark', () => {
    expect(match('multiport', [['--dports', false, '53,80:81']], ctx({ dport: 81 }))).toBe(true);
    expect(match('icmp', [['--icmp-type', false, 'echo-request']], ctx({ protocol: 'icmp', icmpType: 8 }))).toBe(true);
    expect(match('icmp', [['--icmp-type', false, 'port-unreachable']], ctx({ protocol: 'icmp', icmpType: 3, icmpCode: 1 }))).toBe(false);
    expect(match('mark', [['--mark', false, '0x4000/0x4000']], ctx({ mark: 0x4001 }))).toBe(true);
    expect(match('mark', [['--mark', true, '0x4000/0x4000']], ctx({ mark: 0x4001 }))).toBe(false);
  });

  it('addrtype LOCAL uses env.isLocal', () => {
    expect(match('addrtype', [['--dst-type', false, 'LOCAL']], ctx({ dst: '192.168.0.2' }))).toBe(true);
    expect(match('addrtype', [['--dst-type', false, 'LOCAL']], ctx({}))).toBe(false);
    expect(match('addrtype', [['--src-type', true, 'LOCAL']], ctx({}))).toBe(true);
  });

  it('addrtype tells broadcast, multicast and unicast apart address after address', () => {
    // The non-local type is remembered for the last address asked about: each answer must be
    // that address's own, whatever came before.
    const types = ['255.255.255.255', '10.0.0.1', '224.0.0.5', '224.0.0.5', '10.0.0.1', '255.255.255.255'];
    const is = (type: string) => types.map((dst) => match('addrtype', [['--dst-type', false, type]], ctx({ dst })));
    expect(is('BROADCAST')).toEqual([true, false, false, false, false, true]);
    expect(is('MULTICAST')).toEqual([false, false, true, true, false, false]);
    expect(is('UNICAST')).toEqual([false, true, false, false, true, false]);
  });

  it('conntrack states include the virtual DNAT state', () => {
    expect(match('conntrack', [['--ctstate', false, 'NEW']], ctx({}))).toBe(true);
    expect(match('conntrack', [['--ctstate', true, 'RELATED,ESTABLISHED,DNAT']], ctx({}, { ctState: 'ESTABLISHED' }))).toBe(false);
  });

  it('statistic nth matches every Nth packet starting after --packet', () => {
    const m = getMatchModule('statistic')!;
    const r = m.parse(
      [
        { name: '--mode', negate: false, args: ['nth'] },
        { name: '--every', negate: false, args: ['3'] },
        { name: '--packet', negate: false, args: ['0'] },
      ],
      { table: 'nat', chain: 'X' },
    );
    if (!r.ok) throw new Error(r.error);
    const c = ctx({});
    expect([1, 2, 3, 4, 5, 6].map(() => m.evaluate(r.parsed, c))).toEqual([false, false, true, false, false, true]);
  });

  it('statistic random renders the kernel-rounded probability with 11 decimals', () => {
    const m = getMatchModule('statistic')!;
    const r = m.parse(
      [
        { name: '--mode', negate: false, args: ['random'] },
        { name: '--probability', negate: false, args: ['0.2'] },
      ],
      { table: 'nat', chain: 'X' },
    );
    if (!r.ok) throw new Error(r.error);
    expect(m.render(r.parsed)).toBe(' --mode random --probability 0.20000000019');
  });
});
