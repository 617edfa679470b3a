/**
 * Sentences about policy verdicts, read from the rule that decided a netfilter hook (the hop's
 * `rule`). The engine writes what a sentence needs into its rule comments — the policy and rule
 * on every allow rule (`allow: x/web spec.ingress[0]`) and, on the drop at the end of an isolated
 * pod's chain, which pod and direction are isolated and by which policies — so these helpers are
 * pure text functions of a `RuleRef` and never look at the model.
 */
import type { RuleRef } from '../trace/types';

const COMMENT = /--comment (?:"((?:[^"\\]|\\.)*)"|(\S+))/g;

/** The `-m comment` texts of a rule as iptables-save prints it, in order. */
export function ruleComments(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(COMMENT)) out.push((m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
  return out;
}

/** What `policyAllowsIn` returns when no allow rule accepted: shared, as most hooks have none. */
const NONE: readonly string[] = Object.freeze([]);

/**
 * The NetworkPolicy allow rules that accepted a packet, from the rules a hook evaluated:
 * an allow rule matched when the RETURN right after it (same chain, next index) was the last
 * rule evaluated in that chain. Returns `x/web spec.ingress[0]`-style names, in order.
 */
export function policyAllowsIn(rule: RuleRef | undefined): readonly string[] {
  const ev = rule?.evaluated;
  if (!ev) return NONE;
  let out: string[] | undefined;
  for (let k = 0; k + 1 < ev.length; k++) {
    const e = ev[k]!;
    const next = ev[k + 1]!;
    // The shape test first, then the text: this runs on every accepting hop that a rule decided,
    // over every rule the hook evaluated, and records of one chain share its name string (a
    // pointer compare) while the text test scans the rule (it showed up in trace profiles).
    // Policy chains end with a counting-only rule, so a RETURN that did not match is followed by
    // another rule of the same chain; one that matched left the chain.
    if (next.index !== e.index + 1 || next.chain !== e.chain) continue;
    const after = ev[k + 2];
    if (after && after.chain === e.chain) continue;
    if (!e.text.includes('allow: ')) continue;
    const allow = ruleComments(e.text).find((c) => c.startsWith('allow: '));
    if (allow) (out ??= []).push(allow.slice('allow: '.length));
  }
  return out ?? NONE;
}

/** Why a policy engine dropped a packet, and where: `${why} (${where})` is the sentence. */
interface PolicyDrop {
  why: string;
  where: string;
}

/**
 * `x/a x/b` → `x/a, x/b` after "is isolated by" in Felix's default-deny comment (space-separated
 * there, to fit iptables' comment limit): a list a student reads as two policies, not one.
 */
function listPolicies(why: string): string {
  const by = ' is isolated by ';
  const at = why.indexOf(by);
  return at < 0 ? why : why.slice(0, at + by.length) + why.slice(at + by.length).split(' ').join(', ');
}

function policyDrop(rule: RuleRef | undefined): PolicyDrop | undefined {
  // Cheap test first: reach asks this of every hop of every denied flow.
  if (
    !rule ||
    rule.kind !== 'iptables' ||
    !rule.text.includes('-j DROP') ||
    !rule.text.includes('--comment')
  )
    return undefined;
  const comments = ruleComments(rule.text);
  if (comments.includes('Drop if no policies passed packet')) {
    const why =
      comments.find((c) => c.startsWith('default deny:')) ?? 'default deny: no policy allows it';
    const n = (rule.evaluated ?? []).filter((e) => e.text.includes('--comment "allow: ')).length;
    const tried =
      n === 0
        ? 'the policies have no rule for this direction'
        : n === 1
          ? 'the one allow rule evaluated did not match'
          : `none of the ${n} allow rules evaluated matched`;
    // "dropped by": the rule named is the chain's final DROP, not the allow rule just mentioned.
    return { why: `${listPolicies(why)}; ${tried}`, where: `dropped by ${rule.chain ?? 'filter'} rule ${(rule.index ?? 0) + 1}` };
  }
  if (comments.includes('Unknown interface'))
    return { why: 'Calico drops traffic of an interface it does not manage', where: `${rule.chain}` };
  if (comments.some((c) => c.startsWith('cali:')) && /--ctstate INVALID/.test(rule.text))
    return { why: 'Calico drops packets conntrack classifies as INVALID', where: `${rule.chain}` };
  if (comments.includes('Drop if no profiles matched'))
    return { why: 'no Calico profile allows it', where: `${rule.chain}` };
  return undefined;
}

/**
 * One sentence for a packet a policy engine dropped, or undefined when `rule` is not a policy
 * drop. For NetworkPolicy every drop is the default deny of an isolated pod (policies only
 * allow); the sentence names the pod, the direction and the policies that isolate it.
 */
export function explainPolicyDrop(rule: RuleRef | undefined): string | undefined {
  const d = policyDrop(rule);
  return d && `${d.why} (${d.where}).`;
}

/**
 * The same sentence for the netfilter hop that dropped the packet, with what the hook walked
 * (`18 rules evaluated`) inside its one closing parenthesis.
 */
export function explainPolicyDropHop(rule: RuleRef | undefined, walked: string): string | undefined {
  const d = policyDrop(rule);
  return d && `${d.why} (${d.where}; ${walked}).`;
}
