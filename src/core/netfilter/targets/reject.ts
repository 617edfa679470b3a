/**
 * `-j REJECT [--reject-with TYPE]`: drop and answer with an ICMP error or a TCP RST. The default
 * and the aliases are saved in their long form (`-j REJECT` → `--reject-with icmp-port-unreachable`).
 */
import type { TargetModule } from '../module';

const ALIASES: Readonly<Record<string, string>> = {
  'icmp-net-unreachable': 'icmp-net-unreachable',
  'net-unreach': 'icmp-net-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'icmp-port-unreachable': 'icmp-port-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'icmp-proto-unreachable': 'icmp-proto-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'icmp-net-prohibited': 'icmp-net-prohibited',
  'net-prohib': 'icmp-net-prohibited',
  'icmp-host-prohibited': 'icmp-host-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'icmp-admin-prohibited': 'icmp-admin-prohibited',
  'admin-prohib': 'icmp-admin-prohibited',
  'tcp-reset': 'tcp-reset',
  'tcp-rst': 'tcp-reset',
};

/** The `REJECT` target (parsed: the long `--reject-with` name). */
export const rejectTarget: TargetModule<string> = {
  name: 'REJECT',
  options: { '--reject-with': 1 },
  parse(options, rule) {
    const o = options[options.length - 1];
    const type = o ? ALIASES[o.args[0] ?? ''] : 'icmp-port-unreachable';
    if (!type) return { ok: false, error: `unknown reject type "${o?.args[0] ?? ''}"` };
    if (type === 'tcp-reset' && rule.protocol !== 6) return { ok: false, error: 'REJECT: tcp-reset needs -p tcp' };
    return { ok: true, parsed: type };
  },
  render: (type) => ` --reject-with ${type}`,
  apply: (type) => ({ kind: 'verdict', verdict: 'REJECT', rejectWith: type }),
  replayAs: 'ends',
};
