/**
 * The container networking state a node keeps on disk, where people look for it (spec/cni.md
 * §1, §5, §9; pod-networking.md §2): the plugin's configuration in /etc/cni/net.d, host-local's
 * leases in /var/lib/cni/networks/NETWORK/ (one file per address holding "<container id>\r\n
 * <ifname>", `last_reserved_ip.0`, `lock`; containernetworking/plugins host-local
 * backend/disk), and the pods' namespaces in /var/run/netns (containerd's `cni-<uuid>`). They
 * are the node's files: a pod's mount namespace has none of them, and `ip netns exec` keeps
 * the node's (netns-exec.ts).
 */
import type { ShellContext } from './types';
import type { HostLocalState } from '../cni/host-local';
import { netConfFiles, renderNetConf } from '../cni/net-d';

const NET_D = '/etc/cni/net.d';
const NETWORKS = '/var/lib/cni/networks';
const NETNS = '/var/run/netns';

/** `/run/x/` and `/var/run/x` are one directory (/var/run is a symlink to /run); no trailing slash. */
function normal(path: string): string {
  const p = path.replace(/\/+$/, '') || '/';
  return p === '/run/netns' || p.startsWith('/run/netns/') ? `/var${p}` : p;
}

function nodeOf(ctx: ShellContext): string | undefined {
  return ctx.where.kind === 'node' ? ctx.where.name : undefined;
}

/** host-local's state on this node, one per network name. */
function leases(ctx: ShellContext, node: string): HostLocalState[] {
  const prefix = `host-local:${node}:`;
  const out: HostLocalState[] = [];
  for (const [k, v] of ctx.model.pluginState) if (k.startsWith(prefix)) out.push(v as HostLocalState);
  return out;
}

/** The entries of directory `path` on this node (unsorted), or undefined if it does not exist. */
export function cniDirectory(ctx: ShellContext, path: string): string[] | undefined {
  const node = nodeOf(ctx);
  if (!node) return undefined;
  const p = normal(path);
  if (p === NET_D) return netConfFiles(ctx.model, node).map((f) => f.name);
  if (p === NETNS) return [...ctx.model.netns.values()].filter((n) => n.kind === 'pod' && n.node === node).map((n) => n.name);
  const all = leases(ctx, node);
  if (p === NETWORKS) return all.length ? all.map((s) => s.network) : undefined;
  const s = p.startsWith(`${NETWORKS}/`) ? all.find((x) => `${NETWORKS}/${x.network}` === p) : undefined;
  if (!s) return undefined;
  return [...s.allocated.keys(), ...(s.lastReserved ? ['last_reserved_ip.0'] : []), 'lock'];
}

/** The text of a file under those directories, or undefined. */
export function cniFile(ctx: ShellContext, path: string): string | undefined {
  const node = nodeOf(ctx);
  if (!node) return undefined;
  const p = normal(path);
  const slash = p.lastIndexOf('/');
  const dir = p.slice(0, slash);
  const name = p.slice(slash + 1);
  if (dir === NET_D) {
    const f = netConfFiles(ctx.model, node).find((x) => x.name === name);
    return f && renderNetConf(f);
  }
  const s = dir.startsWith(`${NETWORKS}/`) ? leases(ctx, node).find((x) => `${NETWORKS}/${x.network}` === dir) : undefined;
  if (!s) return undefined;
  // The real files end without a newline; one is added so the next prompt starts on its own line.
  if (name === 'last_reserved_ip.0') return s.lastReserved === undefined ? undefined : `${s.lastReserved}\n`;
  if (name === 'lock') return '';
  const owner = s.allocated.get(name);
  return owner === undefined ? undefined : `${owner}\n`;
}
