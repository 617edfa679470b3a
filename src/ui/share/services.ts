/** The workspace and lesson controllers, created once in main.tsx and reached by the panels. */
import type { Workspace } from './workspace';
import type { LessonController } from '../lessons/controller';

export interface Services {
  workspace: Workspace;
  lessons: LessonController;
}

let services: Services | null = null;

export function provideServices(s: Services): void {
  services = s;
}

/** WARNING: only after main.tsx has provided them (always true once the app renders). */
export function getServices(): Services {
  if (!services) throw new Error('services not provided');
  return services;
}
