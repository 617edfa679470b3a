/**
 * Which interfaces a flow's packets crossed in the real kernel: one `tcpdump -i any` per
 * namespace (Linux cooked v2 frames carry the ifindex and direction), IPv4 only, IGMP left out
 * (the model has no multicast). Packets are attributed to a flow by capture time.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkNames } from './host';

/** One captured packet. */
export interface Captured {
  netns: string;
  ifname: string;
  out: boolean;
  /** Capture time, µs since the epoch. */
  t: number;
  /** Innermost IPv4 packet's protocol number and, for TCP, its flags byte. */
  proto?: number;
  tcpFlags?: number;
}

/**
 * The innermost IPv4 header's protocol (and TCP flags) of an IPv4 packet, unwrapping VXLAN
 * (UDP 4789/8472) and IPIP. Lenient on purpose: packets leaving a veth are captured before
 * checksum offload fills in their checksums, so a validating parser would reject them.
 */
function innermost(b: Buffer): { proto: number; tcpFlags?: number } | undefined {
  let at = 0;
  for (let depth = 0; depth < 4; depth++) {
    if (b.length < at + 20 || b[at]! >> 4 !== 4) return undefined;
    const ihl = (b[at]! & 0x0f) * 4;
    const proto = b[at + 9]!;
    const l4 = at + ihl;
    if (proto === 4) {
      at = l4;
      continue;
    }
    if (proto === 17 && b.length >= l4 + 8 + 8 + 14) {
      const dport = b.readUInt16BE(l4 + 2);
      if (dport === 8472 || dport === 4789) {
        at = l4 + 8 + 8 + 14;
        continue;
      }
    }
    return proto === 6 && b.length >= l4 + 14 ? { proto, tcpFlags: b[l4 + 13]! } : { proto };
  }
  return undefined;
}

interface Running {
  netns: string;
  file: string;
  proc: ChildProcess;
}

/** tcpdump in every namespace, writing to `dir`; resolves once all are listening. */
export async function startCaptures(namespaces: string[], dir: string): Promise<Running[]> {
  const running = namespaces.map((netns, i) => {
    const file = join(dir, `cap-${i}.pcap`);
    const proc = spawn('ip', ['netns', 'exec', netns, 'tcpdump', '-i', 'any', '-y', 'LINUX_SLL2', '-U', '--immediate-mode', '-n', '-Z', 'root', '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { netns, file, proc };
  });
  await Promise.all(
    running.map(
      (r) =>
        new Promise<void>((resolve, reject) => {
          let err = '';
          const timer = setTimeout(() => reject(new Error(`tcpdump in ${r.netns} did not start: ${err}`)), 10_000);
          r.proc.stderr!.on('data', (d: Buffer) => {
            err += String(d);
            if (err.includes('listening on')) {
              clearTimeout(timer);
              resolve();
            }
          });
          r.proc.on('exit', () => {
            clearTimeout(timer);
            reject(new Error(`tcpdump in ${r.netns} exited: ${err}`));
          });
        }),
    ),
  );
  for (const r of running) r.proc.removeAllListeners('exit');
  return running;
}

/** Stops the captures (SIGTERM, then SIGKILL if one hangs). */
export async function stopCaptures(running: Running[]): Promise<void> {
  await Promise.all(
    running.map(
      (r) =>
        new Promise<void>((resolve) => {
          if (r.proc.exitCode !== null || r.proc.signalCode !== null) return resolve();
          const kill = setTimeout(() => r.proc.kill('SIGKILL'), 3000);
          r.proc.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          r.proc.kill('SIGTERM');
        }),
    ),
  );
}

/** Parses a classic pcap file of LINKTYPE_LINUX_SLL2 (276) records. */
function readSll2(file: string, netns: string, names: Map<number, string>): Captured[] {
  if (!existsSync(file)) return [];
  const b = readFileSync(file);
  if (b.length < 24) return [];
  const out: Captured[] = [];
  for (let at = 24; at + 16 <= b.length; ) {
    const sec = b.readUInt32LE(at);
    const usec = b.readUInt32LE(at + 4);
    const incl = b.readUInt32LE(at + 8);
    const rec = b.subarray(at + 16, at + 16 + incl);
    at += 16 + incl;
    if (rec.length < 20 || rec.length < incl) break; // a record still being written
    const proto = rec.readUInt16BE(0);
    const ifindex = rec.readUInt32BE(4);
    const pkttype = rec[10]!;
    const c: Captured = { netns, ifname: names.get(ifindex) ?? `if${ifindex}`, out: pkttype === 4, t: sec * 1e6 + usec };
    // IPv4 only (ARP is not compared) and no IGMP (the model has no multicast). Filtering here,
    // not with a capture filter: a kernel filter on `any` missed frames on bridge ports.
    const inner = proto === 0x0800 ? innermost(rec.subarray(20)) : undefined;
    if (!inner || inner.proto === 2) continue;
    Object.assign(c, inner);
    out.push(c);
  }
  return out;
}

const names = new Map<string, Map<number, string>>();

/** Everything captured so far, in all namespaces (interface names looked up once per namespace). */
export function readCaptures(running: Running[]): Captured[] {
  const out: Captured[] = [];
  for (const r of running) {
    if (!names.has(r.netns)) names.set(r.netns, linkNames(r.netns));
    out.push(...readSll2(r.file, r.netns, names.get(r.netns)!));
  }
  return out;
}
