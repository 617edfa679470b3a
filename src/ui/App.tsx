/** Composition root (STYLE §16): panels only, no logic. */
import { useEffect } from 'react';
import { useApp } from './store/store';
import { useShortcuts } from './actions/use-actions';
import { TopBar } from './panels/TopBar';
import { PlaybackBar } from './panels/PlaybackBar';
import { StaleBanner } from './panels/StaleBanner';
import { Inspector } from './inspector/Inspector';
import { ScenarioEditor } from './editor/ScenarioEditor';
import Canvas from './canvas/Canvas';
import { OpenError } from './share/WorkspaceBar';
import { NarrationPanel } from './lessons/NarrationPanel';
import { useDocumentChrome } from './lessons/use-document-chrome';
// Mount point of the terminal and compare dock (issue 9): one import, one element.
import { ToolDock } from './terminal/ToolDock';

export function App({ onEdit }: { onEdit: (text: string) => void }) {
  const theme = useApp((s) => s.theme);
  const large = useApp((s) => s.largeText);
  useShortcuts();
  useDocumentChrome();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.classList.toggle('hs-large', large);
  }, [theme, large]);
  return (
    <div className="hs-app">
      <TopBar />
      <ScenarioEditor onEdit={onEdit} />
      <main className="hs-stage">
        <OpenError />
        <NarrationPanel />
        <StaleBanner />
        <div className="hs-canvas">
          <Canvas />
          {/* issue 9: terminal + compare dock, over the canvas (whatever height the playback bar takes) */}
          <ToolDock />
        </div>
        <PlaybackBar />
      </main>
      <Inspector />
    </div>
  );
}

