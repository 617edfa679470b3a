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

function setUrl(id: string | null): void {
  if (typeof history === 'undefined') return;
  const u = new URL(location.href);
  if (id) u.searchParams.set('lesson', id);
  else u.searchParams.delete('lesson');
  u.searchParams.delete('step');
  u.hash = '';
  history.replaceState(null, '', u.pathname + u.search);
}

export function createLessonController(store: StoreApi<AppState>, ws: Workspace): LessonController {
  const library = () => import('../../lessons/index');
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
      store.setState({ lesson, lessonStep: Math.min(step, lesson.steps.length - 1), lessonsMenuOpen: false, openError: null });
      setUrl(id);
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
