/**
 * `hopscope export netns`: a POSIX shell script that builds the model with real kernel objects
 * on one Linux host (DESIGN §6: the kernel is an oracle). Every object lives in a network
 * namespace the script creates; nothing is added to the root namespace, and no link reaches
 * the host's NICs. Read first: ip-netns(8), ip-link(8) (veth, bridge, vxlan), ip-route(8),
 * bridge(8), iptables-restore(8).
 *
 * What it reproduces, one to one: namespaces, devices (names, MACs, MTUs, up/down, bridge
 * ports, hairpin and promiscuous mode), addresses, the main table's routes exactly as `ip route` prints them
 * (addresses are added `noprefixroute` and the model's connected routes are added as routes,
 * so the table is the model's, not the kernel's idea of it), PERMANENT neighbours, FDB entries
 * the kernel does not make by itself, the sysctls the model holds, and each namespace's
 * ipsets (`ipset restore`) and iptables rules fed to `iptables-restore` as `renderIptablesSave`
 * prints them.
 *
 * What it adds because the model leaves it implicit (each named in the script's comments):
 * IPv6 off in every namespace (the model is IPv4: no router solicitations or MLD on the wire),
 * `proxy_delay` 0 where proxy ARP is on (as Calico's Felix sets it), no ICMP redirects from
 * the router (the model's router sends none), and for a cloud fabric that does not decrement
 * TTL a mangle rule that adds back the one the Linux router takes.
 */
import type { ClusterModel, Device, Netns, Route } from '../model/types';
import type { TableName } from '../netfilter/types';
import { formatRoute } from '../model/routes';
import { renderIptablesSave } from '../render/iptables-save';
import { LISTENER_JS, listenerSpec } from './listeners';
import { listenBacklog } from '../model/listen-backlog';
import { DEFAULT_PREFIX, listenerLabel, netnsNameFor, segmentBridgeName, underlayNetnsName, underlayPortName } from './names';

/** Options of `exportNetnsScript`. */
export interface ExportOptions {
  /** Namespace name prefix; `hs-` when absent. */
  prefix?: string;
  /** Print the script that removes everything the build script made instead. */
  teardown?: boolean;
}

/** The script, or why the model cannot be built on this kernel. */
export type ExportResult = { ok: true; script: string } | { ok: false; error: string };

/** Shell single-quoting. */
export function shq(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** What the kernel here cannot run: kube-proxy IPVS (no ip_vs), IPIP (no CONFIG_NET_IPIP). */
export function unsupportedReason(model: ClusterModel): string | undefined {
  if (model.proxyMode !== 'iptables') {
    const why = model.proxyMode === 'ipvs' ? 'it needs the kernel IPVS module (ip_vs), which this kernel does not provide' : 'only the iptables mode has its rules in the model as iptables-restore text';
    return `kube-proxy mode "${model.proxyMode}" cannot be exported: ${why}`;
  }
  for (const ns of model.netns.values()) {
    const ipip = ns.devices.find((d) => d.kind === 'ipip');
    if (ipip) return `IPIP tunnels (${ipip.name} in ${ns.id}, Calico's ipip backend) cannot be exported: the kernel this targets has no IPIP support (CONFIG_NET_IPIP, the tunl0 device)`;
    if (ns.ipvs?.services.length) return `IPVS virtual services (in ${ns.id}, e.g. a cloud load balancer) cannot be exported: they need the kernel IPVS module (ip_vs), which this kernel does not provide`;
  }
  return undefined;
}

interface Ctx {
  model: ClusterModel;
  prefix: string;
  name: (ns: Netns) => string;
  out: string[];
}

function netnsList(model: ClusterModel, prefix: string): string[] {
  return [underlayNetnsName(prefix), ...[...model.netns.values()].map((ns) => netnsNameFor(ns, prefix))];
}

function header(c: Ctx, title: string): void {
  c.out.push('', `# --- ${title}`);
}

function linkAttrs(d: Device): string {
  return `address ${d.mac} mtu ${d.mtu}`;
}

function createNamespaces(c: Ctx): void {
  header(c, 'namespaces (IPv6 off: the model is IPv4 only, so no router solicitations or MLD)');
  for (const n of netnsList(c.model, c.prefix)) {
    c.out.push(`ip netns add ${shq(n)}`);
    c.out.push(`ip netns exec ${shq(n)} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1`);
    c.out.push(`ip -n ${shq(n)} link set lo up`);
  }
  const u = shq(underlayNetnsName(c.prefix));
  header(c, 'underlay: one bridge per segment, a plain switch (no netfilter on bridged frames)');
  c.out.push(`ip netns exec ${u} sysctl -qw net.bridge.bridge-nf-call-iptables=0`);
  for (const seg of c.model.segments.values()) {
    const br = segmentBridgeName(seg.id);
    c.out.push(`ip -n ${u} link add ${br} type bridge`, `ip -n ${u} link set ${br} up`);
  }
}

/** Devices, in dependency order: NICs (cabled to the underlay), bridges, dummies, veth pairs, vxlan. */
function createDevices(c: Ctx): void {
  const u = shq(underlayNetnsName(c.prefix));
  const madePairs = new Set<string>();
  header(c, 'devices');
  // Each namespace's devices in the model's ifindex order, so that the kernel numbers them alike
  // (`ip link`, and `bridge fdb show`, which lists by ifindex). A pod's eth0 is made as the peer
  // of its node's veth, so the pods come last.
  const order = [...c.model.netns.values()].sort((a, b) => Number(a.kind === 'pod') - Number(b.kind === 'pod'));
  for (const ns of order) {
    const n = shq(c.name(ns));
    for (const d of [...ns.devices].sort((a, b) => a.ifindex - b.ifindex)) {
      if (d.kind === 'nic') {
        const port = underlayPortName(c.model, ns.id, d.name)!;
        c.out.push(`ip -n ${n} link add ${d.name} ${linkAttrs(d)} type veth peer name ${port} netns ${u}`);
        c.out.push(`ip -n ${u} link set ${port} mtu ${d.mtu} master ${segmentBridgeName(d.segment)} up`);
      } else if (d.kind === 'bridge') c.out.push(`ip -n ${n} link add ${d.name} ${linkAttrs(d)} type bridge`);
      else if (d.kind === 'dummy') c.out.push(`ip -n ${n} link add ${d.name} ${linkAttrs(d)} type dummy`);
      else if (d.kind === 'veth') {
        const key = (a: string, b: string) => `${a}#${b}`;
        if (madePairs.has(key(ns.id, d.name))) continue;
        madePairs.add(key(d.peer.netns, d.peer.name));
        const pns = c.model.netns.get(d.peer.netns);
        const peer = pns?.devices.find((x) => x.name === d.peer.name);
        if (!pns || !peer) continue;
        const where = pns === ns ? '' : ` netns ${shq(c.name(pns))}`;
        c.out.push(`ip -n ${n} link add ${d.name} ${linkAttrs(d)} type veth peer name ${peer.name} ${linkAttrs(peer)}${where}`);
      } else if (d.kind === 'vxlan') {
        c.out.push(`ip -n ${n} link add ${d.name} ${linkAttrs(d)} type vxlan id ${d.vni} local ${d.local} dev ${d.underlay} dstport ${d.dstport}${d.learning ? '' : ' nolearning'}`);
      }
    }
  }
  header(c, 'bridge ports, hairpin mode, promiscuous mode, links up');
  for (const ns of c.model.netns.values()) {
    const n = shq(c.name(ns));
    for (const d of ns.devices) {
      if (d.master) c.out.push(`ip -n ${n} link set ${d.name} master ${d.master}`);
      if (d.hairpin) c.out.push(`ip -n ${n} link set ${d.name} type bridge_slave hairpin on`);
      if (d.promisc) c.out.push(`ip -n ${n} link set ${d.name} promisc on`);
    }
    for (const d of ns.devices) if (d.up && d.kind !== 'loopback') c.out.push(`ip -n ${n} link set ${d.name} up`);
  }
}

function addAddresses(c: Ctx): void {
  header(c, 'addresses (noprefixroute: the connected routes come from the model below)');
  for (const ns of c.model.netns.values()) {
    const n = shq(c.name(ns));
    for (const d of ns.devices) {
      for (const a of d.addresses) {
        if (d.kind === 'loopback' && a.ip === '127.0.0.1') continue;
        const brd = a.prefix < 31 && d.kind !== 'loopback' ? ' brd +' : '';
        const scope = a.scope !== 'global' ? ` scope ${a.scope}` : '';
        c.out.push(`ip -n ${n} addr add ${a.ip}/${a.prefix}${brd}${scope} dev ${d.name} noprefixroute`);
      }
    }
  }
}

function sysctl(n: string, key: string, value: boolean | number): string {
  return `ip netns exec ${n} sysctl -qw ${key}=${typeof value === 'boolean' ? (value ? 1 : 0) : value}`;
}

function setSysctls(c: Ctx): void {
  header(c, 'sysctls');
  for (const ns of c.model.netns.values()) {
    const n = shq(c.name(ns));
    c.out.push(sysctl(n, 'net.ipv4.ip_forward', ns.sysctls.ipForward));
    c.out.push(sysctl(n, 'net.bridge.bridge-nf-call-iptables', ns.sysctls.bridgeNfCallIptables));
    if (ns.sysctls.routeLocalnet) c.out.push(sysctl(n, 'net.ipv4.conf.all.route_localnet', true));
    for (const d of ns.devices.filter((x) => x.proxyArp)) {
      // Felix sets proxy_delay 0 with proxy_arp; the kernel's default delays answers up to 0.8 s.
      c.out.push(sysctl(n, `net/ipv4/conf/${d.name}/proxy_arp`, true), sysctl(n, `net/ipv4/neigh/${d.name}/proxy_delay`, 0));
    }
    if (ns.kind === 'router') {
      c.out.push('# the model\'s router sends no ICMP redirects (a cloud fabric never does)');
      c.out.push(sysctl(n, 'net.ipv4.conf.all.send_redirects', false), sysctl(n, 'net.ipv4.conf.default.send_redirects', false));
      for (const d of ns.devices) if (d.kind !== 'loopback') c.out.push(sysctl(n, `net/ipv4/conf/${d.name}/send_redirects`, false));
    }
  }
}

function routeLine(r: Route): string {
  return `${formatRoute(r)}${r.table !== 254 ? ` table ${r.table}` : ''}`;
}

function addRoutes(c: Ctx): void {
  header(c, 'routes, exactly as the model holds them (on-link ones first, so gateways resolve)');
  for (const ns of c.model.netns.values()) {
    const n = shq(c.name(ns));
    const routes = ns.routes.filter((r) => r.table !== 255);
    for (const r of [...routes.filter((x) => !x.via), ...routes.filter((x) => x.via)]) c.out.push(`ip -n ${n} route add ${routeLine(r)}`);
  }
}

function addNeighboursAndFdb(c: Ctx): void {
  header(c, 'permanent neighbours and FDB entries (learned ones are left for the kernel to learn)');
  for (const ns of c.model.netns.values()) {
    const n = shq(c.name(ns));
    for (const nb of ns.neighbours) if (nb.state === 'PERMANENT' && nb.mac) c.out.push(`ip -n ${n} neigh replace ${nb.ip} lladdr ${nb.mac} dev ${nb.dev} nud permanent`);
    const own = new Set(ns.devices.map((d) => d.mac));
    for (const e of ns.fdb) {
      if (e.self) c.out.push(`bridge -n ${n} fdb append ${e.mac} dev ${e.dev}${e.dst ? ` dst ${e.dst}` : ''} self${e.permanent ? ' permanent' : ''}`);
      else if (e.permanent && e.master && !own.has(e.mac)) c.out.push(`bridge -n ${n} fdb replace ${e.mac} dev ${e.dev} master static`);
    }
  }
}

const NFACCT = /--nfacct-name\s+(\S+)/g;

function tablesToRestore(ns: Netns): TableName[] {
  const tables: TableName[] = [];
  for (const [name, t] of ns.netfilter.tables) {
    // A table with only empty built-in chains is what the kernel has anyway.
    if ([...t.chains.values()].some((ch) => ch.policy === undefined || ch.rules.length > 0)) tables.push(name);
  }
  return tables;
}

/** `ipset save` format: the sets iptables rules name must exist before the rules. */
function ipsetRestore(ns: Netns): string {
  const lines: string[] = [];
  for (const set of ns.netfilter.ipsets?.values() ?? []) {
    lines.push(`create ${set.name} ${set.type}${set.type === 'bitmap:port' ? ' range 0-65535' : ''}`);
    for (const e of set.entries) lines.push(`add ${set.name} ${e}`);
  }
  return lines.join('\n');
}

function restoreIptables(c: Ctx): void {
  header(c, 'iptables: exactly what `hopscope show … iptables-save` prints');
  for (const ns of c.model.netns.values()) {
    const tables = tablesToRestore(ns);
    if (!tables.length) continue;
    const n = shq(c.name(ns));
    const text = renderIptablesSave(ns.netfilter, { tables });
    if (ns.netfilter.ipsets?.size) c.out.push(`ip netns exec ${n} ipset restore <<'HOPSCOPE_SETS'`, ipsetRestore(ns), 'HOPSCOPE_SETS');
    // kube-proxy creates its nfacct counters over netlink before it restores rules naming them.
    for (const name of new Set([...text.matchAll(NFACCT)].map((m) => m[1]!))) c.out.push(`ip netns exec ${n} nfacct add ${shq(name)} >/dev/null`);
    c.out.push(`ip netns exec ${n} iptables-restore <<'HOPSCOPE_RULES'`, text.trimEnd(), 'HOPSCOPE_RULES');
  }
  for (const ns of c.model.netns.values()) {
    if (ns.kind === 'router' && !ns.decrementTtl) {
      c.out.push("# a cloud fabric forwards without decrementing TTL; a Linux router takes one, so add it back");
      c.out.push(`ip netns exec ${shq(c.name(ns))} iptables -t mangle -A PREROUTING -j TTL --ttl-inc 1`);
    }
  }
}

function startListeners(c: Ctx): void {
  header(c, 'listeners: one Node program per namespace answers every socket of the model with its name');
  c.out.push(`SERVER=${shq(LISTENER_JS)}`);
  const ready: string[] = [];
  let i = 0;
  for (const ns of c.model.netns.values()) {
    if (!ns.sockets.length) continue;
    const n = shq(c.name(ns));
    const f = `"$RUN/${i}.ready"`;
    ready.push(f);
    c.out.push(`ip netns exec ${n} "$NODE_BIN" -e "$SERVER" ${shq(listenerLabel(ns))} ${shq(listenerSpec(ns.sockets, (s) => listenBacklog(c.model, ns, s)))} ${f} </dev/null >"$RUN/${i}.log" 2>&1 &`);
    c.out.push('echo $! >>"$RUN/pids"');
    i++;
  }
  c.out.push(`for f in ${ready.join(' ')}; do`, '  i=0', '  while [ ! -s "$f" ]; do', '    i=$((i + 1))', '    if [ "$i" -gt 200 ]; then echo "hopscope: a listener did not start ($f)" >&2; exit 1; fi', '    sleep 0.05', '  done', 'done');
}

function buildScript(model: ClusterModel, prefix: string): string {
  const c: Ctx = { model, prefix, name: (ns) => netnsNameFor(ns, prefix), out: [] };
  c.out.push('#!/bin/sh', `# hopscope export netns: cluster "${model.name}" (${model.cni.plugin}${model.cni.backend ? `/${model.cni.backend}` : ''}, kube-proxy ${model.proxyMode})`, '# Run as root. Everything is created inside namespaces named with the prefix below; the', '# root namespace and the host NICs are not touched. Remove it all with --teardown.', 'set -eu', 'NODE_BIN="${HOPSCOPE_NODE:-node}"', `RUN="\${HOPSCOPE_RUN:-/tmp/hopscope-${prefix.replace(/[^A-Za-z0-9_.-]/g, '_')}}"`, 'mkdir -p "$RUN"');
  createNamespaces(c);
  createDevices(c);
  addAddresses(c);
  setSysctls(c);
  addRoutes(c);
  addNeighboursAndFdb(c);
  restoreIptables(c);
  startListeners(c);
  return c.out.join('\n') + '\n';
}

function teardownScript(model: ClusterModel, prefix: string): string {
  const names = netnsList(model, prefix).map(shq).join(' ');
  return [
    '#!/bin/sh',
    `# hopscope export netns --teardown: removes the namespaces of cluster "${model.name}" with prefix "${prefix}",`,
    '# after stopping the processes inside them (the listeners). Links die with their namespaces.',
    `RUN="\${HOPSCOPE_RUN:-/tmp/hopscope-${prefix.replace(/[^A-Za-z0-9_.-]/g, '_')}}"`,
    `for ns in ${names}; do`,
    '  [ -e "/run/netns/$ns" ] || continue',
    '  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done',
    '  ip netns del "$ns" 2>/dev/null || true',
    'done',
    'rm -rf "$RUN"',
    '',
  ].join('\n');
}

/**
 * The build (or, with `teardown`, the removal) script for `model`. Refuses, as a value, what
 * this kernel cannot run (see `unsupportedReason`). Deterministic: the same model and options
 * give the same text. WARNING: external hosts exist in the model only once a flow named them
 * (`traceFlow` adds them); trace first, then export, to get them in the script.
 */
export function exportNetnsScript(model: ClusterModel, opts: ExportOptions = {}): ExportResult {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  if (!/^[A-Za-z0-9_.-]*$/.test(prefix)) return { ok: false, error: `prefix "${prefix}" may hold only letters, digits, ".", "_" and "-"` };
  if (opts.teardown) return { ok: true, script: teardownScript(model, prefix) };
  const why = unsupportedReason(model);
  if (why) return { ok: false, error: why };
  return { ok: true, script: buildScript(model, prefix) };
}
