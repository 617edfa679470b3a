/**
 * The few files a network debugging session reads: /etc/resolv.conf and /etc/hosts (as the
 * kubelet writes them into a pod, kubelet_pods.go `managedHostsFileContent`), /etc/hostname,
 * a CoreDNS pod's /etc/coredns/Corefile, and the sysctls the datapath depends on under /proc/sys. Everything else does not exist.
 */
import type { ShellContext } from './types';
import type { ClusterModel } from '../model/types';
import { intToIpv4, ipv4ToInt } from '../util/ip';
import { getDnsState, podDnsConf } from '../dns/cluster-dns';
import type { ResolvConf } from '../dns/resolv-conf';
import { renderResolvConf } from '../dns/resolv-conf';
import { DNS_LABELS, renderCorefile } from '../dns/system-objects';
import { cniDirectory, cniFile } from './cni-files';

/** The kube-dns Service's ClusterIP, or the address kubeadm reserves for it (the 10th of the service range). */
export function clusterDnsIp(model: ClusterModel): string {
  const svc = model.services.find((s) => s.metadata.name === 'kube-dns' && s.metadata.namespace === 'kube-system');
  if (svc?.spec.clusterIP && svc.spec.clusterIP !== 'None') return svc.spec.clusterIP;
  const base = model.serviceCIDR.split('/')[0]!;
  return intToIpv4((ipv4ToInt(base) + 10) >>> 0);
}

function podOf(ctx: ShellContext) {
  const w = ctx.where;
  return w.kind === 'pod' ? ctx.model.pods.find((p) => p.namespace === w.namespace && p.name === w.name) : undefined;
}

/** The search list of this place's resolv.conf (the kubelet's, core/dns). */
export function searchList(ctx: ShellContext): string[] {
  return placeResolvConf(ctx).searches;
}

/**
 * The resolv.conf this place's programs read: the kubelet's for the pod the terminal stands in
 * (dnsPolicy, dnsConfig), or the node's own. It follows the mount namespace, not the network
 * one: under `ip netns exec cni-…` on a node it is still the node's file (netns-exec.ts).
 */
export function placeResolvConf(ctx: ShellContext): ResolvConf {
  const pod = podOf(ctx);
  return pod ? podDnsConf(ctx.model, pod).conf : getDnsState(ctx.model).node;
}

function resolvConf(ctx: ShellContext): string {
  return renderResolvConf(placeResolvConf(ctx));
}

function hosts(ctx: ShellContext): string {
  const common = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  if (ctx.where.kind !== 'pod') return `127.0.0.1\tlocalhost\n127.0.1.1\t${ctx.hostname}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`;
  const where = ctx.where;
  const pod = ctx.model.pods.find((p) => p.namespace === where.namespace && p.name === where.name);
  return `# Kubernetes-managed hosts file.\n${common}${pod ? `${pod.ip}\t${pod.name}\n` : ''}`;
}

function sysctl(ctx: ShellContext, path: string): string | undefined {
  const s = ctx.netns.sysctls;
  const flag = (b: boolean) => (b ? '1\n' : '0\n');
  if (path === '/proc/sys/net/ipv4/ip_forward') return flag(s.ipForward);
  if (path === '/proc/sys/net/bridge/bridge-nf-call-iptables') return ctx.netns.kind === 'node' ? flag(s.bridgeNfCallIptables) : undefined;
  if (path === '/proc/sys/net/ipv4/conf/all/route_localnet') return flag(s.routeLocalnet);
  const m = /^\/proc\/sys\/net\/ipv4\/conf\/([^/]+)\/proxy_arp$/.exec(path);
  if (m) {
    const dev = ctx.netns.devices.find((d) => d.name === m[1]);
    return dev ? flag(!!dev.proxyArp) : undefined;
  }
  return undefined;
}

/** /sys/class/net/DEV/{ifindex,iflink,mtu,address}: iflink is the veth peer's index (eth0@ifN). */
function sysClassNet(ctx: ShellContext, path: string): string | undefined {
  const m = /^\/sys\/class\/net\/([^/]+)\/(ifindex|iflink|mtu|address)$/.exec(path);
  const dev = m ? ctx.netns.devices.find((d) => d.name === m[1]) : undefined;
  if (!m || !dev) return undefined;
  if (m[2] === 'ifindex') return `${dev.ifindex}\n`;
  if (m[2] === 'iflink') return `${dev.kind === 'veth' ? dev.peer.ifindex : dev.ifindex}\n`;
  if (m[2] === 'mtu') return `${dev.mtu}\n`;
  // lo has six zero bytes, an IPIP device four (its link-layer address is an IPv4 address).
  if (dev.kind === 'loopback') return '00:00:00:00:00:00\n';
  if (dev.kind === 'ipip') return '00:00:00:00\n';
  return `${dev.mac}\n`;
}

/** flanneld's /run/flannel/subnet.env on a node (WriteSubnetFile: NETWORK, SUBNET, MTU, IPMASQ). */
function flannelSubnetEnv(ctx: ShellContext): string | undefined {
  if (ctx.where.kind !== 'node') return undefined;
  const env = ctx.model.pluginState.get(`flannel:subnet.env:${ctx.where.name}`) as Record<string, unknown> | undefined;
  if (!env) return undefined;
  return `FLANNEL_NETWORK=${String(env['FLANNEL_NETWORK'])}\nFLANNEL_SUBNET=${String(env['FLANNEL_SUBNET'])}\nFLANNEL_MTU=${String(env['FLANNEL_MTU'])}\nFLANNEL_IPMASQ=${String(env['FLANNEL_IPMASQ'])}\n`;
}

/**
 * The Corefile a CoreDNS pod reads (`-conf /etc/coredns/Corefile`, the `coredns` ConfigMap
 * mounted there): the configuration every cluster answer and forward follows.
 */
function corefile(ctx: ShellContext): string | undefined {
  const pod = podOf(ctx);
  if (!pod || !Object.entries(DNS_LABELS).every(([k, v]) => pod.labels[k] === v)) return undefined;
  return renderCorefile(getDnsState(ctx.model).clusterDomain);
}

/** `path` made absolute against the working directory, which is always `/`. */
export function absolutePath(path: string): string {
  return path.startsWith('/') ? path : `/${path.replace(/^\.\//, '')}`;
}

/** Directories a redirection may create files in (a container's writable layer; a node's usual ones). */
const WRITABLE_DIRS = new Set(['/', '/tmp', '/root', '/etc', '/var/tmp', '/home']);

/**
 * Writes (or with `append` appends) `text` to `path` for this session, as `> FILE` does; the
 * error bash prints when it cannot. /proc and /sys stay as the model says: sysctls come from the
 * scenario, not from writing their files.
 */
export function writeFile(ctx: ShellContext, path: string, text: string, append: boolean): string | undefined {
  const abs = absolutePath(path);
  if (abs.startsWith('/proc/') || abs.startsWith('/sys/')) return `bash: ${path}: Read-only file system\nhopscope: sysctls and /sys come from the scenario; change them there`;
  const dir = abs.slice(0, abs.lastIndexOf('/')) || '/';
  if (abs.endsWith('/') || !WRITABLE_DIRS.has(dir)) return `bash: ${path}: ${abs.endsWith('/') ? 'Is a directory' : 'No such file or directory'}`;
  ctx.written ??= new Map();
  const before = append ? (ctx.written.get(abs) ?? readFile(ctx, abs) ?? '') : '';
  ctx.written.set(abs, before + text);
  return undefined;
}

/** The content of `path` as seen from where the shell stands, or undefined if it does not exist. */
export function readFile(ctx: ShellContext, file: string): string | undefined {
  const path = absolutePath(file);
  const written = ctx.written?.get(path);
  if (written !== undefined) return written;
  switch (path) {
    case '/etc/resolv.conf':
      return resolvConf(ctx);
    case '/etc/hosts':
      return hosts(ctx);
    case '/etc/hostname':
      return `${ctx.hostname}\n`;
    case '/run/flannel/subnet.env':
      return flannelSubnetEnv(ctx);
    case '/etc/coredns/Corefile':
      return corefile(ctx);
    default:
      return path.startsWith('/sys/') ? sysClassNet(ctx, path) : (sysctl(ctx, path) ?? cniFile(ctx, path));
  }
}

/** The directories `ls` answers: the CNI state of a node (cni-files.ts) and their parents. */
export const KNOWN_DIRECTORIES = ['/etc/cni/net.d', '/var/lib/cni/networks', '/var/run/netns'];

/**
 * bash's pathname expansion of `*` and `?` in an argument's last component, over the directories
 * `ls` knows (the shell's word splitting does no globbing); a pattern that matches nothing stays
 * as typed, as bash leaves it.
 */
export function expandPath(ctx: ShellContext, arg: string): string[] {
  const slash = arg.lastIndexOf('/');
  const base = arg.slice(slash + 1);
  if (slash < 0 || !/[*?]/.test(base)) return [arg];
  const dir = arg.slice(0, slash) || '/';
  const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const hits = (listDirectory(ctx, dir) ?? []).filter((n) => re.test(n) && !n.startsWith('.'));
  return hits.length ? hits.map((n) => `${dir === '/' ? '' : dir}/${n}`) : [arg];
}

/** The entries of directory `path` (sorted as `ls` in the C locale), or undefined if it does not exist here. */
export function listDirectory(ctx: ShellContext, path: string): string[] | undefined {
  const p = path.replace(/\/+$/, '');
  const parent = (dir: string, child: string) => (cniDirectory(ctx, `${dir}/${child}`) ? [child] : undefined);
  const entries = p === '/etc/cni' ? parent(p, 'net.d') : p === '/var/lib/cni' ? parent(p, 'networks') : cniDirectory(ctx, path);
  return entries && [...entries].sort();
}

/** Paths `cat` completes. */
export const KNOWN_FILES = ['/etc/resolv.conf', '/etc/hosts', '/etc/hostname', '/etc/coredns/Corefile', '/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/bridge/bridge-nf-call-iptables', '/run/flannel/subnet.env', '/sys/class/net/eth0/iflink'];
