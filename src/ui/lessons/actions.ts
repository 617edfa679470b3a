/**
 * Lesson commands as registered actions (STYLE §12): next and previous narration step (also
 * PageDown/PageUp, what presentation clickers send) and presentation mode.
 */
import type { Action } from '../actions/registry';
import type { AppState } from '../store/types';
import { lessonPatch } from '../share/follow';

const inLesson = (s: AppState) => s.lesson !== null && s.source === 'lesson';
const plain = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;

function goTo(s: AppState, step: number): Partial<AppState> {
  return { lessonStep: step, ...lessonPatch(s, step) };
}

export const nextStep: Action = {
  id: 'nextStep',
  label: 'Next step',
  shortcut: (e) => e.key === 'PageDown' && plain(e),
  enabled: (s) => inLesson(s) && s.lessonStep < (s.lesson?.steps.length ?? 0) - 1,
  perform: (s) => goTo(s, s.lessonStep + 1),
};

export const previousStep: Action = {
  id: 'previousStep',
  label: 'Previous step',
  shortcut: (e) => e.key === 'PageUp' && plain(e),
  enabled: (s) => inLesson(s) && s.lessonStep > 0,
  perform: (s) => goTo(s, s.lessonStep - 1),
};

export const togglePresent: Action = {
  id: 'present',
  label: 'Presentation mode',
  shortcut: (e) => e.key === 'F5' && plain(e),
  enabled: () => true,
  perform: (s) => ({ presenting: !s.presenting }),
};

export const exitPresent: Action = {
  id: 'exitPresent',
  label: 'Leave presentation mode',
  shortcut: (e) => e.key === 'Escape' && plain(e),
  enabled: (s) => s.presenting,
  perform: () => ({ presenting: false }),
};

export const openLessons: Action = {
  id: 'openLesson',
  label: 'Lessons',
  enabled: () => true,
  perform: (s) => ({ lessonsMenuOpen: !s.lessonsMenuOpen }),
};

export const LESSON_ACTIONS: readonly Action[] = [nextStep, previousStep, togglePresent, exitPresent, openLessons];
