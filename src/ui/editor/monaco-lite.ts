/**
 * A trimmed Monaco: the editor API, its editing contributions and the YAML grammar only.
 *
 * Why not `import * as monaco from 'monaco-editor'`: in 0.57 that barrel also registers the
 * CSS, HTML, JSON and TypeScript language features, whose `new Worker(new URL(…))` calls make
 * Vite ship ts.worker (~7 MB) and friends (ANCHORS §4).
 *
 * `internal/common/workers.js` imports the standard editor contributions and provides the
 * pre-0.55 `createWebWorker({ label, moduleId, createData })` that monaco-yaml (through
 * monaco-worker-manager) still calls; 0.57's `editor.createWebWorker` wants `{ worker }`.
 */
// @ts-expect-error -- plain JS module without typings; its one export is typed below.
import { createWebWorker as legacyCreateWebWorker } from 'monaco-editor/internal/common/workers.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import * as api from 'monaco-editor/editor/editor.api.js';

export const { editor, languages, MarkerSeverity, Uri } = api;

/** The namespace monaco-yaml expects, with the legacy worker factory it calls. */
export const monacoForYaml = { ...api, editor: { ...api.editor, createWebWorker: legacyCreateWebWorker as typeof api.editor.createWebWorker } };
