/**
 * `-m recent`: named lists of addresses with the times they were seen (xt_recent). kube-proxy
 * uses it for `sessionAffinity: ClientIP`: the endpoint chain does `--set`, the service chain
 * `--rcheck --seconds 10800 --reap`. iptables-save always prints the name (default `DEFAULT`),
 * the mask and the side; order: command, --seconds, --reap, --hitcount, --rttl, --name,
 * --mask, --rsource|--rdest (verified). Lists live on `NetfilterState.recent`, per netns.
 * `--rttl` is parsed and printed but not modelled (we keep no TTL per entry).
 */
import type { MatchModule, ParseResult } from '../module';
import { inetAton } from '../address';
import { intToIpv4, ipv4ToInt } from '../../util/ip';
import type { RecentList } from '../types';

/** Parsed `-m recent`. */
export interface RecentMatch {
  command: 'set' | 'rcheck' | 'update' | 'remove';
  negate: boolean;
  seconds?: number;
  reap: boolean;
  hitcount?: number;
  rttl: boolean;
  name: string;
  mask: number;
  side: 'rsource' | 'rdest';
}

const COMMANDS = ['--set', '--rcheck', '--update', '--remove'];

function parseRecent(options: { name: string; negate: boolean; args: string[] }[]): ParseResult<RecentMatch> {
  const m: RecentMatch = { command: 'set', negate: false, reap: false, rttl: false, name: 'DEFAULT', mask: 0xffffffff, side: 'rsource' };
  let commands = 0;
  for (const o of options) {
    const a = o.args[0] ?? '';
    if (COMMANDS.includes(o.name)) {
      commands++;
      m.command = o.name.slice(2) as RecentMatch['command'];
      m.negate = o.negate;
    } else if (o.name === '--seconds' || o.name === '--hitcount') {
      const n = Number(a);
      if (!Number.isInteger(n) || n < 0) return { ok: false, error: `recent: bad value for ${o.name}` };
      if (o.name === '--seconds') m.seconds = n;
      else m.hitcount = n;
    } else if (o.name === '--reap') m.reap = true;
    else if (o.name === '--rttl') m.rttl = true;
    else if (o.name === '--name') m.name = a;
    else if (o.name === '--mask') {
      const mask = inetAton(a);
      if (mask === undefined) return { ok: false, error: `recent: bad mask "${a}"` };
      m.mask = mask;
    } else m.side = o.name === '--rdest' ? 'rdest' : 'rsource';
  }
  if (commands !== 1) return { ok: false, error: 'recent: you must specify one of `--set\', `--rcheck\' `--update\' or `--remove\'' };
  if (m.reap && m.seconds === undefined) return { ok: false, error: 'recent: --reap requires --seconds' };
  return { ok: true, parsed: m };
}

/** The list `name` of this netns, created on first use. */
function list(lists: Map<string, RecentList>, name: string): RecentList {
  let l = lists.get(name);
  if (!l) {
    l = new Map();
    lists.set(name, l);
  }
  return l;
}

/** The `recent` match module. */
export const recentMatch: MatchModule<RecentMatch> = {
  name: 'recent',
  options: { '--set': 0, '--rcheck': 0, '--update': 0, '--remove': 0, '--seconds': 1, '--reap': 0, '--hitcount': 1, '--rttl': 0, '--name': 1, '--mask': 1, '--rsource': 0, '--rdest': 0 },
  parse: parseRecent,
  render(m) {
    let s = `${m.negate ? ' !' : ''} --${m.command}`;
    if (m.seconds !== undefined) s += ` --seconds ${m.seconds}`;
    if (m.reap) s += ' --reap';
    if (m.hitcount !== undefined) s += ` --hitcount ${m.hitcount}`;
    if (m.rttl) s += ' --rttl';
    return `${s} --name ${m.name} --mask ${intToIpv4(m.mask)} --${m.side}`;
  },
  evaluate(m, ctx) {
    const lists = (ctx.nf.recent ??= new Map());
    const l = list(lists, m.name);
    const ip = m.side === 'rsource' ? ctx.packet.src : ctx.packet.dst;
    const key = intToIpv4((ipv4ToInt(ip) & m.mask) >>> 0);
    const now = ctx.env.now;
    if (m.command === 'set') {
      l.set(key, [...(l.get(key) ?? []), now]);
      return !m.negate;
    }
    let stamps = l.get(key);
    if (!stamps) return m.negate;
    if (m.command === 'remove') {
      l.delete(key);
      return !m.negate;
    }
    let hit = true;
    if (m.seconds !== undefined || m.hitcount !== undefined) {
      const since = m.seconds === undefined ? -Infinity : now - m.seconds;
      const recentHits = stamps.filter((t) => t >= since).length;
      hit = recentHits >= (m.hitcount ?? 1);
      if (m.reap && m.seconds !== undefined) {
        stamps = stamps.filter((t) => t >= since);
        if (stamps.length === 0) l.delete(key);
        else l.set(key, stamps);
      }
    }
    if (hit && m.command === 'update') l.set(key, [...stamps, now]);
    return hit !== m.negate;
  },
};
