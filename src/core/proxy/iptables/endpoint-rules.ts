/**
 * The load-balancing part of kube-proxy's rules: a KUBE-SVC/KUBE-SVL chain that picks one
 * endpoint uniformly at random (with ClientIP affinity first), and one KUBE-SEP chain per
 * endpoint that marks hairpin traffic for SNAT and DNATs to the endpoint.
 *
 * Read first: pkg/proxy/iptables/proxier.go (`writeServiceToEndpointRules`, the per-endpoint
 * chain loop of `syncProxyRules`, `probability`).
 */
import { endpointChainName } from './chain-names';
import type { EndpointInfo } from './endpoints';
import type { TableBuffer } from './restore-buffer';
import { commentMatch, declareChain, quoted, writeLine } from './restore-buffer';
import type { ServicePortInfo } from './service-port';

/** The comment kube-proxy puts on SVC→SEP and SEP rules; none in large-cluster mode (> 1000 endpoints). */
function endpointComment(text: string, largeCluster: boolean): string | undefined {
  return largeCluster ? undefined : commentMatch(text);
}

/** `probabilityText` results by n. */
const probabilities = new Map<number, string>();

/**
 * `1/n` with ten decimals as Go's `%0.10f` prints it: exact decimal value, ties to even.
 * JS `toFixed` rounds ties up, which differs for n = 2048 (0.00048828125).
 */
export function probabilityText(n: number): string {
  // toFixed(100) per endpoint rule showed up in profiles; there are only a few distinct n.
  let text = probabilities.get(n);
  if (text === undefined) {
    text = probabilityUncached(n);
    if (probabilities.size < 4096) probabilities.set(n, text);
  }
  return text;
}

function probabilityUncached(n: number): string {
  const x = 1 / n;
  const exact = x.toFixed(100);
  const dot = exact.indexOf('.');
  const tail = exact.slice(dot + 11);
  const rounded = x.toFixed(10);
  if (!/^50*$/.test(tail)) return rounded;
  // A tie: keep the truncated value when its last digit is even.
  const truncated = exact.slice(0, dot + 11);
  const lastDigit = Number(truncated[truncated.length - 1]);
  return lastDigit % 2 === 0 ? truncated : rounded;
}

/** What a KUBE-SEP name was computed from, and the name. */
interface SepName {
  servicePortName: string;
  protocol: string;
  endpoint: string;
  name: string;
}

/**
 * Names already computed, per endpoint object: a sync names each endpoint two or three times
 * (its KUBE-SVC rule, the affinity rule, its own chain), and each time would rebuild the hash key.
 * The inputs are kept beside the name and compared, so a changed object is named afresh.
 */
const sepNames = new WeakMap<EndpointInfo, SepName>();

/** The KUBE-SEP chain name of an endpoint of a service port. */
export function sepChainOf(sp: ServicePortInfo, ep: EndpointInfo): string {
  const hit = sepNames.get(ep);
  if (hit && hit.servicePortName === sp.servicePortName && hit.protocol === sp.protocol && hit.endpoint === ep.endpoint) return hit.name;
  const name = endpointChainName(sp.servicePortName, sp.protocol.toLowerCase(), ep.endpoint);
  sepNames.set(ep, { servicePortName: sp.servicePortName, protocol: sp.protocol, endpoint: ep.endpoint, name });
  return name;
}

/**
 * Fills a KUBE-SVC/KUBE-SVL chain: with ClientIP affinity, one `recent --rcheck` rule per
 * endpoint first; then rule i jumps to endpoint i with probability 1/(n-i), the last one always.
 */
export function writeServiceToEndpointRules(
  nat: TableBuffer,
  sp: ServicePortInfo,
  chain: string,
  endpoints: EndpointInfo[],
  largeCluster: boolean,
): void {
  const comment = (ep: EndpointInfo): string | undefined =>
    endpointComment(quoted(`${sp.servicePortName} -> ${ep.endpoint}`), largeCluster);
  if (sp.affinityTimeoutSeconds !== null) {
    for (const ep of endpoints) {
      const sep = sepChainOf(sp, ep);
      const affinity = `-m recent --name ${sep} --rcheck --seconds ${sp.affinityTimeoutSeconds} --reap`;
      writeLine(nat, `-A ${chain}`, comment(ep), affinity, `-j ${sep}`);
    }
  }
  endpoints.forEach((ep, i) => {
    const n = endpoints.length - i;
    const statistic = n > 1 && `-m statistic --mode random --probability ${probabilityText(n)}`;
    writeLine(nat, `-A ${chain}`, comment(ep), statistic, `-j ${sepChainOf(sp, ep)}`);
  });
}

/**
 * Declares and fills one KUBE-SEP chain per endpoint: SNAT-mark traffic from the endpoint itself
 * (hairpin), then DNAT (recording the client for affinity first, when enabled). Returns the
 * chain names, which are active.
 */
export function writeEndpointChains(
  nat: TableBuffer,
  sp: ServicePortInfo,
  endpoints: EndpointInfo[],
  largeCluster: boolean,
): string[] {
  const proto = sp.protocol.toLowerCase();
  const comment = endpointComment(sp.servicePortName, largeCluster);
  return endpoints.map((ep) => {
    const sep = sepChainOf(sp, ep);
    declareChain(nat, sep);
    writeLine(nat, `-A ${sep}`, comment, `-s ${ep.ip}`, '-j KUBE-MARK-MASQ');
    const recent = sp.affinityTimeoutSeconds !== null && `-m recent --name ${sep} --set`;
    writeLine(
      nat,
      `-A ${sep}`,
      comment,
      recent,
      `-m ${proto} -p ${proto}`,
      `-j DNAT --to-destination ${ep.endpoint}`,
    );
    return sep;
  });
}
