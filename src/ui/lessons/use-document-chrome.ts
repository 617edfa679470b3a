/** Page-level state the panels cannot express: presentation mode on the root, file drops. */
import { useEffect } from 'react';
import { useApp } from '../store/store';
import { useFileDrop } from '../share/use-file-drop';

export function useDocumentChrome(): void {
  const presenting = useApp((s) => s.presenting && s.source === 'lesson' && s.lesson !== null);
  useEffect(() => {
    document.documentElement.classList.toggle('hs-present', presenting);
  }, [presenting]);
  useFileDrop();
}
