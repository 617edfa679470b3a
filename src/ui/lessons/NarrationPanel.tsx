/**
 * The narration of the open lesson: the step's text, where it is in the lesson, previous/next
 * (buttons, PageUp/PageDown, a presentation clicker), and — when a step needs a core feature
 * that is not there yet — a plain note instead of a wrong picture.
 */
import { useApp } from '../store/store';
import { perform, useEnabled } from '../actions/use-actions';
import { nextStep, previousStep, togglePresent } from './actions';
import { getServices } from '../share/services';
import { resolveStep } from '../../lessons/resolve';
import { Markdown } from './markdown';
import type { AppState } from '../store/types';
import type { LessonStep } from '../../lessons/format';

function Tally() {
  const tallies = useApp((s) => s.tallies);
  return (
    <ul className="hs-tally" aria-label="Answers per pod">
      {tallies.map((t, i) =>
        Object.entries(t.byEndpoint).map(([who, n]) => (
          <li key={`${i}-${who}`}>
            <code>{who}</code>: {n} of {t.count} ({Math.round((100 * n) / Math.max(1, t.count))} %)
          </li>
        )),
      )}
    </ul>
  );
}

/** The CNI calls of the pod that received the step's flow. */
function CniLog() {
  const text = useApp((s: AppState) => {
    const ns = s.flows[s.flowIndex]?.flow?.hops.find((h) => h.netns.startsWith('pod:') && h.stage === 'deliver')?.netns;
    return ns ? s.renderings[ns]?.cni : undefined;
  });
  return text ? <pre className="hs-cni" aria-label="CNI calls">{text}</pre> : null;
}

const NONE: string[] = [];

function StepProblem({ step }: { step: LessonStep }) {
  const flows = useApp((s) => s.flows);
  const compiling = useApp((s) => s.compiling);
  const requires = useApp((s) => s.lesson?.requires ?? NONE);
  if (compiling || flows.length === 0) return null;
  const r = resolveStep(step, flows);
  if (r.ok) return null;
  return (
    <p className="hs-pending" role="note">
      {requires.length ? `This step shows ${requires.join(', ')}, which Hopscope's model does not cover yet (${r.error}).` : `This step's hop is missing: ${r.error}.`}
    </p>
  );
}

export function NarrationPanel() {
  const lesson = useApp((x) => x.lesson);
  const lessonStep = useApp((x) => x.lessonStep);
  const source = useApp((x) => x.source);
  const presenting = useApp((x) => x.presenting);
  const canNext = useEnabled(nextStep);
  const canPrev = useEnabled(previousStep);
  if (!lesson || source !== 'lesson') return null;
  const step = lesson.steps[lessonStep]!;
  const n = lesson.steps.length;
  return (
    <section className="hs-narration" aria-label="Narration">
      <header>
        <h2 title={lesson.title}>{lesson.title}</h2>
        <span className="hs-muted" aria-live="polite">
          Step {lessonStep + 1} of {n}
        </span>
        <div className="hs-spacer" />
        <button type="button" aria-pressed={presenting} onClick={() => perform(togglePresent)}>
          Present
        </button>
        <button type="button" onClick={() => getServices().lessons.close()}>
          Close lesson
        </button>
      </header>
      <article className="hs-step" aria-label={`Step ${lessonStep + 1}: ${step.title}`}>
        <h3>{step.title}</h3>
        <Markdown text={step.body} />
        {step.show === 'tally' && <Tally />}
        {step.show === 'cni' && <CniLog />}
        <StepProblem step={step} />
      </article>
      <footer>
        <button type="button" disabled={!canPrev} onClick={() => perform(previousStep)} title="Previous step (PageUp)">
          Previous step
        </button>
        <button type="button" disabled={!canNext} onClick={() => perform(nextStep)} title="Next step (PageDown)">
          Next step
        </button>
        {!canNext && lessonStep === n - 1 && <span role="status">End of the lesson.</span>}
      </footer>
    </section>
  );
}
