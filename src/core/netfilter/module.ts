/**
 * The interfaces every `-m` match module and `-j` target module implements (one file each under
 * `matches/` and `targets/`, found through their registries). A module parses its options once
 * (at restore), renders them as iptables-save prints them, and evaluates against a packet.
 */
import type { ConntrackEntry } from './conntrack';
import type { CtState, HookEnv, HookInput, NetfilterState, NfPacket, TableName } from './types';

/** One option of a match or target: `! --dport 80` is `{ name: '--dport', negate: true, args: ['80'] }`. */
export interface ModuleOption {
  name: string;
  negate: boolean;
  args: string[];
}

/** What a module may know about the rule it sits in while parsing. */
export interface RuleContext {
  table: TableName;
  chain: string;
  /** The rule's `-p` as a protocol number (absent without `-p`). */
  protocol?: number;
}

/** A module parse: its data, or the message iptables-restore would print. */
export type ParseResult<T> = { ok: true; parsed: T } | { ok: false; error: string };

/** The packet being evaluated, plus what matches and targets can read or set about it. */
export interface PacketContext {
  /** The packet as it is now in this hook (targets such as MARK rewrite it). */
  packet: NfPacket;
  input: HookInput;
  env: HookEnv;
  nf: NetfilterState;
  ctState: CtState;
  ct?: ConntrackEntry;
  ctDirection?: 'original' | 'reply';
  /** LOG lines produced so far. */
  logs: string[];
  /** Set by NOTRACK / CT --notrack in the raw table. */
  untracked: boolean;
}

/**
 * A packet or host fact a match reads to decide (see `MatchModule.reads`): a field of the packet
 * (`mark` is its value when the table walk started: a later MARK in the same walk is part of
 * the walk's path, which the walk cache keys on anyway), of the hook's input, or a value derived
 * from them and the host (`DerivedField`). The walk cache (`walk-cache.ts`) keys recorded walks
 * on the values of the fields they read.
 */
export type PacketFieldName =
  | 'src'
  | 'dst'
  | 'protocol'
  | 'inIface'
  | 'outIface'
  | 'sport'
  | 'dport'
  | 'tcpFlags'
  | 'icmpType'
  | 'icmpCode'
  | 'mark'
  | 'ctDirection'
  | 'physInIface'
  | 'physOutIface'
  | 'bridged';

/** The value of a field as the walk cache compares it (with `===`). */
export type FieldValue = string | number | boolean | undefined;

/**
 * A value computed from the packet, its connection and the host (`addrtype`'s type of the
 * source, `set`'s membership in an ipset …), read afresh for every packet. One object per
 * meaning: the cache tells fields apart by identity.
 */
export interface DerivedField {
  name: string;
  read(ctx: PacketContext): FieldValue;
}

export type PacketField = PacketFieldName | DerivedField;

/** A `-m NAME` module. */
export interface MatchModule<T = unknown> {
  name: string;
  /** Option name → number of arguments it takes (aliases included). */
  options: Readonly<Record<string, number>>;
  parse(options: ModuleOption[], rule: RuleContext): ParseResult<T>;
  /** The options as iptables-save prints them after `-m NAME`, each preceded by a space. */
  render(parsed: T): string;
  evaluate(parsed: T, ctx: PacketContext): boolean;
  /**
   * Every field `evaluate(parsed, …)` may read: its result must be a function of their values
   * alone, with no effect. Absent for a module with state, side effects or randomness
   * (`statistic`, `recent`, `nfacct`): a table walk that evaluates it is never cached.
   */
  reads?(parsed: T): readonly PacketField[];
}

/** An address/port range a NAT target asks for; the NAT engine picks the tuple within it. */
export interface NatRequest {
  kind: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT';
  /** First and last address of the range (the same for one address). */
  minIp: string;
  maxIp: string;
  /** Port range, absent to keep the port. */
  ports?: [number, number];
  randomFully?: boolean;
}

/** What a target does with the packet. */
export type TargetOutcome =
  | { kind: 'continue' }
  | { kind: 'verdict'; verdict: 'ACCEPT' | 'DROP' | 'REJECT'; rejectWith?: string }
  | { kind: 'return' }
  | { kind: 'nat'; request: NatRequest };

/** A `-j NAME` target module. */
export interface TargetModule<T = unknown> {
  name: string;
  options: Readonly<Record<string, number>>;
  parse(options: ModuleOption[], rule: RuleContext): ParseResult<T>;
  /** The options as iptables-save prints them after `-j NAME`, each preceded by a space. */
  render(parsed: T): string;
  apply(parsed: T, ctx: PacketContext): TargetOutcome;
  /**
   * The kind of outcome `apply` always gives, whatever the packet and host (`ends`: a verdict
   * or a NAT request, which both end the walk). Declared, it lets the walk cache replay a walk
   * through this target by calling `apply` again (its effects, such as MARK's, and its
   * outcome are then those of the live packet); absent, walks through it are never cached.
   */
  replayAs?: 'continue' | 'return' | 'ends';
}

/** Shorthand for a failed parse. */
export function parseError<T>(error: string): ParseResult<T> {
  return { ok: false, error };
}

/** Turns a negated option into an error when the module does not allow `!` there. */
export function noNegation(o: ModuleOption, module: string): string | undefined {
  return o.negate ? `${module}: option "${o.name}" cannot be inverted.` : undefined;
}

/** Parses a 32-bit value as iptables does (decimal, 0x hex or 0 octal); undefined if invalid. */
export function parseU32(s: string): number | undefined {
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(s)) n = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) n = parseInt(s, 8);
  else if (/^[1-9]\d*$/.test(s)) n = Number(s);
  else return undefined;
  return n <= 0xffffffff ? n : undefined;
}

/** `0x4000` as iptables prints marks and masks. */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}
