/** `bridge fdb show [dev PORT | br BRIDGE]` (iproute2 6.1), with its error texts. */
import type { Command, ShellContext, ShellResult } from './types';
import { renderBridgeFdb, type FdbFilter } from '../render/bridge-fdb';
import { err, out } from './output';

const HELP = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
where  OBJECT := { fdb }
(hopscope models the forwarding database; link, mdb and vlan are not simulated)
`;

function fdb(ctx: ShellContext, args: string[]): ShellResult {
  const sub = args[0];
  if (sub && !'show'.startsWith(sub) && !'list'.startsWith(sub)) return err(`Command "${sub}" is unknown, try "bridge fdb help".`, 255);
  const filter: FdbFilter = {};
  for (const key of ['dev', 'br'] as const) {
    const i = args.indexOf(key);
    if (i < 0) continue;
    const name = args[i + 1] ?? '';
    if (!ctx.netns.devices.some((d) => d.name === name)) return err(`Cannot find device "${name}"`);
    filter[key] = name;
  }
  return out(renderBridgeFdb(ctx.netns, filter));
}

/** `bridge`: the FDB of every bridge and VXLAN device in the namespace. */
export const bridgeCommand: Command = {
  name: 'bridge',
  summary: 'show the bridge and VXLAN forwarding database (bridge fdb show)',
  help: HELP,
  run(ctx, args) {
    const [obj, ...rest] = args;
    if (!obj) return err(HELP, 255);
    if ('fdb'.startsWith(obj)) return fdb(ctx, rest);
    if (['link', 'mdb', 'vlan', 'monitor'].some((o) => o.startsWith(obj))) return err(`hopscope: \`bridge ${obj}\` is not modelled (objects: fdb)`, 2);
    if ('help'.startsWith(obj)) return out(HELP);
    return err(`Object "${obj}" is unknown, try "bridge help".`, 255);
  },
  complete(ctx, args) {
    if (args.length <= 1) return ['fdb'];
    if (args.length === 2) return ['show'];
    if (args.length === 3) return ['dev', 'br'];
    return ctx.netns.devices.map((d) => d.name);
  },
};
