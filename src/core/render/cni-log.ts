/**
 * The pod sandbox's CNI calls as a runtime would log them: each invocation's environment,
 * the network configuration on stdin, and the result JSON on stdout — for `lo` first, then
 * `eth0` (spec/cni.md §8).
 */
import type { ClusterModel } from '../model/types';
import type { CniResult } from '../cni/types';

/** The VERSION command's answer (SPEC §2). */
export const CNI_VERSION_RESULT = { cniVersion: '1.1.0', supportedVersions: ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] };

/**
 * A result as printed in the version it carries: 0.1.0 and 0.2.0 results have the types020 form
 * (containernetworking/cni pkg/types/040 convertTo02x: the first IPv4 address as `ip4` with its
 * gateway and the IPv4 routes; no interfaces), later versions are printed as they are.
 */
function inVersion(result: unknown): unknown {
  const r = result as Partial<CniResult> | null;
  if (!r || (r.cniVersion !== '0.1.0' && r.cniVersion !== '0.2.0') || !Array.isArray(r.ips)) return result;
  const v4 = r.ips.find((ip) => !ip.address.includes(':'));
  if (!v4) return result;
  const routes = (r.routes ?? []).filter((rt) => !rt.dst.includes(':'));
  const ip4 = { ip: v4.address, ...(v4.gateway ? { gateway: v4.gateway } : {}), ...(routes.length ? { routes } : {}) };
  return { cniVersion: r.cniVersion, ip4, dns: r.dns ?? {} };
}

export function renderCniLog(model: ClusterModel, pod: string): string {
  const calls = model.cniLog.filter((c) => c.pod === pod);
  if (!calls.length) return `no CNI calls recorded for ${pod}\n`;
  const [ns, name] = pod.split('/');
  return calls
    .map((c) => {
      const env = [`CNI_COMMAND=${c.command}`, `CNI_CONTAINERID=${c.containerId}`, `CNI_NETNS=${c.netnsPath}`, `CNI_IFNAME=${c.ifname}`, `CNI_PATH=/opt/cni/bin`, `CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=${ns};K8S_POD_NAME=${name};K8S_POD_INFRA_CONTAINER_ID=${c.containerId}`];
      // A successful DEL (or CHECK) writes nothing to stdout (SPEC §2: only ADD prints a result).
      const out = c.ok && c.command !== 'ADD' && c.command !== 'VERSION' ? `(nothing: a successful ${c.command} prints no result)` : JSON.stringify(inVersion(c.result), null, 2);
      return `# ${c.command} ${c.ifname}${c.ok ? '' : ' (failed)'}\n${env.join('\n')}\n## stdin (network configuration)\n${JSON.stringify(c.config, null, 2)}\n## stdout (result)\n${out}\n`;
    })
    .join('\n');
}
