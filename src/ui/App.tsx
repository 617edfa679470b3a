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

export function App({ onEdit }: { onEdit: (text: string) => void }) {
  const theme = useApp((s) => s.theme);
  const large = useApp((s) => s.largeText);
  useShortcuts();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.classList.toggle('hs-large', large);
  }, [theme, large]);
  return (
    <div className="hs-app">
      <TopBar />
      <ScenarioEditor onEdit={onEdit} />
      <main className="hs-stage">
        <StaleBanner />
        <div className="hs-canvas">
          <Canvas />
        </div>
        <PlaybackBar />
      </main>
      <Inspector />
    </div>
  );
}

