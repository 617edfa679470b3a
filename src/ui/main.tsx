import { createRoot } from 'react-dom/client';
import { StrictMode } from 'react';
import defaultScenario from './default-scenario.yaml?raw';
import { App } from './App';
import { appStore } from './store/store';
import { createSimBridge } from './controllers/sim-bridge';
import { bootDocuments } from './share/boot';
import { registerServiceWorker } from './share/sw-register';
import './styles.css';

const bridge = createSimBridge(appStore);
if (matchMedia('(prefers-color-scheme: dark)').matches) appStore.getState().setTheme('dark');
const show = (text: string) => {
  appStore.getState().setText(text);
  void bridge.compileNow(text);
};
bootDocuments(appStore, { show }, defaultScenario);
registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App onEdit={bridge.edit} />
  </StrictMode>,
);
