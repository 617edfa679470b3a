/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { offlinePlugin } from './scripts/offline-plugin';

const monacoEsm = fileURLToPath(new URL('./node_modules/monaco-editor/esm/vs/', import.meta.url));

// `base: './'` lets the static build run from any path prefix (GitHub Pages and the like).
export default defineConfig({
  base: './',
  plugins: [react(), offlinePlugin()],
  resolve: {
    alias: [
      // monaco-editor 0.57 maps `./*` to `esm/vs/*`, but monaco-yaml's worker (through
      // monaco-worker-manager) still imports `monaco-editor/esm/vs/editor/editor.worker.js`.
      { find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: `${monacoEsm}$1` },
    ],
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Monaco's chunk is large by nature and loads lazily after the canvas paints.
    chunkSizeWarningLimit: 4000,
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'threads',
  },
});
