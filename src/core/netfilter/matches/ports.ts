/**
 * Port and port-range parsing shared by the tcp, udp and multiport matches: `80`, `1:1024`,
 * `:100` (0:100), `100:` (100:65535) and a few service names from /etc/services.
 */

const SERVICES: Readonly<Record<string, number>> = { ssh: 22, domain: 53, http: 80, https: 443, 'http-alt': 8080 };

/** One port number or service name; undefined if invalid. */
export function parsePort(s: string): number | undefined {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n <= 65535 ? n : undefined;
  }
  return SERVICES[s];
}

/** `a`, `a:b`, `:b` or `a:`; undefined if invalid. */
export function parsePortRange(s: string): [number, number] | undefined {
  const i = s.indexOf(':');
  if (i < 0) {
    const p = parsePort(s);
    return p === undefined ? undefined : [p, p];
  }
  const lo = i === 0 ? 0 : parsePort(s.slice(0, i));
  const hi = i === s.length - 1 ? 65535 : parsePort(s.slice(i + 1));
  if (lo === undefined || hi === undefined || lo > hi) return undefined;
  return [lo, hi];
}

/** As iptables-save prints a range: `80` or `1:1024`. */
export function renderPortRange(r: readonly [number, number]): string {
  return r[0] === r[1] ? String(r[0]) : `${r[0]}:${r[1]}`;
}

/** True if `port` is defined and inside the range. */
export function inPortRange(r: readonly [number, number], port: number | undefined): boolean {
  return port !== undefined && port >= r[0] && port <= r[1];
}
