/**
 * The accept-queue length of a listening socket, what `ss -l` prints as Send-Q: the backlog the
 * program passed to listen(2), capped by the kernel at net.core.somaxconn (__sys_listen), whose
 * default is 4096 since Linux 5.4 and which every namespace gets anew.
 *
 * The programs' own backlogs, from their sources: OpenSSH's sshd asks for SSH_LISTEN_BACKLOG
 * (128); nginx for NGX_LISTEN_BACKLOG (511 on Linux, src/os/unix/ngx_linux_config.h); Apache
 * httpd and Redis default to 511 too (ListenBacklog, tcp-backlog); a Go server (kubelet,
 * kube-apiserver, kube-proxy, CoreDNS, agnhost …) asks for what /proc/sys/net/core/somaxconn
 * holds (net.maxListenerBacklog), and Envoy does the same. An image the model does not know is
 * taken for such a server.
 */
import type { ClusterModel, Netns, Socket } from './types';

/** net.core.somaxconn's default (include/linux/socket.h SOMAXCONN since 5.4). */
export const SOMAXCONN = 4096;

/** listen(2) backlogs of the programs that do not ask for somaxconn, by program (or image) name. */
const PROGRAM_BACKLOG: Record<string, number> = { sshd: 128, nginx: 511, httpd: 511, redis: 511 };

/** `docker.io/library/nginx:1.27@sha256:…` → `nginx`. */
function imageName(image: string): string {
  const path = image.split('@')[0]!;
  const last = path.slice(path.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon < 0 ? last : last.slice(0, colon);
}

/** The program behind a socket: the owner's name, or for a container the name of its image. */
function programOf(model: ClusterModel, ns: Netns, s: Socket): string {
  for (const p of model.pods) {
    if (p.netns !== ns.id) continue;
    // A pod's own namespace names the container; a hostNetwork pod's socket says NS/POD/CONTAINER.
    const container = p.hostNetwork ? (s.owner.startsWith(`${p.namespace}/${p.name}/`) ? s.owner.slice(p.namespace.length + p.name.length + 2) : undefined) : s.owner;
    const c = container === undefined ? undefined : p.containers.find((x) => x.name === container);
    if (c) return imageName(c.image);
  }
  return s.owner;
}

/** Send-Q of the socket's LISTEN row: min(the program's listen() backlog, somaxconn). */
export function listenBacklog(model: ClusterModel, ns: Netns, s: Socket): number {
  return Math.min(PROGRAM_BACKLOG[programOf(model, ns, s)] ?? SOMAXCONN, SOMAXCONN);
}
