/**
 * CoreDNS with the kubeadm Corefile (spec/dns-and-ingress.md §1): the `kubernetes` plugin
 * answers the cluster zone authoritatively, `forward . /etc/resolv.conf` sends everything else
 * to the node's resolver, and an ExternalName CNAME is chased (the plugin resolves the target
 * through the server itself, so the client gets CNAME + A in one reply). Forwarding is an
 * `Exchange` the caller supplies, so the simulator can walk it as a real flow from the CoreDNS
 * pod. Not modelled: `cache 30` (every query is answered afresh) and `loadbalance` shuffling.
 */
import type { DnsReply, ExchangeResult } from './resolver';
import type { ClusterZone } from './zone';
import { answerFromZone } from './zone';

/** How CoreDNS reaches its upstream for one question. */
export type Forward = (name: string, type: string) => ExchangeResult;

export interface CorednsAnswer {
  reply: DnsReply;
  /** Questions CoreDNS forwarded upstream while answering, in order. */
  forwarded: { name: string; type: string; result: ExchangeResult }[];
}

const SERVFAIL: DnsReply = { rcode: 2, aa: false, answers: [], authority: [] };

function forwardOnce(name: string, type: string, forward: Forward, log: CorednsAnswer['forwarded']): DnsReply {
  const result = forward(name, type);
  log.push({ name, type, result });
  return result.ok ? { ...result.reply, aa: false } : SERVFAIL;
}

/** CoreDNS's reply to `type? name`. */
export function corednsAnswer(zone: ClusterZone, name: string, type: string, forward: Forward): CorednsAnswer {
  const forwarded: CorednsAnswer['forwarded'] = [];
  const first = answerFromZone(zone, name, type);
  if (first.kind === 'forward') return { reply: forwardOnce(name, type, forward, forwarded), forwarded };
  const reply = { ...first.reply, answers: [...first.reply.answers] };
  const cname = reply.answers.find((r) => r.type === 'CNAME');
  if (cname && cname.type === 'CNAME' && type !== 'CNAME') {
    const target = answerFromZone(zone, cname.target, type);
    const chased = target.kind === 'forward' ? forwardOnce(cname.target, type, forward, forwarded) : target.reply;
    reply.answers.push(...chased.answers);
  }
  return { reply, forwarded };
}
