/**
 * `ip` (iproute2 6.1): `address`, `link` (both with `-d` details and `-br` lines), `route`
 * (incl. `route get`), `neighbour`, `netns`,
 * with iproute2's prefix matching of objects and subcommands and its error texts
 * (fixtures/tool-output/ip-errors.txt). The terminal is read-only: changes (`add`, `del` …) are
 * refused with a note rather than pretending to work.
 */
import type { Command, ShellContext, ShellResult } from './types';
import { renderIpAddr, renderIpLink } from '../render/ip-addr';
import { renderIpRoute, renderLocalTable } from '../render/ip-route';
import { renderIpNeigh } from '../render/ip-neigh';
import { lookupRoute, sourceAddressFor } from '../model/routes';
import { isIPv4 } from '../util/ip';
import { err, out } from './output';
import { cannotOpen, namedNetns, runInNetns } from './netns-exec';

const HELP = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
where  OBJECT := { address | link | neighbour | netns | route }
       OPTIONS := { -4 | -6 | -d[etails] | -s[tatistics] | -o[neline] | -br[ief] |
                    -n[etns] NAME }
       ip netns { list | exec NAME COMMAND... }
(hopscope models these objects; the others of iproute2 are not simulated)
`;

const OBJECTS = ['address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbor', 'neighbour', 'ntable', 'link', 'tunnel', 'tuntap', 'netns', 'netconf', 'help'] as const;
const MODIFY = ['add', 'del', 'delete', 'change', 'replace', 'set', 'flush', 'append', 'prepend'];

/** iproute2's `matches()`: `arg` is a non-empty prefix of `word`. */
function matches(arg: string, word: string): boolean {
  return arg.length > 0 && word.startsWith(arg);
}

/**
 * Device blocks of `ip addr`/`ip link` output whose name is `dev` (names print as `eth0@if7`);
 * with `-br`, its one line (`eth0@if7         UP …`).
 */
function filterDevice(text: string, dev: string, brief: boolean): string {
  const name = dev.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (brief) return text.split(/(?<=\n)/).filter((l) => new RegExp(`^${name}[@ ]`).test(l)).join('');
  const blocks = text.split(/(?=^\d+: )/m);
  return blocks.filter((b) => new RegExp(`^\\d+: ${name}[@:]`).test(b)).join('');
}

function deviceArg(args: string[]): string | undefined {
  const rest = args.filter((a) => !['show', 'list', 'lst', 'sh', 'ls', 'l', 's'].includes(a));
  const i = rest.indexOf('dev');
  return i >= 0 ? rest[i + 1] : rest[0];
}

/**
 * `ip -4 addr`: iproute2 keeps only the devices with an IPv4 address, and (without -d) drops
 * their link/ line, as the family filter applies to it too (ipaddress.c print_linkinfo).
 */
function ipv4Only(ns: ShellContext['netns'], text: string, show: { details: boolean; brief: boolean }): string {
  const withV4 = new Set(ns.devices.filter((d) => d.addresses.length > 0).map((d) => d.name));
  const nameOf = (head: string) => /^(?:\d+: )?([^@:\s]+)/.exec(head)?.[1] ?? '';
  if (show.brief) return text.split(/(?<=\n)/).filter((l) => withV4.has(nameOf(l))).join('');
  return text
    .split(/(?=^\d+: )/m)
    .filter((b) => withV4.has(nameOf(b)))
    .map((b) => (show.details ? b : b.replace(/^ {4}link\/.*\n/m, '')))
    .join('');
}

function showDevices(ctx: ShellContext, args: string[], mode: 'addr' | 'link', show: { details: boolean; brief: boolean; v4: boolean }): ShellResult {
  if (args[0] && MODIFY.includes(args[0])) return readOnly(`ip ${mode} ${args[0]}`);
  const opts = { details: show.details, brief: show.brief, now: ctx.now };
  let text = mode === 'addr' ? renderIpAddr(ctx.model, ctx.netns, opts) : renderIpLink(ctx.model, ctx.netns, opts);
  if (mode === 'addr' && show.v4) text = ipv4Only(ctx.netns, text, show);
  const dev = deviceArg(args);
  if (!dev) return out(text);
  if (!ctx.netns.devices.some((d) => d.name === dev)) return err(`Device "${dev}" does not exist.`);
  return out(filterDevice(text, dev, show.brief));
}

function readOnly(what: string): ShellResult {
  return err(`hopscope: \`${what}\` would change the cluster; this terminal only inspects it (edit the scenario instead)`, 2);
}

function routeGet(ctx: ShellContext, addr: string | undefined): ShellResult {
  if (!addr || !isIPv4(addr)) return err(`Error: any valid prefix is expected rather than "${addr ?? ''}".`, 1);
  const d = lookupRoute(ctx.netns, addr);
  if (d.kind === 'local') return out(`local ${addr} dev lo src ${addr} uid 0 \n    cache <local> `);
  if (d.kind === 'blackhole') return err('RTNETLINK answers: Invalid argument', 2);
  if (d.kind === 'unreachable') return err('RTNETLINK answers: Network is unreachable', 2);
  const r = d.route;
  const src = sourceAddressFor(ctx.netns, r);
  return out(`${addr}${r.via ? ` via ${r.via}` : ''} dev ${r.dev}${src ? ` src ${src}` : ''} uid 0 \n    cache `);
}

function route(ctx: ShellContext, args: string[]): ShellResult {
  const sub = args[0];
  if (!sub || matches(sub, 'show') || matches(sub, 'list')) {
    const dev = args.indexOf('dev') >= 0 ? args[args.indexOf('dev') + 1] : undefined;
    if (dev !== undefined && !ctx.netns.devices.some((d) => d.name === dev)) return err(`Cannot find device "${dev}"`);
    const t = args.indexOf('table') >= 0 ? args[args.indexOf('table') + 1] : undefined;
    let text = renderIpRoute(ctx.netns);
    if (t === 'local' || t === '255') text = renderLocalTable(ctx.netns);
    else if (t === 'all' || t === '0') text += renderLocalTable(ctx.netns, true);
    else if (t !== undefined && t !== 'main' && t !== '254') {
      if (!/^\d+$/.test(t) && t !== 'default') return err(`Error: argument "${t}" is wrong: table id value is invalid\n`, 255);
      // No other table exists in the model (no policy routing): the kernel never made one.
      return err('Error: ipv4: FIB table does not exist.\nDump terminated', 2);
    }
    if (!dev) return out(text);
    const kept = text.split('\n').filter((l) => l.includes(` dev ${dev} `) || l.endsWith(` dev ${dev}`));
    return out(kept.length ? kept.map((l) => l.replace(` dev ${dev}`, '')).join('\n') : '');
  }
  if (matches(sub, 'get')) return routeGet(ctx, args[1] === 'to' ? args[2] : args[1]);
  if (MODIFY.includes(sub)) return readOnly(`ip route ${sub}`);
  if (sub === 'help') return out('Usage: ip route { list | get } [ SELECTOR ]');
  return err(`Command "${sub}" is unknown, try "ip route help".`, 255);
}

function neigh(ctx: ShellContext, args: string[]): ShellResult {
  const sub = args[0];
  if (sub && MODIFY.includes(sub)) return readOnly(`ip neigh ${sub}`);
  if (sub && !matches(sub, 'show') && !matches(sub, 'list')) return err(`Command "${sub}" is unknown, try "ip neigh help".`, 255);
  const i = args.indexOf('dev');
  if (i < 0) return out(renderIpNeigh(ctx.netns));
  const dev = args[i + 1] ?? '';
  if (!ctx.netns.devices.some((d) => d.name === dev)) return err(`Cannot find device "${dev}"`);
  return out(renderIpNeigh(ctx.netns, { dev }));
}

function netns(ctx: ShellContext, args: string[], stdin: string | undefined): ShellResult {
  const sub = args[0];
  if (sub && matches(sub, 'exec')) return netnsExec(ctx, args.slice(1), stdin);
  if (sub && !matches(sub, 'list') && !matches(sub, 'show')) return sub && MODIFY.includes(sub) ? readOnly(`ip netns ${sub}`) : err(`Command "${sub}" is unknown, try "ip netns help".`, 255);
  if (ctx.netns.kind !== 'node') return out('');
  const names = [...ctx.model.netns.values()].filter((n) => n.kind === 'pod' && n.node === ctx.netns.node && n.id !== ctx.netns.id).map((n) => n.name);
  return out(names.map((n, i) => `${n} (id: ${i})`).join('\n'));
}

/** `ip netns exec NAME CMD…`: CMD runs in the pod namespace NAME (netns-exec.ts says what changes). */
function netnsExec(ctx: ShellContext, args: string[], stdin: string | undefined): ShellResult {
  const [name, ...cmd] = args;
  if (name === undefined) return err('No netns name specified', 255);
  if (!cmd.length) return err('No command specified', 255);
  const target = namedNetns(ctx, name);
  return target ? runInNetns(ctx, target, cmd, stdin) : cannotOpen(name);
}

interface IpOptions {
  rest: string[];
  v4: boolean;
  v6: boolean;
  details: boolean;
  brief: boolean;
  /** `-n NAME`: the namespace to switch to, and where the option stood in the arguments. */
  netns?: { name: string; at: number };
}

function parseOptions(args: string[]): IpOptions | ShellResult {
  let i = 0;
  let v4 = false;
  let v6 = false;
  let details = false;
  let brief = false;
  let netns: IpOptions['netns'];
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const o = args[i]!;
    if (o === '-6') v6 = true;
    else if (o === '-4') v4 = true;
    // `-n NAME`: the rest of the line runs as if under `ip netns exec NAME ip …` (ip.c `-netns`).
    else if (matches(o, '-netns')) {
      const name = args[i + 1];
      if (name === undefined) return err('Command line is not complete. Try option "help"', 255);
      netns = { name, at: i++ };
    }
    else if (matches(o, '-details')) details = true;
    // `-b` alone is iproute2's -batch; `-br` onwards is -brief.
    else if (o.length >= 3 && matches(o, '-brief')) brief = true;
    else if (matches(o, '-statistics') || matches(o, '-oneline') || o === '-c' || o === '-color') continue;
    else if (o === '-h' || matches(o, '-help')) return out(HELP);
    else return err(`Option "${o}" is unknown, try "ip -help".`, 255);
  }
  return { rest: args.slice(i), v4, v6, details, brief, ...(netns !== undefined ? { netns } : {}) };
}

function runIp(ctx: ShellContext, args: string[], stdin?: string): ShellResult {
  const opts = parseOptions(args);
  if ('exitCode' in opts) return opts;
  if (opts.netns) {
    const { name, at } = opts.netns;
    const target = namedNetns(ctx, name);
    if (!target) return cannotOpen(name);
    return runInNetns(ctx, target, ['ip', ...args.slice(0, at), ...args.slice(at + 2)], stdin);
  }
  const [obj, ...rest] = opts.rest;
  if (!obj) return err(HELP, 255);
  const which = OBJECTS.find((o) => matches(obj, o));
  if (!which) return err(`Object "${obj}" is unknown, try "ip help".`, 255);
  if (opts.v6 && which !== 'link') return out(''); // the model is IPv4-only
  switch (which) {
    case 'address':
      return showDevices(ctx, rest, 'addr', opts);
    case 'link':
      return showDevices(ctx, rest, 'link', opts);
    case 'route':
      return route(ctx, rest);
    case 'neighbor':
    case 'neighbour':
      return neigh(ctx, rest);
    case 'netns':
      return netns(ctx, rest, stdin);
    case 'help':
      return out(HELP);
    default:
      return err(`hopscope: \`ip ${which}\` is not modelled (objects: address, link, route, neighbour, netns)`, 2);
  }
}

/** `ip`: iproute2's view of the namespace the terminal stands in. */
export const ipCommand: Command = {
  name: 'ip',
  summary: 'show addresses, links, routes, neighbours (iproute2)',
  help: HELP,
  run: runIp,
  complete(ctx, args) {
    if (args.length <= 1) return ['address', 'link', 'neighbour', 'netns', 'route'];
    if (args.length === 2) return ['show'];
    return ctx.netns.devices.map((d) => d.name);
  },
};
