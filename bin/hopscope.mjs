#!/usr/bin/env node
// The `hopscope` command: runs the bundled CLI (built by `npm install` / `npm run build:cli`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist-cli/hopscope.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('hopscope: the CLI is not built yet; run `npm install` or `npm run build:cli` in the project.\n');
  process.exit(2);
}
await import(bundle);
