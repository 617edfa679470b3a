/**
 * nft rules as `nft list` prints them, compiled once into statements the evaluator runs: the
 * subset kube-proxy's nftables mode writes (payload and meta selectors, concatenations, named and
 * anonymous sets, verdict maps, numgen, fib, ct, mark arithmetic, NAT and verdict statements)
 * plus a few neighbours (`counter`, `accept`, `mark set mark or 0x4000`, `ct status dnat`).
 * Anything else compiles to an `unknown` statement that the evaluator reports as unmodelled
 * (it matches and does nothing, as unmodelled iptables matches do).
 *
 * Read first: nft(8) (EXPRESSIONS, STATEMENTS, "PAYLOAD EXPRESSION", "VERDICT MAP"); the rules
 * kube-proxy writes are in src/core/proxy/nftables/table.ts.
 */
import { ipv4ToInt } from '../util/ip';

/** What a selector reads, which decides how its literals parse. */
export type ValueKind = 'addr' | 'proto' | 'port' | 'int' | 'ctstate' | 'ctstatus' | 'iface' | 'fibtype';

/** A selector: `ip daddr`, `meta mark & 0x4000`, `numgen random mod 2`, `fib saddr type` … */
export interface Selector {
  kind: ValueKind;
  /** What it reads (see evaluate.ts `readSelector`). */
  field: string;
  /** `meta mark & M` / `| M` / `^ M`. */
  op?: { fn: '&' | '|' | '^'; arg: number };
  /** `numgen random mod N`. */
  mod?: number;
}

/** A literal or set on the right-hand side of a comparison. */
export type Rhs = { kind: 'set'; name: string } | { kind: 'values'; values: Literal[] };

/** One parsed literal: an address or CIDR, or a plain value (string or number). */
export type Literal = { network: number; mask: number } | { value: string | number };

/** One compiled statement of a rule, evaluated left to right. */
export type Stmt =
  | { kind: 'match'; sel: Selector[]; negate: boolean; rhs: Rhs }
  | { kind: 'vmap'; sel: Selector[]; map: { kind: 'set'; name: string } | { kind: 'inline'; elements: { key: string; value: string }[] } }
  | { kind: 'verdict'; verdict: 'accept' | 'drop' | 'return' | 'continue' } | { kind: 'jump' | 'goto'; chain: string }
  | { kind: 'reject'; with?: string }
  | { kind: 'mark-set'; target: 'meta' | 'ct'; op?: { fn: '&' | '|' | '^'; arg: number }; value?: number }
  | { kind: 'dnat' | 'snat'; ip: string; port?: number }
  | { kind: 'masquerade'; randomFully: boolean }
  | { kind: 'update'; set: string; sel: Selector[] }
  | { kind: 'counter' }
  | { kind: 'unknown'; text: string };

/** A compiled rule. */
export interface CompiledRule {
  stmts: Stmt[];
}

const PROTO_NAMES: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '4': 'ipip', ipencap: 'ipip', '132': 'sctp' };

/** Splits rule text into tokens; `{`, `}`, `,` and `:` (when spaced) stand alone, quotes are kept whole. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.match(/"[^"]*"|\S+/g) ?? []) {
    if (raw.startsWith('"')) {
      out.push(raw);
      continue;
    }
    let w = raw;
    while (w.startsWith('{')) {
      out.push('{');
      w = w.slice(1);
    }
    const tail: string[] = [];
    while (w.endsWith(',') || w.endsWith('}')) {
      tail.unshift(w.slice(-1));
      w = w.slice(0, -1);
    }
    if (w) out.push(w);
    out.push(...tail);
  }
  return out;
}

class Cursor {
  i = 0;
  constructor(readonly t: string[]) {}
  peek(k = 0): string | undefined {
    return this.t[this.i + k];
  }
  next(): string | undefined {
    return this.t[this.i++];
  }
  eat(s: string): boolean {
    if (this.t[this.i] !== s) return false;
    this.i++;
    return true;
  }
  done(): boolean {
    return this.i >= this.t.length;
  }
}

/** Parses `0x00004000`, `16384`. */
function parseNumber(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s.slice(2), 16);
  if (/^\d+$/.test(s)) return Number(s);
  return undefined;
}

const BIT_OPS: Readonly<Record<string, '&' | '|' | '^'>> = { '&': '&', and: '&', '|': '|', or: '|', '^': '^', xor: '^' };

/** One selector at the cursor, or undefined (cursor unchanged) when the words are not one. */
function parseSelector(c: Cursor): Selector | undefined {
  const a = c.peek();
  const b = c.peek(1);
  const two = (kind: ValueKind, field: string): Selector => {
    c.i += 2;
    return { kind, field };
  };
  let sel: Selector | undefined;
  if (a === 'ip' && (b === 'saddr' || b === 'daddr')) sel = two('addr', b);
  else if (a === 'ip' && b === 'protocol') sel = two('proto', 'l4proto');
  else if (a === 'meta' && b === 'l4proto') sel = two('proto', 'l4proto');
  else if ((a === 'th' || a === 'tcp' || a === 'udp') && (b === 'dport' || b === 'sport')) sel = two('port', `${a} ${b}`);
  else if (a === 'meta' && b === 'mark') sel = two('int', 'mark');
  else if (a === 'ct' && b === 'mark') sel = two('int', 'ctmark');
  else if (a === 'ct' && b === 'state') sel = two('ctstate', 'ctstate');
  else if (a === 'ct' && b === 'status') sel = two('ctstatus', 'ctstatus');
  else if (a === 'meta' && (b === 'iifname' || b === 'oifname')) sel = two('iface', b);
  else if (a === 'iifname' || a === 'oifname') {
    c.i++;
    sel = { kind: 'iface', field: a };
  } else if (a === 'mark') {
    c.i++;
    sel = { kind: 'int', field: 'mark' };
  } else if (a === 'fib' && (b === 'saddr' || b === 'daddr')) {
    c.i += 2;
    while (c.eat('.')) c.next(); // `. iif` / `. oif`: the model has one routing table per netns
    if (!c.eat('type')) return undefined;
    sel = { kind: 'fibtype', field: `fib ${b}` };
  } else if (a === 'numgen' && b === 'random' && c.peek(2) === 'mod') {
    const n = parseNumber(c.peek(3));
    if (n === undefined || n === 0) return undefined;
    c.i += 4;
    sel = { kind: 'int', field: 'numgen', mod: n };
  }
  if (!sel) return undefined;
  const op = BIT_OPS[c.peek() ?? ''];
  const arg = parseNumber(c.peek(1));
  if (op && arg !== undefined && sel.kind === 'int') {
    c.i += 2;
    sel.op = { fn: op, arg };
  }
  return sel;
}

/** `A . B . C`. */
function parseConcat(c: Cursor): Selector[] | undefined {
  const first = parseSelector(c);
  if (!first) return undefined;
  const out = [first];
  while (c.peek() === '.') {
    c.next();
    const s = parseSelector(c);
    if (!s) return undefined;
    out.push(s);
  }
  return out;
}

/** A literal for a selector of `kind`; undefined if it does not parse. */
function parseLiteral(kind: ValueKind, s: string): Literal | undefined {
  if (kind === 'addr') {
    const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(s);
    if (!m) return undefined;
    const bits = m[2] === undefined ? 32 : Number(m[2]);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return { network: (ipv4ToInt(m[1]!) & mask) >>> 0, mask };
  }
  if (kind === 'int') {
    const n = parseNumber(s);
    return n === undefined ? undefined : { value: n };
  }
  if (kind === 'port') return /^\d+$/.test(s) ? { value: s } : undefined;
  if (kind === 'proto') return { value: PROTO_NAMES[s] ?? s };
  if (kind === 'iface') return { value: s.replace(/^"|"$/g, '') };
  return { value: s };
}

/** The right-hand side: `@set`, `{ a, b }`, `a,b` (flag lists) or one literal. */
function parseRhs(c: Cursor, kind: ValueKind): Rhs | undefined {
  const t = c.next();
  if (t === undefined) return undefined;
  if (t.startsWith('@')) return { kind: 'set', name: t.slice(1) };
  const words: string[] = [];
  if (t === '{') {
    for (let w = c.next(); w !== undefined && w !== '}'; w = c.next()) if (w !== ',') words.push(w);
  } else words.push(...t.split(',').filter(Boolean));
  const values = words.map((w) => parseLiteral(kind, w));
  if (!values.length || values.some((v) => v === undefined)) return undefined;
  return { kind: 'values', values: values as Literal[] };
}

/** `{ 0 : goto A, 1 : goto B }` after `vmap`. */
function parseInlineMap(c: Cursor): { key: string; value: string }[] | undefined {
  const out: { key: string; value: string }[] = [];
  let key: string[] = [];
  let value: string[] = [];
  let inValue = false;
  for (let w = c.next(); ; w = c.next()) {
    if (w === undefined) return undefined;
    if (w === ',' || w === '}') {
      if (key.length && value.length) out.push({ key: key.join(' '), value: value.join(' ') });
      key = [];
      value = [];
      inValue = false;
      if (w === '}') return out;
    } else if (w === ':') inValue = true;
    else (inValue ? value : key).push(w);
  }
}

function parseMarkSet(c: Cursor, target: 'meta' | 'ct'): Stmt | undefined {
  // `meta mark set meta mark | 0x4000`, `mark set mark or 0x4000`, `meta mark set 0x4000`
  const direct = parseNumber(c.peek());
  if (direct !== undefined) {
    c.next();
    return { kind: 'mark-set', target, value: direct };
  }
  const sel = parseSelector(c);
  if (!sel || sel.field !== (target === 'meta' ? 'mark' : 'ctmark') || !sel.op) return undefined;
  return { kind: 'mark-set', target, op: sel.op };
}

function parseNat(c: Cursor, kind: 'dnat' | 'snat'): Stmt | undefined {
  if (c.peek() === 'ip') c.next();
  if (!c.eat('to')) return undefined;
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(c.next() ?? '');
  if (!m) return undefined;
  return { kind, ip: m[1]!, ...(m[2] !== undefined ? { port: Number(m[2]) } : {}) };
}

/** One statement at the cursor. */
function parseStmt(c: Cursor): Stmt | undefined {
  const w = c.peek();
  if (w === 'accept' || w === 'drop' || w === 'return' || w === 'continue') {
    c.next();
    return { kind: 'verdict', verdict: w };
  }
  if (w === 'jump' || w === 'goto') {
    c.next();
    const chain = c.next();
    return chain === undefined ? undefined : { kind: w, chain };
  }
  if (w === 'reject') {
    c.next();
    if (!c.eat('with')) return { kind: 'reject' };
    const parts: string[] = [];
    while (!c.done()) parts.push(c.next()!);
    return { kind: 'reject', with: parts.join(' ') };
  }
  if (w === 'counter') {
    c.next();
    if (c.peek() === 'packets') c.i += 4;
    return { kind: 'counter' };
  }
  if (w === 'dnat' || w === 'snat') {
    c.next();
    return parseNat(c, w);
  }
  if (w === 'masquerade') {
    c.next();
    let randomFully = false;
    while (c.peek() === 'fully-random' || c.peek() === 'random' || c.peek() === 'persistent') randomFully = c.next() === 'fully-random' || randomFully;
    return { kind: 'masquerade', randomFully };
  }
  if (w === 'update' || w === 'add') {
    c.next();
    const set = c.next();
    if (!set?.startsWith('@') || !c.eat('{')) return undefined;
    const sel = parseConcat(c);
    if (!sel || !c.eat('}')) return undefined;
    return { kind: 'update', set: set.slice(1), sel };
  }
  if ((w === 'meta' || w === 'ct') && c.peek(1) === 'mark' && c.peek(2) === 'set') {
    c.i += 3;
    return parseMarkSet(c, w);
  }
  if (w === 'mark' && c.peek(1) === 'set') {
    c.i += 2;
    return parseMarkSet(c, 'meta');
  }
  const sel = parseConcat(c);
  if (!sel) return undefined;
  if (c.eat('vmap')) {
    if (c.peek()?.startsWith('@')) return { kind: 'vmap', sel, map: { kind: 'set', name: c.next()!.slice(1) } };
    if (!c.eat('{')) return undefined;
    const elements = parseInlineMap(c);
    return elements ? { kind: 'vmap', sel, map: { kind: 'inline', elements } } : undefined;
  }
  const negate = c.eat('!=');
  if (!negate) c.eat('==');
  const rhs = parseRhs(c, sel.length === 1 ? sel[0]!.kind : 'port');
  return rhs ? { kind: 'match', sel, negate, rhs } : undefined;
}

/**
 * Compiles one rule as `nft list` prints it (without its comment). Never throws: a part it
 * cannot read ends the rule with an `unknown` statement holding the rest of the text.
 */
export function compileNftRule(text: string): CompiledRule {
  const c = new Cursor(tokenize(text));
  const stmts: Stmt[] = [];
  while (!c.done()) {
    const at = c.i;
    if (c.peek() === 'comment') break;
    const s = parseStmt(c);
    if (!s) {
      stmts.push({ kind: 'unknown', text: c.t.slice(at).join(' ') });
      break;
    }
    stmts.push(s);
  }
  return { stmts };
}
