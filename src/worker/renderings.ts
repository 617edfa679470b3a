/** The real tools' text for every namespace, rendered once per compile (the inspector's rule panel). */
import { renderBridgeFdb, renderIpAddr, renderIpRoute } from '../core/index';
import type { ClusterModel } from '../core/index';
import { renderIptablesSave } from '../core/render/iptables-save';
import { renderCniLog } from '../core/render/cni-log';
import { renderNftTable } from '../core/render/nft';
import type { NetnsRenderings } from './protocol';

export function renderAll(model: ClusterModel): Record<string, NetnsRenderings> {
  const out: Record<string, NetnsRenderings> = {};
  for (const ns of model.netns.values()) {
    const r: NetnsRenderings = { ipRoute: renderIpRoute(ns), ipAddr: renderIpAddr(model, ns) };
    if (ns.kind === 'node') r.iptablesSave = renderIptablesSave(ns.netfilter, { tables: ['nat', 'filter'] });
    if (ns.nftables?.length) r.nft = ns.nftables.map(renderNftTable).join('');
    if (ns.devices.some((d) => d.kind === 'bridge' || d.kind === 'vxlan')) r.bridgeFdb = renderBridgeFdb(ns);
    if (ns.pod) r.cni = renderCniLog(model, ns.pod);
    out[ns.id] = r;
  }
  return out;
}
