/**
 * Target modules by `-j` name. A name that is neither a chain of the table nor a module here is
 * accepted when it is a known extension (TCPMSS, CONNMARK …): it is rendered as written, does
 * nothing and is reported in `HookResult.unmodelled`.
 */
import type { TargetModule } from '../module';
import { dnatTarget } from './dnat';
import { logTarget } from './log';
import { markTarget } from './mark';
import { masqueradeTarget } from './masquerade';
import { ctTarget, notrackTarget } from './notrack';
import { redirectTarget } from './redirect';
import { rejectTarget } from './reject';
import { snatTarget } from './snat';
import { acceptTarget, dropTarget, returnTarget } from './standard';

const MODULES = [
  acceptTarget,
  dropTarget,
  returnTarget,
  rejectTarget,
  dnatTarget,
  snatTarget,
  masqueradeTarget,
  redirectTarget,
  markTarget,
  logTarget,
  notrackTarget,
  ctTarget,
] as unknown as TargetModule[];

const BY_NAME = new Map<string, TargetModule>(MODULES.map((m) => [m.name, m]));

/** Extensions iptables knows that we render but do not model. */
const UNMODELLED = new Set(['TCPMSS', 'CONNMARK', 'CHECKSUM', 'TPROXY', 'NFLOG', 'NFQUEUE', 'TRACE', 'SET', 'AUDIT', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HMARK', 'NETMAP', 'CT', 'TEE', 'SECMARK', 'CONNSECMARK', 'IDLETIMER', 'LED', 'SYNPROXY', 'ULOG']);

/** The module for `-j name`, or undefined. */
export function getTargetModule(name: string): TargetModule | undefined {
  return BY_NAME.get(name);
}

/** True for extension targets we accept without modelling them. */
export function isKnownUnmodelledTarget(name: string): boolean {
  return UNMODELLED.has(name);
}
