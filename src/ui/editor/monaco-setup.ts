/**
 * Loaded lazily (dynamic import after the first canvas paint): Monaco, the YAML grammar and
 * monaco-yaml fed with the core's JSON Schema. Only two workers ship: Monaco's editor worker
 * and monaco-yaml's YAML worker, both created explicitly here.
 */
import { configureMonacoYaml } from 'monaco-yaml';
import schema from '../../core/scenario/schema.json';
import * as monaco from './monaco-lite';
import { monacoForYaml } from './monaco-lite';
// `?worker` rather than `new URL('monaco-yaml/yaml.worker', import.meta.url)`: Vite does not
// resolve bare package names inside `new URL`, but it does for `?worker` imports.
import YamlWorker from 'monaco-yaml/yaml.worker?worker';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker(_id, label) {
    return label === 'yaml' ? new YamlWorker({ name: 'yaml' }) : new EditorWorker({ name: 'editor' });
  },
};

export const MODEL_URI = 'file:///scenario.yaml';

configureMonacoYaml(monacoForYaml as unknown as Parameters<typeof configureMonacoYaml>[0], {
  enableSchemaRequest: false,
  validate: false, // The core's diagnostics are the truth; the schema drives completion and hover.
  completion: true,
  hover: true,
  schemas: [{ uri: 'https://hopscope.dev/schema/scenario.json', fileMatch: [MODEL_URI], schema: schema as object }],
});

export { monaco };
