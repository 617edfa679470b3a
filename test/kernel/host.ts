/**
 * The real-kernel side of the conformance suite: capability checks, building and removing an
 * exported scenario, running a client inside a namespace, reading conntrack. Every command
 * runs inside a namespace the suite made (`ip -n`, `ip netns exec`); nothing here adds a
 * route, rule, address or link to the root namespace. Every call has a timeout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TOOLS = ['ip', 'bridge', 'iptables-restore', 'ipset', 'nfacct', 'conntrack', 'tcpdump', 'tshark', 'sysctl'];

function which(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** What this machine lacks for the suite; empty when it can run. */
export function missingCapabilities(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux') return ['Linux'];
  if (process.getuid?.() !== 0) missing.push('root');
  for (const t of TOOLS) if (!which(t)) missing.push(t);
  if (missing.length) return missing;
  const probe = `hsprobe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 5000 });
  if (add.status !== 0) return [`ip netns (${add.stderr.trim()})`];
  try {
    const vx = spawnSync('ip', ['-n', probe, 'link', 'add', 'vx0', 'type', 'vxlan', 'id', '1', 'dstport', '8472', 'local', '192.0.2.1'], { encoding: 'utf8', timeout: 5000 });
    if (vx.status !== 0) missing.push(`vxlan (${vx.stderr.trim()})`);
  } finally {
    spawnSync('ip', ['netns', 'del', probe], { timeout: 5000 });
  }
  return missing;
}

/** Runs a generated script with sh; throws with its stderr on failure. */
export function runScript(script: string, env: Record<string, string>, timeoutMs = 60_000): void {
  const r = spawnSync('sh', ['-eu'], { input: script, encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs, stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`script failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
}

/** Namespaces that currently exist with this prefix (for cleanup checks). */
export function namespacesWithPrefix(prefix: string): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 5000 });
  return out
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n && n.startsWith(prefix));
}

/** Removes every namespace with this prefix, stopping the processes inside first. */
export function removeNamespaces(prefix: string): void {
  for (const ns of namespacesWithPrefix(prefix)) {
    const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', timeout: 5000 }).stdout.split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    spawnSync('ip', ['netns', 'del', ns], { timeout: 5000 });
  }
}

/**
 * Removes namespaces an earlier run of this suite left behind when it was killed: they are
 * named `hk<pid base 36>s<index>-…` and their run's process is gone.
 */
export function removeStaleRuns(): void {
  const dead = new Set<string>();
  for (const ns of namespacesWithPrefix('hk')) {
    const m = /^(hk([0-9a-z]+)s\d+-)/.exec(ns);
    if (!m) continue;
    let alive = true;
    try {
      process.kill(parseInt(m[2]!, 36), 0);
    } catch {
      alive = false;
    }
    if (!alive) dead.add(`hk${m[2]}s`);
  }
  for (const prefix of dead) removeNamespaces(prefix);
}

/** The iproute2 and kernel whose texts the output comparisons (tools, ip-link-details) were matched on. */
const MATCHED_IPROUTE2 = 'ip utility, iproute2-6.1.0';
const MATCHED_KERNEL = /^6\.18\./;

/**
 * Why an output comparison cannot run here (not root on Linux, or another iproute2 or kernel than
 * the texts were matched on: their formats differ by version), or undefined when it can.
 * `what` names the compared texts in the reason.
 */
export function outputsSkipReason(what: string): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  const v = spawnSync('ip', ['-V'], { encoding: 'utf8', timeout: 5000 });
  if (v.status !== 0) return 'no ip';
  if (!v.stdout.startsWith(MATCHED_IPROUTE2)) return `iproute2 is "${v.stdout.trim()}", the ${what} were matched on ${MATCHED_IPROUTE2}`;
  const r = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
  if (!MATCHED_KERNEL.test(r)) return `kernel ${r}, the ${what} were matched on 6.18`;
  return undefined;
}

/**
 * Removes what killed earlier runs of one suite left: namespaces `<tag>-<pid base 36>-…` whose
 * process is gone (each suite has its own tag, so one never removes another's live run).
 */
export function removeStaleTagged(tag: string): void {
  const dead = new Set<string>();
  const pattern = new RegExp(`^${tag}-([0-9a-z]+)-`);
  for (const ns of namespacesWithPrefix(`${tag}-`)) {
    const m = pattern.exec(ns);
    if (!m) continue;
    try {
      process.kill(parseInt(m[1]!, 36), 0);
    } catch {
      dead.add(m[0]);
    }
  }
  for (const prefix of dead) removeNamespaces(prefix);
}

/** What a client saw: the server's answer line, or how it failed. */
export interface ClientResult {
  outcome: 'delivered' | 'refused' | 'unreachable' | 'timeout' | 'error';
  /** The listener's label (`default/web-0`, `node-2`, `external/…`). */
  label?: string;
  /** The peer address the server saw (after any SNAT). */
  peer?: { ip: string; port: number };
  error?: string;
}

/** The client program: sends one request per line of its plan and prints one JSON result per request. */
const CLIENT_JS = `
const net=require('net'),dgram=require('dgram');
const [,proto,host,port,sport,count,timeout]=process.argv;const n=+count,t=+timeout;const out=[];
const done=(r)=>{out.push(r);if(out.length===n){process.stdout.write(JSON.stringify(out));process.exit(0);}else next();};
const parse=(s)=>{const [label,peer]=String(s).trim().split(' ');const i=peer.lastIndexOf(':');return {outcome:'delivered',label,peer:{ip:peer.slice(0,i),port:+peer.slice(i+1)}};};
const cls=(e)=>e.code==='ECONNREFUSED'?'refused':(e.code==='EHOSTUNREACH'||e.code==='ENETUNREACH')?'unreachable':'error';
function next(){
 if(proto==='tcp'){let buf='',fin=false;const o={host,port:+port,timeout:t};if(+sport)o.localPort=+sport;
  const s=net.connect(o);const tm=setTimeout(()=>{if(!fin){fin=true;s.destroy();done({outcome:'timeout'});}},t);
  s.on('data',d=>buf+=d);s.on('end',()=>{if(!fin){fin=true;clearTimeout(tm);done(parse(buf));}});
  s.on('error',e=>{if(!fin){fin=true;clearTimeout(tm);done({outcome:cls(e),error:e.code});}});}
 else{const u=dgram.createSocket('udp4');let fin=false;const tm=setTimeout(()=>{if(!fin){fin=true;u.close();done({outcome:'timeout'});}},t);
  u.on('message',m=>{if(!fin){fin=true;clearTimeout(tm);u.close();done(parse(m));}});
  u.on('error',e=>{if(!fin){fin=true;clearTimeout(tm);u.close();done({outcome:cls(e),error:e.code});}});
  u.bind(+sport||0,()=>u.send('hopscope',+port,host));}
}
next();`;

/**
 * Sends `count` requests from inside namespace `netns` (sequentially; the first from `sport`
 * when given, which must then be 0 for count > 1). Bounded: `timeoutMs` per request.
 */
export function runClient(netns: string, req: { protocol: 'tcp' | 'udp'; ip: string; port: number; sport?: number; count?: number; timeoutMs?: number }): ClientResult[] {
  const count = req.count ?? 1;
  const t = req.timeoutMs ?? 1500;
  const r = spawnSync('ip', ['netns', 'exec', netns, process.execPath, '-e', CLIENT_JS, req.protocol, req.ip, String(req.port), String(req.sport ?? 0), String(count), String(t)], { encoding: 'utf8', timeout: count * t + 10_000 });
  if (r.status !== 0) throw new Error(`client in ${netns} failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as ClientResult[];
}

/** One conntrack entry's tuples, as `conntrack -L` prints them. */
export interface KernelCtEntry {
  protocol: string;
  orig: { src: string; dst: string; sport?: number; dport?: number };
  reply: { src: string; dst: string; sport?: number; dport?: number };
}

/** `conntrack -L` inside `netns`, parsed (IGMP and other non-TCP/UDP/ICMP entries included). */
export function readConntrack(netns: string): KernelCtEntry[] {
  const out = execFileSync('ip', ['netns', 'exec', netns, 'conntrack', '-L'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  const entries: KernelCtEntry[] = [];
  for (const line of out.split('\n')) {
    const proto = line.split(/\s+/)[0];
    if (!proto) continue;
    const kv = [...line.matchAll(/(src|dst|sport|dport|id)=(\S+)/g)].filter((m) => m[1] !== 'id');
    const half = (from: number) => {
      const t: KernelCtEntry['orig'] = { src: '', dst: '' };
      for (const m of kv.slice(from, from + 4)) {
        if (m[1] === 'src' || m[1] === 'dst') t[m[1]] = m[2]!;
        else t[m[1] as 'sport' | 'dport'] = Number(m[2]);
      }
      return t;
    };
    const perDir = proto === 'tcp' || proto === 'udp' ? 4 : 2;
    entries.push({ protocol: proto, orig: half(0), reply: kv.length >= perDir * 2 ? { ...half(perDir) } : { src: '', dst: '' } });
  }
  return entries;
}

/** `conntrack -F` inside `netns`. */
export function flushConntrack(netns: string): void {
  spawnSync('ip', ['netns', 'exec', netns, 'conntrack', '-F'], { stdio: 'ignore', timeout: 5000 });
}

/** ifindex → name inside `netns`. */
export function linkNames(netns: string): Map<number, string> {
  const out = execFileSync('ip', ['-n', netns, '-j', 'link', 'show'], { encoding: 'utf8', timeout: 5000 });
  const links = JSON.parse(out) as { ifindex: number; ifname: string }[];
  return new Map(links.map((l) => [l.ifindex, l.ifname]));
}

export const TSHARK = existsSync('/usr/bin/tshark') ? '/usr/bin/tshark' : 'tshark';
