import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng';
import { createConntrack, renderConntrack } from './conntrack';
import { runHook } from './evaluate';
import { restore } from './restore';
import { createNetfilter } from './state';
import type { HookEnv, NfPacket } from './types';

const env: HookEnv = { isLocal: () => false, primaryAddress: () => '10.1.0.1', rng: createRng(1), now: 0 };

// Lines captured from the real `conntrack -L` (conntrack-tools v1.4.7) in a scratch netns, for the format:
//   udp      17 29 src=10.1.0.1 dst=10.96.0.10 sport=43197 dport=53 [UNREPLIED] src=10.1.0.7 dst=10.1.0.1 sport=5353 dport=28474 mark=0 use=1
//   tcp      6 119 TIME_WAIT src=10.1.0.1 dst=10.1.0.7 sport=35598 dport=8080 src=10.1.0.7 dst=10.1.0.1 sport=8080 dport=6023 [ASSURED] mark=0 use=1
describe('renderConntrack (conntrack -L format)', () => {
  it('prints an unreplied UDP entry after DNAT as conntrack does', () => {
    const nf = createNetfilter();
    restore(nf, '*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.0.7:5353\nCOMMIT\n');
    const ct = createConntrack();
    const p: NfPacket = { src: '10.1.0.1', dst: '10.96.0.10', protocol: 'udp', sport: 43197, dport: 53, mark: 0, length: 40 };
    const out = runHook(nf, ct, { hook: 'OUTPUT', packet: p, outIface: 'v0' }, env);
    runHook(nf, ct, { hook: 'POSTROUTING', packet: out.packet, outIface: 'v0' }, env);
    expect(renderConntrack(ct, 1)).toBe(
      'udp      17 29 src=10.1.0.1 dst=10.96.0.10 sport=43197 dport=53 [UNREPLIED] src=10.1.0.7 dst=10.1.0.1 sport=5353 dport=43197 mark=0 use=1\n',
    );
    // Entries disappear when they time out.
    expect(renderConntrack(ct, 31)).toBe('');
  });

  it('prints ICMP entries with type, code and id', () => {
    const ct = createConntrack();
    const nf = createNetfilter();
    const p: NfPacket = { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'icmp', icmpType: 8, icmpCode: 0, icmpId: 77, mark: 0, length: 84 };
    runHook(nf, ct, { hook: 'OUTPUT', packet: p }, env);
    runHook(nf, ct, { hook: 'POSTROUTING', packet: p }, env);
    const reply = runHook(nf, ct, { hook: 'PREROUTING', packet: { ...p, src: p.dst, dst: p.src, icmpType: 0 } }, env);
    expect(reply.ctState).toBe('ESTABLISHED');
    expect(renderConntrack(ct, 0)).toBe('icmp     1 30 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=77 src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=77 mark=0 use=1\n');
  });
});
