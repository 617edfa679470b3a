/** The open lesson, its narration step and presentation mode (UI state only). */
import type { StateCreator } from 'zustand';
import type { Lesson } from '../../lessons/format';
import type { AppState } from '../store/types';

export interface LessonSlice {
  lesson: Lesson | null;
  lessonStep: number;
  /** Large type, narration in front, the canvas following it. */
  presenting: boolean;
  lessonsMenuOpen: boolean;
}

export const lessonSlice: StateCreator<AppState, [], [], LessonSlice> = () => ({
  lesson: null,
  lessonStep: 0,
  presenting: false,
  lessonsMenuOpen: false,
});
