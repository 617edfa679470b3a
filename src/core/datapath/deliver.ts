/**
 * Local delivery: the packet reached an address of this namespace; a socket takes it or the
 * kernel answers for it (ICMP echo; TCP RST or ICMP port unreachable when nothing listens).
 */
import type { Device, Netns } from '../model/types';
import type { Packet } from './packet';
import type { StageResult } from './step';
import type { WalkContext } from './context';
import { devHop } from './context';
import { l4Of, outerIp } from './headers';
import { dropped } from './step';

export function deliverLocal(ctx: WalkContext, ns: Netns, dev: Device, p: Packet): StageResult {
  const ip = outerIp(p);
  const l4 = l4Of(p);
  const exp = ctx.expect;
  if (exp) {
    const port = l4 && (l4.kind === 'tcp' || l4.kind === 'udp' || l4.kind === 'sctp') ? l4.dport : undefined;
    if (ns.id === exp.netns && ip.dst === exp.ip && (exp.port === undefined || exp.port === port)) {
      if (l4?.kind === 'tcp' && l4.flags.includes('R')) {
        return { hops: [devHop(ns, dev, 'deliver', p, `The RST reaches the client's socket ${ip.dst}:${port} in ${ns.id}: connect() fails with "Connection refused".`)], end: { verdict: 'delivered', endpoint: { netns: ns.id, owner: 'client' } } };
      }
      return { hops: [devHop(ns, dev, 'deliver', p, `The reply reaches the client's socket ${ip.dst}${port ? `:${port}` : ''} in ${ns.id}: the exchange is complete.`)], end: { verdict: 'delivered', endpoint: { netns: ns.id, owner: 'client' } } };
    }
    return dropped([], 'connection-refused', devHop(ns, dev, 'drop', p, `The reply arrives at ${ip.dst}${port ? `:${port}` : ''} in ${ns.id}, but the client is waiting at ${exp.ip}${exp.port ? `:${exp.port}` : ''}: no socket expects it, so it is discarded.`));
  }
  if (l4?.kind === 'icmp') {
    if (l4.type === 8) return { hops: [devHop(ns, dev, 'deliver', p, `${ns.id} owns ${ip.dst}; the kernel itself answers the ICMP echo request.`)], end: { verdict: 'delivered', endpoint: { netns: ns.id, owner: 'kernel' } } };
    return { hops: [devHop(ns, dev, 'deliver', p, `${ns.id} receives the ICMP message.`)], end: { verdict: 'delivered', endpoint: { netns: ns.id, owner: 'kernel' } } };
  }
  if (l4?.kind === 'tcp' || l4?.kind === 'udp' || l4?.kind === 'sctp') {
    const sock = ns.sockets.find((s) => s.protocol === l4.kind && s.port === l4.dport && (s.address === undefined || s.address === ip.dst));
    if (sock) {
      const shared = ns.kind === 'pod' ? ' (every container of the pod shares this network namespace)' : '';
      return { hops: [devHop(ns, dev, 'deliver', p, `Delivered to the socket listening on ${ip.dst}:${l4.dport}/${l4.kind} (${sock.owner}) in ${ns.id}${shared}.`)], end: { verdict: 'delivered', endpoint: { netns: ns.id, owner: sock.owner } } };
    }
    if (l4.kind === 'sctp') return dropped([], 'connection-refused', devHop(ns, dev, 'drop', p, `Nothing listens on ${ip.dst}:${l4.dport}/sctp in ${ns.id}: the kernel answers the INIT with an ABORT (connection refused).`));
    if (l4.kind === 'tcp') return dropped([], 'connection-refused', devHop(ns, dev, 'drop', p, `Nothing listens on ${ip.dst}:${l4.dport}/tcp in ${ns.id}: the kernel answers with a TCP RST (connection refused).`));
    return dropped([], 'port-unreachable', devHop(ns, dev, 'drop', p, `Nothing listens on ${ip.dst}:${l4.dport}/udp in ${ns.id}: the kernel answers ICMP port unreachable.`));
  }
  return dropped([], 'unreachable', devHop(ns, dev, 'drop', p, `${ns.id} has no handler for this packet.`));
}
