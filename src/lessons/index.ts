/**
 * The built-in lessons: every `src/lessons/<id>/` folder with a `scenario.yaml` and a `steps.md`
 * (format in `./format.ts`). Bundled as text; the UI loads this module lazily.
 */
import { parseSteps } from './format';
import type { Lesson } from './format';

export type { Lesson, LessonMeta, LessonStep } from './format';

const scenarios = import.meta.glob<string>('./*/scenario.yaml', { query: '?raw', import: 'default', eager: true });
const stepFiles = import.meta.glob<string>('./*/steps.md', { query: '?raw', import: 'default', eager: true });

function folder(path: string): string {
  return path.split('/')[1]!;
}

function build(): { lessons: Lesson[]; errors: string[] } {
  const lessons: Lesson[] = [];
  const errors: string[] = [];
  for (const [path, md] of Object.entries(stepFiles)) {
    const id = folder(path);
    const scenario = scenarios[`./${id}/scenario.yaml`];
    const parsed = parseSteps(md);
    if (scenario === undefined) errors.push(`${id}: no scenario.yaml`);
    else if (!parsed.ok) errors.push(`${id}/steps.md: ${parsed.error}`);
    else lessons.push({ id, ...parsed.meta, scenario, steps: parsed.steps });
  }
  lessons.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { lessons, errors };
}

const built = build();

/** Every lesson, in menu order. */
export const LESSONS: readonly Lesson[] = built.lessons;
/** Folders that are not valid lessons (the lesson test fails on any). */
export const LESSON_ERRORS: readonly string[] = built.errors;

export function getLesson(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
