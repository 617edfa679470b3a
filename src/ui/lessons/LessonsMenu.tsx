/** The Lessons button and its list, grouped by topic; choosing one opens it (`?lesson=ID`). */
import { useEffect, useRef, useState } from 'react';
import { appStore, useApp } from '../store/store';
import { perform } from '../actions/use-actions';
import { openLessons } from './actions';
import { getServices } from '../share/services';
import { closeOnEscape } from '../actions/close-on-escape';
import type { Lesson } from '../../lessons/format';

export function LessonsMenu() {
  const open = useApp((s) => s.lessonsMenuOpen);
  const [lessons, setLessons] = useState<readonly Lesson[] | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open && !lessons) void getServices().lessons.list().then(setLessons);
  }, [open, lessons]);
  return (
    <div className="hs-lessons">
      <button ref={opener} type="button" aria-expanded={open} aria-haspopup="dialog" onClick={() => perform(openLessons)}>
        Lessons
      </button>
      {open && (
        <div className="hs-popover hs-lesson-list" role="dialog" aria-label="Lessons" onKeyDown={closeOnEscape(() => appStore.setState({ lessonsMenuOpen: false }), opener)}>
          {!lessons ? (
            <p>Loading…</p>
          ) : (
            <ol>
              {lessons.map((l) => (
                <li key={l.id}>
                  <button type="button" onClick={() => void getServices().lessons.open(l.id)}>
                    <strong>{l.title}</strong>
                    <span className="hs-muted"> — {l.summary}</span>
                  </button>
                </li>
              ))}
            </ol>
          )}
          <button type="button" onClick={() => appStore.setState({ lessonsMenuOpen: false })}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}
