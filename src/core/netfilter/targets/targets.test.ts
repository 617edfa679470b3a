import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng';
import type { PacketContext } from '../module';
import { createNetfilter } from '../state';
import { getTargetModule } from './registry';

function ctx(mark = 0): PacketContext {
  return {
    packet: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', sport: 1, dport: 2, mark, length: 60 },
    input: { hook: 'PREROUTING', packet: { src: '', dst: '', protocol: 'tcp', mark: 0, length: 0 }, inIface: 'eth0' },
    env: { isLocal: () => false, primaryAddress: (d) => (d === 'eth0' ? '192.168.0.2' : undefined), rng: createRng(1), now: 0 },
    nf: createNetfilter(),
    ctState: 'NEW',
    logs: [],
    untracked: false,
  };
}

function parse(name: string, opt: string, arg?: string, protocol = 6) {
  const t = getTargetModule(name)!;
  const r = t.parse(opt ? [{ name: opt, negate: false, args: arg === undefined ? [] : [arg] }] : [], { table: 'nat', chain: 'X', protocol });
  if (!r.ok) throw new Error(r.error);
  return { t, parsed: r.parsed };
}

describe('targets', () => {
  it('MARK spellings all become --set-xmark and apply (mark & ~mask) ^ value', () => {
    const cases: [string, string, string, number, number][] = [
      ['--or-mark', '0x4000', ' --set-xmark 0x4000/0x4000', 0x1, 0x4001],
      ['--xor-mark', '0x4000', ' --set-xmark 0x4000/0x0', 0x4001, 0x1],
      ['--and-mark', '0xff', ' --set-xmark 0x0/0xffffff00', 0x1234, 0x34],
      ['--set-mark', '0x1', ' --set-xmark 0x1/0xffffffff', 0xf0, 0x1],
    ];
    for (const [opt, arg, text, before, after] of cases) {
      const { t, parsed } = parse('MARK', opt, arg);
      expect(t.render(parsed)).toBe(text);
      const c = ctx(before);
      expect(t.apply(parsed, c)).toEqual({ kind: 'continue' });
      expect(c.packet.mark).toBe(after);
    }
  });

  it('REJECT defaults to icmp-port-unreachable; DNAT, REDIRECT and LOG', () => {
    const rej = parse('REJECT', '');
    expect(rej.t.apply(rej.parsed, ctx())).toEqual({ kind: 'verdict', verdict: 'REJECT', rejectWith: 'icmp-port-unreachable' });
    const dnat = parse('DNAT', '--to-destination', '10.1.1.1:8080');
    expect(dnat.t.apply(dnat.parsed, ctx())).toEqual({ kind: 'nat', request: { kind: 'DNAT', minIp: '10.1.1.1', maxIp: '10.1.1.1', ports: [8080, 8080] } });
    const redir = parse('REDIRECT', '--to-ports', '15001');
    expect(redir.t.apply(redir.parsed, ctx())).toEqual({ kind: 'nat', request: { kind: 'REDIRECT', minIp: '192.168.0.2', maxIp: '192.168.0.2', ports: [15001, 15001] } });
    const log = parse('LOG', '--log-prefix', 'x: ');
    const c = ctx();
    expect(log.t.apply(log.parsed, c)).toEqual({ kind: 'continue' });
    expect(c.logs).toEqual(['x: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=2']);
  });
});
