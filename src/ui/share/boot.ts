/**
 * Starts the document machinery: the workspace and lesson controllers, their actions in the
 * registry, the canvas following links and lessons, and what the URL asks for — a lesson
 * (`?lesson=ID`), a shared scenario (`#s=…`), or the user's own autosaved work.
 */
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/types';
import { registerActions } from '../actions/registry';
import { createWorkspace } from './workspace';
import type { Loader } from './workspace';
import { createLessonController, lessonFromUrl } from '../lessons/controller';
import { LESSON_ACTIONS } from '../lessons/actions';
import { SHARE_ACTIONS, copyShareLinks } from './actions';
import { followSelections } from './follow';
import { hasSharedScenario } from './codec';
import { provideServices } from './services';

export function bootDocuments(store: StoreApi<AppState>, loader: Loader, defaultText: string): void {
  const workspace = createWorkspace(store, loader, () => defaultText);
  const lessons = createLessonController(store, workspace);
  provideServices({ workspace, lessons });
  registerActions([...SHARE_ACTIONS, ...LESSON_ACTIONS]);
  followSelections(store);
  copyShareLinks(store);

  const wanted = lessonFromUrl(location.search);
  if (wanted) void lessons.open(wanted.id, wanted.step).then((ok) => ok || workspace.boot({ hash: '' }, defaultText));
  else workspace.boot({ hash: location.hash }, defaultText);

  window.addEventListener('hashchange', () => {
    if (hasSharedScenario(location.hash)) workspace.openHash(location.hash);
  });
  window.addEventListener('pagehide', () => workspace.flush());
}
