/** Drag a .yaml file anywhere onto the page to open it as your scenario. */
import { useEffect } from 'react';
import { appStore } from '../store/store';
import { openFile } from './files';

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
}

export function useFileDrop(): void {
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = 'copy';
      document.documentElement.classList.add('hs-dropping');
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) document.documentElement.classList.remove('hs-dropping');
    };
    const drop = (e: DragEvent) => {
      document.documentElement.classList.remove('hs-dropping');
      if (!hasFiles(e)) return;
      e.preventDefault();
      const f = e.dataTransfer!.files[0];
      if (f) void openFile(f, (m) => appStore.setState({ openError: m }));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
}
