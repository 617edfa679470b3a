import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-cli/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'No focused tests.' },
        { object: 'describe', property: 'only', message: 'No focused tests.' },
        { object: 'test', property: 'only', message: 'No focused tests.' },
      ],
    },
  },
  {
    // The core is a pure, deterministic library: no UI, no Node, no ambient time or randomness.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', '@xyflow/*', 'zustand', 'monaco-editor', 'monaco-yaml', 'comlink'], message: 'src/core imports no UI library.' },
            { group: ['node:*', 'fs', 'path', 'child_process', 'os', 'crypto'], message: 'src/core imports no Node module.' },
            { group: ['**/ui/**', '**/worker/**', '**/cli/**'], message: 'src/core imports nothing from ui, worker or cli.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use util/rng.ts (seeded).' },
        { object: 'Date', property: 'now', message: 'Time is injected.' },
        { object: 'performance', property: 'now', message: 'Time is injected.' },
        { object: 'crypto', property: 'randomUUID', message: 'Use util/rng.ts (seeded).' },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'window', 'document', 'postMessage', 'localStorage'],
    },
  },
);
