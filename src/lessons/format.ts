/**
 * The lesson format: a folder with `scenario.yaml` and `steps.md`. `steps.md` opens with a small
 * front matter block, then one `## Title` section per narration step. A step names the flow and
 * hop the canvas should show in an HTML comment (invisible when the file is read on GitHub):
 *
 *   ---
 *   title: A ClusterIP Service in iptables mode
 *   topic: Services
 *   order: 8
 *   summary: One sentence for the Lessons menu.
 *   requires: ipvs            (optional: core features the lesson needs; named when pending)
 *   ---
 *   ## The DNAT
 *   <!-- flow=0 find="netfilter:nat/OUTPUT DNAT" -->
 *   Notice how the **destination** changes here.
 *
 * `flow` is the 0-based index in the traced flows (each request's first repetitions, in order,
 * each preceded by the DNS questions its name needed and followed by an ingress controller's
 * connection to the backend). `conn=N`, `dns=N` and `upstream=N` count only connections, DNS
 * questions or controller connections — use them when a name is resolved, so a step keeps
 * pointing at "the second connection" however many DNS questions come first. `hop` is a 0-based index into the flow's request + reply hops; `find` instead picks
 * the first hop whose "direction stage netns device explain" text contains every word given
 * (case-insensitive), so a lesson keeps pointing at "the DNAT hop" when the core adds a hop.
 * `after=N` starts that search at hop N. `show=cni` adds the pod's CNI calls to the step.
 */
export type FlowRole = 'connection' | 'dns' | 'upstream';

export interface LessonStep {
  title: string;
  /** Markdown. */
  body: string;
  /** The N-th flow overall, or of `role` when a role is given. */
  flow: number;
  role?: FlowRole;
  hop?: number;
  find?: string;
  after?: number;
  show?: 'cni' | 'tally';
}

export interface LessonMeta {
  id: string;
  title: string;
  topic: string;
  order: number;
  summary: string;
  /** Core features the lesson depends on, by name (for "pending" reports). */
  requires: string[];
}

export interface Lesson extends LessonMeta {
  scenario: string;
  steps: LessonStep[];
}

export type ParsedSteps = { ok: true; meta: Omit<LessonMeta, 'id'>; steps: LessonStep[] } | { ok: false; error: string };

function frontMatter(text: string): { fields: Record<string, string>; rest: string } | null {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return null;
  const fields: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([a-z]+):\s*(.*)$/.exec(line.trim());
    if (kv) fields[kv[1]!] = kv[2]!.trim();
  }
  return { fields, rest: text.slice(m[0].length) };
}

function directive(body: string): Record<string, string> | null {
  const m = /<!--\s*((?:flow|conn|dns|upstream)=[\s\S]*?)-->/.exec(body);
  if (!m) return null;
  const out: Record<string, string> = {};
  for (const a of m[1]!.matchAll(/([a-z]+)=("([^"]*)"|\S+)/g)) out[a[1]!] = a[3] ?? a[2]!;
  return out;
}

function parseStep(section: string, n: number): LessonStep | string {
  const nl = section.indexOf('\n');
  const title = (nl < 0 ? section : section.slice(0, nl)).trim();
  const raw = nl < 0 ? '' : section.slice(nl + 1);
  const d = directive(raw);
  if (!d) return `step ${n + 1} ("${title}") has no <!-- flow=N hop=M --> line`;
  const key = (['flow', 'conn', 'dns', 'upstream'] as const).find((k) => d[k] !== undefined)!;
  const flow = Number(d[key]);
  if (!Number.isInteger(flow) || flow < 0) return `step ${n + 1} ("${title}"): ${key} must be a number`;
  const step: LessonStep = { title, flow, body: raw.replace(/<!--[\s\S]*?-->\s*/, '').trim() };
  if (key !== 'flow') step.role = key === 'conn' ? 'connection' : key;
  if (d['hop'] !== undefined) step.hop = Number(d['hop']);
  if (d['find'] !== undefined) step.find = d['find'];
  if (d['after'] !== undefined) step.after = Number(d['after']);
  if (d['show'] === 'cni' || d['show'] === 'tally') step.show = d['show'];
  if (step.hop === undefined && step.find === undefined) return `step ${n + 1} ("${title}") names neither hop= nor find=`;
  if (step.hop !== undefined && !Number.isInteger(step.hop)) return `step ${n + 1} ("${title}"): hop must be a number`;
  return step;
}

/** Reads a `steps.md`. Never throws. */
export function parseSteps(text: string): ParsedSteps {
  const fm = frontMatter(text);
  if (!fm) return { ok: false, error: 'steps.md must start with a --- front matter block' };
  const { fields, rest } = fm;
  if (!fields['title']) return { ok: false, error: 'front matter has no title' };
  const steps: LessonStep[] = [];
  const sections = rest.split(/^## /m).slice(1);
  for (const [i, s] of sections.entries()) {
    const step = parseStep(s, i);
    if (typeof step === 'string') return { ok: false, error: step };
    steps.push(step);
  }
  if (!steps.length) return { ok: false, error: 'steps.md has no "## " steps' };
  const requires = (fields['requires'] ?? '').split(/[\s,]+/).filter(Boolean);
  return { ok: true, meta: { title: fields['title'], topic: fields['topic'] ?? '', order: Number(fields['order'] ?? 99), summary: fields['summary'] ?? '', requires }, steps };
}
