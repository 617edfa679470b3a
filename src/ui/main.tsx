import { createRoot } from 'react-dom/client';
import { StrictMode } from 'react';
import defaultScenario from './default-scenario.yaml?raw';
import { App } from './App';
import { appStore } from './store/store';
import { createSimBridge } from './controllers/sim-bridge';
import { loadSavedScenario } from './persist';
import './styles.css';

const text = loadSavedScenario() ?? defaultScenario;
const bridge = createSimBridge(appStore);
appStore.getState().setText(text);
if (matchMedia('(prefers-color-scheme: dark)').matches) appStore.getState().setTheme('dark');
void bridge.compileNow(text);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App onEdit={bridge.edit} />
  </StrictMode>,
);
