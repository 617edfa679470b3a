/**
 * Opening lessons (`?lesson=ID[&step=N]`, the Lessons menu) and leaving them. The lesson library
 * loads lazily, so the playground's first paint does not carry it. An unknown id says so and
 * leaves the user's scenario on screen.
 */
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/types';
import type { Workspace } from '../share/workspace';
import type { Lesson } from '../../lessons/format';

export interface LessonController {
  /** The lesson list (loads the library on first use). */
  list(): Promise<readonly Lesson[]>;
  open(id: string, step?: number): Promise<boolean>;
  close(): void;
}

export function lessonFromUrl(search: string): { id: string; step: number } | null {
  const q = new URLSearchParams(search);
  const id = q.get('lesson');
  if (id === null) return null;
  const step = Number(q.get('step') ?? '1');
  return { id, step: Number.isInteger(step) && step > 0 ? step - 1 : 0 };
}

/** The address of a lesson at a step (0-based; the first step is the lesson's plain address). */
function setUrl(id: string | null, step = 0): void {
  if (typeof history === 'undefined') return;
  const u = new URL(location.href);
  if (id) u.searchParams.set('lesson', id);
  else u.searchParams.delete('lesson');
  if (id && step > 0) u.searchParams.set('step', String(step + 1));
  else u.searchParams.delete('step');
  u.hash = '';
  history.replaceState(null, '', u.pathname + u.search);
}

export function createLessonController(store: StoreApi<AppState>, ws: Workspace): LessonController {
  const library = () => import('../../lessons/index');
  // The URL follows the step: a reload (or the browser restoring the tab) mid-class comes back on
  // it instead of step 1, and the address bar is a link to that step (`&step=N`, read above).
  store.subscribe((s, p) => {
    if (s.lesson && s.source === 'lesson' && (s.lessonStep !== p.lessonStep || s.lesson !== p.lesson)) setUrl(s.lesson.id, s.lessonStep);
  });
  return {
    async list() {
      return (await library()).LESSONS;
    },
    async open(id, step = 0) {
      const { getLesson } = await library();
      const lesson = getLesson(id);
      if (!lesson) {
        store.setState({ openError: `There is no lesson called “${id}”. Choose one from the Lessons menu; your own scenario is unchanged.`, lessonsMenuOpen: false });
        return false;
      }
      const at = Math.min(step, lesson.steps.length - 1);
      store.setState({ lesson, lessonStep: at, lessonsMenuOpen: false, openError: null });
      setUrl(id, at);
      ws.showLesson(lesson.scenario);
      return true;
    },
    close() {
      store.setState({ lesson: null, lessonStep: 0, presenting: false });
      setUrl(null);
      ws.leaveLesson();
    },
  };
}
