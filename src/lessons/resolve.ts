/** Which flow and hop a narration step points at, given the flows the simulator traced. */
import type { Hop } from '../core/index';
import type { FlowEntry } from '../worker/protocol';
import type { LessonStep } from './format';

export type StepTarget = { ok: true; flow: number; hop: number } | { ok: false; error: string };

function flatHops(e: FlowEntry): { hop: Hop; dir: string }[] {
  if (!e.flow) return [];
  return [...e.flow.hops.map((hop) => ({ hop, dir: 'request' })), ...(e.flow.reply?.hops ?? []).map((hop) => ({ hop, dir: 'reply' }))];
}

function haystack(h: { hop: Hop; dir: string }): string {
  const r = h.hop.rule?.text ?? '';
  return `${h.dir} ${h.hop.stage} ${h.hop.netns} ${h.hop.device ?? ''} ${h.hop.explain} ${r} ${h.hop.packet.payload?.summary ?? ''}`.toLowerCase();
}

/** Resolves a step against traced flows; an error says what is missing. */
/** The raw index of the step's flow: the N-th overall, or the N-th of its role. */
export function flowIndexOf(step: LessonStep, flows: readonly FlowEntry[]): number {
  if (!step.role) return step.flow;
  let n = -1;
  return flows.findIndex((f) => (f.role ?? 'connection') === step.role && ++n === step.flow);
}

export function resolveStep(step: LessonStep, flows: readonly FlowEntry[]): StepTarget {
  const at = flowIndexOf(step, flows);
  const what = step.role ? `${step.role} ${step.flow}` : `flow ${step.flow}`;
  const entry = flows[at];
  if (!entry) return { ok: false, error: `${what} does not exist (${flows.length} flows traced)` };
  if (!entry.flow) return { ok: false, error: `${what} (${entry.from} → ${entry.to}) could not be traced: ${entry.error ?? 'no flow'}` };
  const hops = flatHops(entry);
  if (step.find !== undefined) {
    const words = step.find.toLowerCase().split(/\s+/).filter(Boolean);
    const from = step.after ?? 0;
    const i = hops.findIndex((h, k) => k >= from && words.every((w) => haystack(h).includes(w)));
    if (i < 0) return { ok: false, error: `${what} has no hop matching "${step.find}"${from ? ` after hop ${from}` : ''}` };
    return { ok: true, flow: at, hop: i };
  }
  const hop = step.hop ?? 0;
  if (hop < 0 || hop >= hops.length) return { ok: false, error: `${what} has ${hops.length} hops; hop ${hop} does not exist` };
  return { ok: true, flow: at, hop };
}
